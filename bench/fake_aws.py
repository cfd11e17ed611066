"""Fake credentials for the benches: whatever the shell holds, a bench can only reach the local
emulator (no profile, no endpoint of the user's, no instance metadata)."""

from __future__ import annotations

import os

FAKE = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def isolate(region: str) -> None:
    """This process: fake keys, no configuration files, `region` the default."""
    os.environ.update(
        FAKE,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_DEFAULT_REGION=region,
    )
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)


def fake_env() -> dict[str, str]:
    """The environment for an awsarch child process: this one's, with fake keys and no profile."""
    env = {**os.environ, **FAKE}
    env.pop("AWS_PROFILE", None)
    return env
