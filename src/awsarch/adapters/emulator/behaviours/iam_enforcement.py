"""A call signed by an IAM user (or an assumed role) is authorized by its policies, as on AWS.

moto authorizes every call. AWS evaluates the caller's identity-based policies — the user's inline
and managed policies and those of its groups — for each resource the action involves, with that
resource's condition keys (IAM User Guide, "Policy evaluation logic",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). Which
resources and keys a call involves comes from AWS's Service Authorization Reference
(`awsarch.adapters.emulator.authorize`, `awsarch.adapters.emulator.dependent`). A refused call
answers
UnauthorizedOperation (EC2) or AccessDenied, naming the action and the resource. The emulator's
root credentials (any access key that is not an IAM user's) are allowed everything, as root is.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from typing import Any

from awsarch.adapters.emulator.authorize import (
    Principal,
    Tags,
    global_context,
    own_authorizations,
)
from awsarch.adapters.emulator.behaviours.backends import ec2_backend, iam_backend, rds_backend
from awsarch.adapters.emulator.dependent import RDS_SERVICE, SERVICE_LINKED_ROLES, dependent
from awsarch.adapters.emulator.layer import (
    ACCOUNT_ID,
    Answer,
    Behaviour,
    Call,
    Clock,
    ec2_error,
    query_error,
)
from awsarch.adapters.emulator.sar import SERVICES
from awsarch.analysis.iam import Decision, Request, evaluate
from awsarch.analysis.iam_policy import PolicyDocument, parse_policy
from awsarch.record import record

JSON_SERVICES = frozenset({"ssm", "secretsmanager", "kms"})
KEPT = 100_000
"""The latest authorizations kept for tests to replay (an emulator may run for days)."""


@record
class Caller:
    principal: Principal
    policies: tuple[PolicyDocument, ...]


@record
class Checked:
    """One authorization the emulator made, kept for tests that replay them under other policies."""

    principal: str
    request: Request
    decision: Decision


class IamEnforcement(Behaviour):
    name = "iam_enforcement"
    services = frozenset(SERVICES)

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.checked: deque[Checked] = deque(maxlen=KEPT)

    def before(self, call: Call) -> Answer | None:
        caller = identify(call.access_key)
        if caller is None:
            return None
        facts = MotoFacts(call.region)
        base = global_context(call, caller.principal)
        requests = own_authorizations(call, base, facts) + list(dependent(call, base, facts))
        checked = [
            Checked(
                principal=caller.principal.arn, request=r, decision=evaluate(r, caller.policies)
            )
            for r in requests
        ]
        with self.lock:
            self.checked.extend(checked)
        refused = next((c for c in checked if not c.decision.allowed), None)
        return None if refused is None else refusal(call, refused)

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.service == "rds" and call.action == "CreateDBInstance":
            _ensure_rds_service_linked_role()
        linked = SERVICE_LINKED_ROLES.get((call.service, call.action))
        if linked is not None and answer.status == 200:
            _ensure_service_linked_role(linked[0])
        return answer


def refusal(call: Call, refused: Checked) -> Answer:
    """AWS's words: "User: ARN is not authorized to perform: ACTION on resource: ARN because …"."""
    request, decision, principal = refused.request, refused.decision, refused.principal
    why = (
        "with an explicit deny in an identity-based policy"
        if decision.outcome == "denied-explicit"
        else f"because no identity-based policy allows the {request.action} action"
    )
    message = (
        f"User: {principal} is not authorized to perform: {request.action} on resource: "
        f"{request.resource} {why}"
    )
    if call.service == "ec2":
        answer = ec2_error(
            "UnauthorizedOperation", f"You are not authorized to perform this operation. {message}"
        )
        return Answer(status=403, body=answer.body, content_type=answer.content_type)
    if call.service in JSON_SERVICES:
        body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode()
        return Answer(status=400, body=body, content_type="application/x-amz-json-1.1")
    return query_error("AccessDenied", message, status=403)


def identify(access_key: str) -> Caller | None:
    """The IAM user or assumed role that owns the access key; None for the root credentials."""
    backend = iam_backend()
    for user in list(backend.users.values()):
        if any(k.access_key_id == access_key and k.status == "Active" for k in user.access_keys):
            tags = {t["Key"]: t["Value"] for t in backend.list_user_tags(user.name)}
            principal = Principal(
                arn=user.arn, kind="User", name=user.name, user_id=user.id, tags=tags
            )
            return Caller(principal=principal, policies=tuple(_user_policies(backend, user)))
    return _assumed_role(backend, access_key)


def _assumed_role(backend: Any, access_key: str) -> Caller | None:
    from moto.sts.models import sts_backends

    for assumed in list(sts_backends[ACCOUNT_ID]["aws"].assumed_roles):
        if assumed.access_key_id == access_key:
            role = backend.get_role_by_arn(assumed.role_arn)
            principal = Principal(
                arn=assumed.arn,
                kind="AssumedRole",
                name=role.name,
                user_id=f"{role.id}:{assumed.session_name}",
            )
            return Caller(principal=principal, policies=tuple(_holder_policies(role)))
    return None


def _user_policies(backend: Any, user: Any) -> Iterator[PolicyDocument]:
    yield from _holder_policies(user)
    for group in backend.get_groups_for_user(user.name):
        yield from _holder_policies(group)


def _holder_policies(holder: Any) -> Iterator[PolicyDocument]:
    """Inline and managed policies of a user, group or role, each parsed under its name."""
    for name, document in list(holder.policies.items()):
        yield _parsed(name, document)
    for arn, managed in list(holder.managed_policies.items()):
        yield _parsed(arn, next(v.document for v in managed.versions if v.is_default))


def _parsed(name: str, document: str | dict[str, Any]) -> PolicyDocument:
    return parse_policy(json.loads(document) if isinstance(document, str) else document, name=name)


def _ensure_service_linked_role(service: str) -> None:
    """The service creates its service-linked role with its first resource in the account."""
    if not MotoFacts("").service_linked_role_exists(service):
        iam_backend().create_service_linked_role(service, "", "")


def _ensure_rds_service_linked_role() -> None:
    """RDS creates its service-linked role with the account's first database."""
    facts = MotoFacts("")
    if not facts.service_linked_role_exists(RDS_SERVICE):
        iam_backend().create_service_linked_role(RDS_SERVICE, "", "")


def _autoscaling(region: str) -> Any:
    from moto.autoscaling.models import autoscaling_backends

    return autoscaling_backends[ACCOUNT_ID][region]


def _elb_tags(region: str, arn: str) -> Tags | None:
    """The tags of an existing load balancer, listener or target group; None when it is gone."""
    from moto.elbv2.models import elbv2_backends

    backend = elbv2_backends[ACCOUNT_ID][region]
    listeners = {x for b in backend.load_balancers.values() for x in b.listeners}
    if (
        arn not in backend.load_balancers
        and arn not in backend.target_groups
        and arn not in listeners
    ):
        return None
    return dict(backend.tagging_service.get_tag_dict_for_resource(arn))


class MotoFacts:
    """The account as moto holds it, for the condition keys of existing resources."""

    def __init__(self, region: str) -> None:
        self.region = region

    def tags(self, service: str, kind: str, ident: str) -> Tags | None:
        try:
            return self._tags(service, kind, ident)
        except Exception:  # moto's "no such entity": the resource does not exist
            return None

    def _tags(self, service: str, kind: str, ident: str) -> Tags | None:
        if service == "ec2":
            return dict(ec2_backend(self.region).tags.get(ident, {}))
        if service == "rds":
            backend = rds_backend(self.region)
            holder = {"db": backend.databases, "subgrp": backend.subnet_groups}.get(kind, {}).get(
                ident
            )
            return None if holder is None else {t["Key"]: t["Value"] for t in holder.tags}
        if service == "iam":
            backend = iam_backend()
            if kind == "role":
                return {t["Key"]: t["Value"] for t in backend.get_role(ident).tags}
            if kind == "user":
                return {t["Key"]: t["Value"] for t in backend.list_user_tags(ident)}
            if kind == "instance-profile":
                return {t["Key"]: t["Value"] for t in backend.get_instance_profile(ident).tags}
        if service == "elasticloadbalancing":
            return _elb_tags(self.region, ident)
        if service == "autoscaling":
            group = _autoscaling(self.region).autoscaling_groups.get(ident)
            return None if group is None else {t["Key"]: t["Value"] for t in group.tags}
        return {}

    def group_arn(self, name: str) -> str:
        group = _autoscaling(self.region).autoscaling_groups.get(name)
        return "" if group is None else str(group.arn)

    def template_id(self, template: str) -> str:
        if template.startswith("lt-"):
            return template
        return str(ec2_backend(self.region).launch_template_name_to_ids.get(template, template))

    def template_profile(self, template: str) -> str:
        backend = ec2_backend(self.region)
        try:
            key = "LaunchTemplateId" if template.startswith("lt-") else "LaunchTemplateName"
            data = backend._get_template_from_args({key: template}).data
        except Exception:  # moto's "no such template"
            return ""
        profile = data.get("IamInstanceProfile") or {}
        return str(profile.get("Name") or profile.get("Arn", "").rsplit("/", 1)[-1])

    def iam_path(self, kind: str, name: str) -> str | None:
        backend = iam_backend()
        getter = {
            "role": backend.get_role,
            "user": backend.get_user,
            "group": backend.get_group,
            "instance-profile": backend.get_instance_profile,
        }.get(kind)
        try:
            return None if getter is None else str(getter(name).path)
        except Exception:  # not there yet: the call creates it
            return None

    def profile_roles(self, profile: str) -> list[str]:
        try:
            return [role.arn for role in iam_backend().get_instance_profile(profile).roles]
        except Exception:  # EC2 answers for a missing profile itself
            return []

    def service_linked_role_exists(self, service: str) -> bool:
        path = f"/aws-service-role/{service}/"
        return any(role.path == path for role in list(iam_backend().roles.values()))

    def association(self, association_id: str) -> dict[str, str]:
        for table in list(ec2_backend(self.region).route_tables.values()):
            subnet = table._associations.get(association_id)
            if subnet is not None:
                return {"route-table": table.id, "subnet": subnet}
        return {}

    def copies_tags_to_snapshot(self, db_instance: str) -> bool:
        database = rds_backend(self.region).databases.get(db_instance)
        return bool(database is not None and database.copy_tags_to_snapshot)
