"""IAM's quotas on policy sizes answer `LimitExceeded`, as AWS enforces them.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: the inline policies of
one user together at most 2,048 characters, of one group 5,120, of one role 10,240; a managed
policy at most 6,144 — whitespace not counted. moto accepts any size.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import iam_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, query_error
from awsarch.deploy.permissions import iam_characters

MANAGED_LIMIT = 6144
INLINE_LIMITS = {"PutUserPolicy": 2048, "PutGroupPolicy": 5120, "PutRolePolicy": 10240}
OWNER_PARAM = {
    "PutUserPolicy": "UserName",
    "PutGroupPolicy": "GroupName",
    "PutRolePolicy": "RoleName",
}


class IamQuotas(Behaviour):
    name = "iam_quotas"
    services = frozenset({"iam"})

    def before(self, call: Call) -> Answer | None:
        document = call.params.get("PolicyDocument", "")
        managed = call.action in ("CreatePolicy", "CreatePolicyVersion")
        if managed and iam_characters(document) > MANAGED_LIMIT:
            return _exceeded(f"Cannot exceed quota for PolicySize: {MANAGED_LIMIT}")
        limit = INLINE_LIMITS.get(call.action)
        if limit is not None:
            owner = call.params.get(OWNER_PARAM[call.action], "")
            others = _inline_sizes(call.action, owner, call.params.get("PolicyName", ""))
            if iam_characters(document) + others > limit:
                kind = OWNER_PARAM[call.action].removesuffix("Name")
                return _exceeded(
                    f"Maximum policy size of {limit} bytes exceeded for {kind} {owner}"
                )
        return None


def _inline_sizes(action: str, owner: str, replacing: str) -> int:
    backend = iam_backend()
    holder: Any
    try:
        if action == "PutUserPolicy":
            holder = backend.get_user(owner)
        elif action == "PutGroupPolicy":
            holder = backend.get_group(owner)
        else:
            holder = backend.get_role(owner)
    except Exception:  # moto's own NoSuchEntity answers the call itself
        return 0
    policies = getattr(holder, "policies", {}) or {}
    return sum(
        iam_characters(str(_document(p))) for name, p in policies.items() if name != replacing
    )


def _document(policy: Any) -> Any:
    return getattr(policy, "policy_document", policy)


def _exceeded(message: str) -> Answer:
    return query_error("LimitExceeded", message, status=409)
