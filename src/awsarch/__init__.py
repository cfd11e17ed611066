"""awsarch: build the classic secure AWS architecture from one blueprint, and prove it.

The Python API does what the verbs do, for programs: check a blueprint (every rule, every
intent proved), ask what reaches what, read what is live, and plan and apply the changes. It
returns data (findings, proofs, verdicts, plans) and raises only `AwsarchError`s: `InputError`
for the user's input (located at FILE:LINE:COL), `ToolError` when awsarch cannot do its job.

    import awsarch

    result = awsarch.check("blueprint.yaml")
    for finding in result.findings:
        print(result.locate(finding.path), finding.severity, finding.rule_id, finding.message)
    verdict = awsarch.reach(result.architecture, "internet", "main", port=3306)
    print(verdict.verdict)                      # unreachable
    for proof in awsarch.prove(result.architecture, ["web -> main:3306"]):
        print(proof.holds, proof.summary)       # True reachable on tcp/3306 (4 of 4 placements)

`import awsarch` loads nothing but this module: each name is imported on first use (PEP 562),
so `awsarch check` starts as fast as it did and nothing loads boto3 until it talks to AWS.
"""

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it the same)
if TYPE_CHECKING:
    from awsarch.adapters.aws.apply import ApplyError, ApplyResult
    from awsarch.adapters.aws.errors import (
        AccessDeniedError,
        AwsError,
        CredentialsError,
        EndpointError,
        RegionError,
        ThrottledError,
    )
    from awsarch.adapters.aws.resources.compute import ProtectedError
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.analysis.endpoints import UnknownEndpointError
    from awsarch.analysis.iam_intents import PermissionIntentError
    from awsarch.analysis.intents import IntentError
    from awsarch.analysis.verdict import Verdict
    from awsarch.api import (
        account_zones,
        apply,
        check,
        diff,
        expand,
        load,
        observe,
        plan,
        prove,
        reach,
    )
    from awsarch.blueprint.load import Loaded
    from awsarch.deploy.diff import Change
    from awsarch.deploy.plan import Plan, PlanRefused
    from awsarch.errors import AwsarchError, FindingsError, InputError, ToolError
    from awsarch.model import Architecture
    from awsarch.rules.base import Finding
    from awsarch.usecases.live import Observed
    from awsarch.usecases.proofs import BadIntent, IntentProof
    from awsarch.usecases.verify import Verified

__version__ = "0.1.0"

_HOME = {
    # what the verbs do
    "load": "awsarch.api:load",
    "expand": "awsarch.api:expand",
    "check": "awsarch.api:check",
    "reach": "awsarch.api:reach",
    "prove": "awsarch.api:prove",
    "account_zones": "awsarch.api:account_zones",
    "observe": "awsarch.api:observe",
    "diff": "awsarch.api:diff",
    "plan": "awsarch.api:plan",
    "apply": "awsarch.api:apply",
    # what they take and give
    "Loaded": "awsarch.blueprint.load:Loaded",
    "Architecture": "awsarch.model:Architecture",
    "Verified": "awsarch.usecases.verify:Verified",
    "Finding": "awsarch.rules.base:Finding",
    "IntentProof": "awsarch.usecases.proofs:IntentProof",
    "Verdict": "awsarch.analysis.verdict:Verdict",
    "AwsSession": "awsarch.adapters.aws.session:AwsSession",
    "Observed": "awsarch.usecases.live:Observed",
    "Change": "awsarch.deploy.diff:Change",
    "Plan": "awsarch.deploy.plan:Plan",
    "ApplyResult": "awsarch.adapters.aws.apply:ApplyResult",
    # what they raise (the whole tree: awsarch.errors)
    "AwsarchError": "awsarch.errors:AwsarchError",
    "InputError": "awsarch.errors:InputError",
    "IntentError": "awsarch.analysis.intents:IntentError",
    "PermissionIntentError": "awsarch.analysis.iam_intents:PermissionIntentError",
    "UnknownEndpointError": "awsarch.analysis.endpoints:UnknownEndpointError",
    "BadIntent": "awsarch.usecases.proofs:BadIntent",
    "PlanRefused": "awsarch.deploy.plan:PlanRefused",
    "ToolError": "awsarch.errors:ToolError",
    "AwsError": "awsarch.adapters.aws.errors:AwsError",
    "CredentialsError": "awsarch.adapters.aws.errors:CredentialsError",
    "AccessDeniedError": "awsarch.adapters.aws.errors:AccessDeniedError",
    "RegionError": "awsarch.adapters.aws.errors:RegionError",
    "EndpointError": "awsarch.adapters.aws.errors:EndpointError",
    "ThrottledError": "awsarch.adapters.aws.errors:ThrottledError",
    "ApplyError": "awsarch.adapters.aws.apply:ApplyError",
    "ProtectedError": "awsarch.adapters.aws.resources.compute:ProtectedError",
    "FindingsError": "awsarch.errors:FindingsError",
}
"""Each public name → `module:attribute`, imported on first use."""

__all__ = [
    "AccessDeniedError",
    "ApplyError",
    "ApplyResult",
    "Architecture",
    "AwsError",
    "AwsSession",
    "AwsarchError",
    "BadIntent",
    "Change",
    "CredentialsError",
    "EndpointError",
    "Finding",
    "FindingsError",
    "InputError",
    "IntentError",
    "IntentProof",
    "Loaded",
    "Observed",
    "PermissionIntentError",
    "Plan",
    "PlanRefused",
    "ProtectedError",
    "RegionError",
    "ThrottledError",
    "ToolError",
    "UnknownEndpointError",
    "Verdict",
    "Verified",
    "account_zones",
    "apply",
    "check",
    "diff",
    "expand",
    "load",
    "observe",
    "plan",
    "prove",
    "reach",
]
"""The curated surface: every name of `_HOME` (a test keeps the two equal)."""


if not TYPE_CHECKING:  # type checkers see the imports above, and flag a name not among them

    def __getattr__(name: str) -> object:
        """`awsarch.check` and the rest: imported on first use, then kept (PEP 562)."""
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        module, attribute = home.split(":")
        value = getattr(import_module(module), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
