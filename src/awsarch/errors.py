"""The one exception tree of awsarch.

    AwsarchError                 every error awsarch raises on purpose
    ├── InputError               the user's input is wrong (exit 2): names FILE:LINE:COL and the fix
    └── ToolError                awsarch could not do its job (exit 1)

A problem in the user's *architecture* is never an exception: it is a finding (data).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_TOOL = 1
EXIT_INPUT = 2
EXIT_FINDINGS = 3


class AwsarchError(Exception):
    """Base of every error awsarch raises on purpose; its message is one line for people."""

    exit_code = EXIT_TOOL


class InputError(AwsarchError):
    """The user's input is wrong: the message says where and what to do instead."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, file: str = "", line: int = 0, column: int = 0) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.file
        if self.line:
            where = f"{where}:{self.line}:{self.column}"
        return f"{where}: {self.detail}" if where else self.detail


class ToolError(AwsarchError):
    """awsarch could not finish what it was asked to do."""

    exit_code = EXIT_TOOL
