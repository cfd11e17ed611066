"""The one exception tree of awsarch.

    AwsarchError                 every error awsarch raises on purpose
    ├── InputError               the user's input is wrong (exit 2): names FILE:LINE:COL and the fix
    ├── ToolError                awsarch could not do its job (exit 1)
    └── Outcome                  the job is done; its answer is the exit code (no traceback)
        ├── FindingsError        error findings, a failed intent or drift (exit 3), already printed
        ├── IncompleteAuditError a unit of an organization audit could not be audited (exit 4)
        ├── ChangesPending       `plan --detailed-exitcode` found changes to make (exit 2)
        └── Cancelled            the user answered no to a question (exit 1): nothing changed

A problem in the user's *architecture* is never an exception: it is a finding (data).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_TOOL = 1
EXIT_INPUT = 2
EXIT_FINDINGS = 3
EXIT_INCOMPLETE = 4
"""`audit --org` and `audit merge`: some unit could not be audited (its reason is reported).
Takes precedence over 3 (error findings): the answer is incomplete, whatever it found."""
EXIT_CHANGES = 2
"""`plan --detailed-exitcode`: changes pending, as Terraform's `plan -detailed-exitcode` says it
(https://developer.hashicorp.com/terraform/cli/commands/plan#detailed-exitcode)."""


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


class Outcome(AwsarchError):
    """The command did its job and its answer is not a plain yes: the exit code carries it.

    What it found is printed already, so the handler prints only the message, if there is one,
    and never a traceback, even with --debug: an outcome is not a bug."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class FindingsError(Outcome):
    """The architecture has error findings, a failed intent, or drift from its blueprint."""

    exit_code = EXIT_FINDINGS


class IncompleteAuditError(Outcome):
    """An organization audit could not audit every unit; the report names each and why."""

    exit_code = EXIT_INCOMPLETE


class ChangesPending(Outcome):
    """`plan --detailed-exitcode`: the plan is not empty (a success, as Terraform's exit 2)."""

    exit_code = EXIT_CHANGES


class Cancelled(Outcome):
    """The user answered no to a question: nothing was changed (exit 1, as Terraform's
    "Apply cancelled.")."""

    exit_code = EXIT_TOOL
