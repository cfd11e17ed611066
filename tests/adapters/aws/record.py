"""Record the raw JSON that tests/adapters/aws/test_ingest.py reads:
`python tests/adapters/aws/record.py`.

Starts the emulator on 127.0.0.1, builds tests/adapters/aws/estate.py through the plain APIs, runs
discover, and writes tests/adapters/aws/recorded/estate.json (plus the estate's ids). Review the
diff.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
REGION = "ap-northeast-2"


def main() -> None:
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    os.environ.pop("AWS_PROFILE", None)
    sys.path.insert(0, str(HERE.parent.parent))
    from awsarch.adapters import emulator
    from awsarch.adapters.aws.discover import discover
    from awsarch.adapters.aws.session import AwsSession
    from tests.adapters.aws import estate as estate_module

    running = emulator.start()
    try:
        built = estate_module.build(running.endpoint_url, REGION)
        session = AwsSession(region=REGION, endpoint_url=running.endpoint_url)
        raw = discover(session, vpc_id=built["vpc/main"], include_user_data=True)
    finally:
        running.stop()
    out = HERE / "recorded"
    out.mkdir(exist_ok=True)
    (out / "estate.json").write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n")
    (out / "estate-ids.json").write_text(json.dumps(built.ids, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out / 'estate.json'} ({session.calls.total} calls)")


if __name__ == "__main__":
    main()
