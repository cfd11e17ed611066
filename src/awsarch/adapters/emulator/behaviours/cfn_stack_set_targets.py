"""DeleteStackInstances of a service-managed StackSet removes the instances its deployment
targets name, as AWS documents it; moto 5.2.5 reads only the top-level `Accounts`.

https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStackInstances.html:
"DeploymentTargets: [Service-managed permissions] The Organizations accounts from which to
delete stack instances." https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html:
the accounts of the OUs (and their child OUs), narrowed by `AccountFilterType` — INTERSECTION:
only the listed accounts; DIFFERENCE: all but them; UNION: the OUs' accounts and the listed
ones; NONE (or absent): the OUs' accounts. moto, given only DeploymentTargets, deletes nothing
and then DeleteStackSet fails with `StackSetNotEmptyException`.

The StackSet lives in the caller's account (moto keeps backends per account); the OUs are read
from that account's organization, as moto's own CreateStackInstances reads them.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import caller_account, cloudformation_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call

NAME = "cfn_stack_set_targets"
TARGETS = "DeploymentTargets"


def target_accounts(org: Any, ous: list[str], listed: list[str], kind: str) -> list[str]:
    """The accounts a service-managed operation reaches: the OUs' (children included) as
    `AccountFilterType` narrows or widens them."""
    reached = set(ous) | {ou.id for ou in org.ou if ou.parent_id in ous}
    in_ous = [a.id for a in org.accounts if a.parent_id in reached]
    if kind == "INTERSECTION":
        return [a for a in in_ous if a in listed]
    if kind == "DIFFERENCE":
        return [a for a in in_ous if a not in listed]
    if kind == "UNION":
        return sorted(set(in_ous) | set(listed))
    return in_ous


class CfnStackSetTargets(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def before(self, call: Call) -> Answer | None:
        if call.action != "DeleteStackInstances" or call.listed("Accounts"):
            return None
        ous = call.listed(f"{TARGETS}.OrganizationalUnitIds")
        if not ous:
            return None
        backend = cloudformation_backend(call.region, caller_account(call))
        stack_set = backend.describe_stack_set(call.params.get("StackSetName", ""))
        accounts = target_accounts(
            stack_set.instances.org_backend,
            ous,
            call.listed(f"{TARGETS}.Accounts"),
            call.params.get(f"{TARGETS}.AccountFilterType", "NONE"),
        )
        done = backend.delete_stack_instances(stack_set.name, accounts, call.listed("Regions"))
        body = (
            "<DeleteStackInstancesResponse><DeleteStackInstancesResult>"
            f"<OperationId>{done.operations[-1]['OperationId']}</OperationId>"
            "</DeleteStackInstancesResult>"
            "<ResponseMetadata><RequestId>awsarch-emulator</RequestId></ResponseMetadata>"
            "</DeleteStackInstancesResponse>"
        )
        return Answer(status=200, body=body.encode())
