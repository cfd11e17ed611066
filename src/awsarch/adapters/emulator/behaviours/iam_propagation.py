"""New IAM instance profiles and roles take a while to be usable everywhere.

IAM is eventually consistent: "changes are not immediately visible ... an instance profile you
just created may not be usable right away"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
Meanwhile RunInstances and AssociateIamInstanceProfile answer `InvalidParameterValue` ("Invalid IAM
Instance Profile name"), and sts:AssumeRole of a new role answers `AccessDenied`.
"""

from __future__ import annotations

from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error, query_error

AWS_SECONDS = 10.0
"""How long a new instance profile or role takes to propagate (seconds, typically)."""
PROFILE_PARAMS = ("IamInstanceProfile.Name", "IamInstanceProfile.Arn")


class IamPropagation(Behaviour):
    name = "iam_propagation"
    services = frozenset({"ec2", "iam", "sts"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._ready_at: dict[str, float] = {}
        """Instance profile or role name → when it is usable."""

    def before(self, call: Call) -> Answer | None:
        if call.action in ("RunInstances", "AssociateIamInstanceProfile"):
            for param in PROFILE_PARAMS:
                name = call.params.get(param, "").rsplit("/", 1)[-1]
                if name and not self._ready(name):
                    return ec2_error(
                        "InvalidParameterValue",
                        f"Value ({call.params[param]}) for parameter iamInstanceProfile.name is"
                        " invalid. Invalid IAM Instance Profile name",
                    )
        if call.action == "AssumeRole":
            role = call.params.get("RoleArn", "").rsplit("/", 1)[-1]
            if role and not self._ready(f"role:{role}"):
                return query_error(
                    "AccessDenied",
                    f"User is not authorized to perform: sts:AssumeRole on resource: "
                    f"{call.params['RoleArn']}",
                    status=403,
                )
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        deadline = self.clock.after(AWS_SECONDS)
        with self.lock:
            if call.action in ("CreateInstanceProfile", "AddRoleToInstanceProfile"):
                self._ready_at[call.params.get("InstanceProfileName", "")] = deadline
            elif call.action == "CreateRole":
                self._ready_at["role:" + call.params.get("RoleName", "")] = deadline
        return answer

    def _ready(self, name: str) -> bool:
        with self.lock:
            deadline = self._ready_at.get(name)
        return deadline is None or self.clock.passed(deadline)
