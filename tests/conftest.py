"""Suite-wide fixtures: the AWS isolation every test relies on, and the embedded emulator.

No test can reach real AWS: fake credentials, no profile, no config or credentials files, no
instance metadata service, no configured endpoint. The emulator listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from awsarch.adapters import emulator as emulator_module

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "ap-northeast-2",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED_AWS_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture(scope="session", autouse=True)
def fake_aws_env() -> Iterator[None]:
    """Fake credentials for the whole suite, and nothing that could point at a real account."""
    with pytest.MonkeyPatch.context() as patch:
        for name in CLEARED_AWS_ENV:
            patch.delenv(name, raising=False)
        for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_")]:
            patch.delenv(name)
        for name, value in FAKE_AWS_ENV.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def emulator(fake_aws_env: None) -> Iterator[emulator_module.Emulator]:
    """One emulator (moto's server, in this process, on 127.0.0.1) for the whole session."""
    running = emulator_module.start()
    try:
        yield running
    finally:
        running.stop()
