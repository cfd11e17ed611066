"""The AWS adapters: the client seam (`session`), discovery (`discover`) and ingest (`ingest`).

Nothing here imports boto3 at import time; only `session` does, lazily, when a client is made.
"""
