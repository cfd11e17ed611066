"""The one exception tree of awsarch: every exception class it defines, under its real parent.

    AwsarchError                 every error awsarch raises on purpose; one line (exit 1)
    ├── InputError               the user's input is wrong: FILE:LINE:COL and the fix (exit 2)
    │   ├── IntentError          a network intent cannot be parsed (exit 2)
    │   ├── PermissionIntentError  a permission intent cannot be read or resolved (exit 2)
    │   ├── UnknownEndpointError an endpoint names nothing; lists what does (exit 2)
    │   ├── BadIntent            an intent of a list is wrong; `index` says which (exit 2)
    │   ├── PolicyError          a policy document IAM would reject (exit 2)
    │   ├── VpcTooSmall          the VPC cannot hold a subnet for every tier and AZ (exit 2)
    │   └── PlanRefused          a change AWS cannot make to what is live; nothing done (exit 2)
    ├── ToolError                awsarch could not do its job (exit 1)
    │   ├── AwsError             an AWS call failed; `operation` names it (exit 1)
    │   │   ├── CredentialsError     no credentials, or AWS rejected them (exit 1)
    │   │   ├── AccessDeniedError    the identity lacks a permission; `action` names it (exit 1)
    │   │   ├── RegionError          no region configured, or one AWS does not have (exit 1)
    │   │   ├── EndpointError        the endpoint cannot be reached (exit 1)
    │   │   └── ThrottledError       AWS kept throttling after every retry (exit 1)
    │   ├── ApplyError           an action of a plan failed; running again resumes (exit 1)
    │   ├── ProtectedError       only `down` may delete a deletion-protected database (exit 1)
    │   ├── LockHeldError        another run holds the stack's lock; nothing changed (exit 1)
    │   └── CannotSynthesize     CloudFormation cannot express the model as deployed (exit 1)
    └── Outcome                  the job is done; its answer is the exit code (no traceback)
        ├── FindingsError        error findings, a failed intent or drift (exit 3), already printed
        │   └── DemoFailed       a step of `awsarch demo` did not show what it should (exit 3)
        ├── IncompleteAuditError a unit of an organization audit could not be audited (exit 4)
        ├── ChangesPending       `plan --detailed-exitcode` found changes to make (exit 2)
        └── Cancelled            the user answered no to a question (exit 1): nothing changed

A problem in the user's *architecture* is never an exception: it is a finding (data). Library
errors (botocore's, PyYAML's) are re-raised as one of these `from` the original. Each class
lives beside the code that raises it; `tests/test_errors.py` keeps this tree true.
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
