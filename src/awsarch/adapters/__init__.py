"""The adapters: the only code that talks to the world outside the process.

- `aws/`: the one AWS seam (sessions, retries, error mapping), discovery, ingest and apply.
- `emulator/`: the embedded AWS emulator, moto's server on 127.0.0.1 with AWS's documented
  behaviours layered on top.
"""
