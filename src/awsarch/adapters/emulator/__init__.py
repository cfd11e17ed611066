"""The embedded AWS emulator: moto's server on 127.0.0.1, with AWS's documented behaviours.

`server` runs it; `layer` is the middleware that lets `behaviours` answer as AWS does where moto
is kinder than AWS (see DESIGN.md and each behaviour's module for the AWS page it follows).
"""

from awsarch.adapters.emulator.behaviours import NAMES as BEHAVIOURS
from awsarch.adapters.emulator.layer import ManualClock
from awsarch.adapters.emulator.server import (
    DEFAULT_REGION,
    HOST,
    TIME_SCALE,
    Emulator,
    serve,
    start,
)

__all__ = [
    "BEHAVIOURS",
    "DEFAULT_REGION",
    "HOST",
    "TIME_SCALE",
    "Emulator",
    "ManualClock",
    "serve",
    "start",
]
