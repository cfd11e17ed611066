"""A service-managed StackSet of the synthesized template, through the one AWS seam.

https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html:
with service-managed permissions, create and delete operations name organizational units;
individual accounts are chosen within them (AccountFilterType INTERSECTION).
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.session import AwsSession
from awsarch.cfn.builder import PROTECTION
from awsarch.cfn.stacks import CAPABILITIES

IAM_NAMES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
}
"""IAM names are global to an account: two regions of one account cannot both create them."""


def named_iam(template: dict[str, Any]) -> list[str]:
    """The logical ids of the template's IAM resources that carry a fixed name."""
    return sorted(
        logical
        for logical, resource in template.get("Resources", {}).items()
        if IAM_NAMES.get(resource.get("Type", "")) in resource.get("Properties", {})
    )


def targets(accounts: list[str], ous: list[str]) -> dict[str, Any]:
    target: dict[str, Any] = {"OrganizationalUnitIds": ous}
    if accounts:
        target.update(Accounts=accounts, AccountFilterType="INTERSECTION")
    return target


def preferences(max_concurrent: int, failure_tolerance: int) -> dict[str, Any]:
    return {
        "MaxConcurrentCount": max_concurrent,
        "FailureToleranceCount": failure_tolerance,
        "RegionConcurrencyType": "SEQUENTIAL",
    }


def exists(session: AwsSession, name: str) -> bool:
    from awsarch.adapters.aws.errors import AwsError

    try:
        status = session.call("cloudformation", "describe_stack_set", StackSetName=name)
    except AwsError as exc:
        if "StackSetNotFound" in str(exc):
            return False
        raise
    return bool(status["StackSet"].get("Status") != "DELETED")


def _auto(on: bool) -> dict[str, Any]:
    return {"Enabled": True, "RetainStacksOnAccountRemoval": False} if on else {"Enabled": False}


def put(session: AwsSession, name: str, body: str, parameters: dict[str, str], auto: bool) -> str:
    """Create the StackSet, or update its template; "created" or "updated"."""
    common: dict[str, Any] = {
        "StackSetName": name,
        "TemplateBody": body,
        "Capabilities": CAPABILITIES,
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        "PermissionModel": "SERVICE_MANAGED",
        "AutoDeployment": {
            "Enabled": auto,
            **({"RetainStacksOnAccountRemoval": False} if auto else {}),
        },
    }
    if exists(session, name):
        session.call("cloudformation", "update_stack_set", **common)
        return "updated"
    session.call("cloudformation", "create_stack_set", **common)
    return "created"


def create_instances(
    session: AwsSession,
    name: str,
    target: dict[str, Any],
    regions: list[str],
    prefs: dict[str, Any],
) -> str:
    answer = session.call(
        "cloudformation",
        "create_stack_instances",
        StackSetName=name,
        DeploymentTargets=target,
        Regions=regions,
        OperationPreferences=prefs,
    )
    return str(answer["OperationId"])


def delete_instances(
    session: AwsSession,
    name: str,
    target: dict[str, Any],
    regions: list[str],
    prefs: dict[str, Any],
) -> str:
    answer = session.call(
        "cloudformation",
        "delete_stack_instances",
        StackSetName=name,
        DeploymentTargets=target,
        Regions=regions,
        OperationPreferences=prefs,
        RetainStacks=False,
    )
    return str(answer["OperationId"])


def lift_protection(
    session: AwsSession,
    name: str,
    target: dict[str, Any],
    regions: list[str],
    prefs: dict[str, Any],
) -> str:
    """Update the StackSet's instances with DeletionProtection=false (the template unchanged,
    every other parameter as it was), so that deleting them can delete their databases and
    load balancers; the operation's id."""
    current = session.call("cloudformation", "describe_stack_set", StackSetName=name)
    kept = [
        {"ParameterKey": p["ParameterKey"], "UsePreviousValue": True}
        for p in current["StackSet"].get("Parameters", [])
        if p["ParameterKey"] != PROTECTION
    ]
    answer = session.call(
        "cloudformation",
        "update_stack_set",
        StackSetName=name,
        UsePreviousTemplate=True,
        Capabilities=CAPABILITIES,
        Parameters=[*kept, {"ParameterKey": PROTECTION, "ParameterValue": "false"}],
        DeploymentTargets=target,
        Regions=regions,
        OperationPreferences=prefs,
    )
    return str(answer["OperationId"])


def operation_status(session: AwsSession, name: str, operation: str) -> str:
    answer = session.call(
        "cloudformation", "describe_stack_set_operation", StackSetName=name, OperationId=operation
    )
    return str(answer["StackSetOperation"]["Status"])


def instances(session: AwsSession, name: str) -> list[dict[str, Any]]:
    pages = session.pages("cloudformation", "list_stack_instances", StackSetName=name)
    return [s for page in pages for s in page.get("Summaries", [])]


def delete(session: AwsSession, name: str) -> None:
    session.call("cloudformation", "delete_stack_set", StackSetName=name)
