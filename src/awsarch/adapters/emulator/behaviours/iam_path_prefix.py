"""ListGroups returns only the groups under `PathPrefix`, as IAM documents.

https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html: "PathPrefix — The path
prefix for filtering the results". moto returns every group of the account, so a stack would see
(and read the policies of) groups that are not its own.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled

NAME = "iam_path_prefix"


class IamPathPrefix(Behaviour):
    name = NAME
    services = frozenset({"iam"})

    def install(self) -> None:
        from moto.core.responses import ActionResult
        from moto.iam.responses import IamResponse

        original = IamResponse.list_groups
        if getattr(original, "_awsarch", False):
            return

        def list_groups(response: Any) -> Any:
            if not enabled(NAME):
                return original(response)
            prefix = response._get_param("PathPrefix") or "/"
            groups = [g for g in response.backend.list_groups() if g.path.startswith(prefix)]
            return ActionResult({"Groups": groups})

        list_groups._awsarch = True  # type: ignore[attr-defined]
        IamResponse.list_groups = list_groups  # type: ignore[assignment,method-assign]
