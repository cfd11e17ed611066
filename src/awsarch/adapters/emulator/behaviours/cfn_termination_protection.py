"""A stack's termination protection, as AWS documents it and moto 5.2.5 does not implement.

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html:
"If a user attempts to delete a stack with termination protection enabled, the deletion fails
and the stack, including its status, remains unchanged." UpdateTerminationProtection
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateTerminationProtection.html)
sets it and answers the stack's id; DescribeStacks reports it as EnableTerminationProtection.
moto answers UpdateTerminationProtection with a 500 (not implemented) and deletes any stack.
The refusal is AWS's `ValidationError`, naming the stack.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import caller_account, cloudformation_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, query_error

NAME = "cfn_termination_protection"


def _stack(call: Call) -> Any:
    name = call.params.get("StackName", "")
    for stack in cloudformation_backend(call.region, caller_account(call)).stacks.values():
        if name in (stack.name, stack.stack_id) and not stack.status.startswith("DELETE_COMPLETE"):
            return stack
    return None


class CfnTerminationProtection(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def before(self, call: Call) -> Answer | None:
        if call.action not in ("UpdateTerminationProtection", "DeleteStack"):
            return None
        stack = _stack(call)
        if stack is None:
            return None
        if call.action == "DeleteStack":
            if stack.enable_termination_protection:
                return query_error(
                    "ValidationError",
                    f"Stack [{stack.name}] cannot be deleted while TerminationProtection is"
                    " enabled",
                )
            return None
        stack.enable_termination_protection = (
            call.params.get("EnableTerminationProtection", "").lower() == "true"
        )
        body = (
            "<UpdateTerminationProtectionResponse><UpdateTerminationProtectionResult>"
            f"<StackId>{stack.stack_id}</StackId></UpdateTerminationProtectionResult>"
            "<ResponseMetadata><RequestId>awsarch-emulator</RequestId></ResponseMetadata>"
            "</UpdateTerminationProtectionResponse>"
        )
        return Answer(status=200, body=body.encode())
