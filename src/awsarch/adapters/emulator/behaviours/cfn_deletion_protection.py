"""A stack's database keeps the deletion protection its template asks for, and a stack whose
resource cannot be deleted ends DELETE_FAILED.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html
(DeletionProtection: "the DB instance can't be deleted when deletion protection is enabled");
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-delete-stack-fails
(a stack whose resource fails to delete stays, DELETE_FAILED, with the resource's reason).
An update of a StackSet's parameters updates every stack instance
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stackinstances-override.html):
a database whose DeletionProtection names the parameter follows it.
moto 5.2.5 creates a stack's database unprotected whatever the template says, lets a deletion
that fails inside a stack answer a 500 instead of failing the stack, and records a StackSet's
new parameters without applying them to its stacks.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled

NAME = "cfn_deletion_protection"
_installed: list[bool] = []
"""Patched once per process (several emulators may start in one), whatever else wraps the
same methods."""


def _protected(value: Any) -> bool:
    return str(value).lower() == "true"


class CfnDeletionProtection(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def install(self) -> None:
        from moto.cloudformation.models import CloudFormationBackend, StackSet
        from moto.rds.models import DBInstance

        if _installed:
            return
        _installed.append(True)
        create = DBInstance.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

        def create_protected(
            cls: Any, name: str, template: Any, account_id: str, region_name: str, **kw: Any
        ) -> Any:
            database = create(cls, name, template, account_id, region_name, **kw)
            if enabled(NAME):
                props = template.get("Properties") or {}
                database.deletion_protection = _protected(props.get("DeletionProtection"))
            return database

        create_protected._awsarch = True  # type: ignore[attr-defined]  # others' install guard
        DBInstance.create_from_cloudformation_json = classmethod(create_protected)  # type: ignore[assignment,method-assign,arg-type]

        delete = CloudFormationBackend.delete_stack

        def delete_or_fail(backend: Any, name_or_id: str) -> None:
            stack = next(
                (s for s in backend.stacks.values() if name_or_id in (s.stack_id, s.name)), None
            )
            if not enabled(NAME) or stack is None:
                delete(backend, name_or_id)
                return
            try:
                delete(backend, name_or_id)
            except Exception as exc:  # any resource refusing fails the stack, as on AWS
                stack._add_stack_event("DELETE_FAILED", resource_status_reason=str(exc))
                stack.status = "DELETE_FAILED"
                backend.stacks[stack.stack_id] = stack

        CloudFormationBackend.delete_stack = delete_or_fail  # type: ignore[assignment,method-assign]

        update = StackSet.update

        def update_and_apply(stack_set: Any, *args: Any, **kwargs: Any) -> Any:
            operation = update(stack_set, *args, **kwargs)
            if enabled(NAME):
                values = _values(stack_set.parameters)
                for instance in stack_set.instances.stack_instances:
                    _apply_protection(getattr(instance, "stack", None), values)
            return operation

        StackSet.update = update_and_apply  # type: ignore[assignment,method-assign]


def _values(parameters: Any) -> dict[str, str]:
    """A StackSet's parameters as moto keeps them (a dict, or a list of key/value pairs)."""
    if isinstance(parameters, dict):
        return {str(k): str(v) for k, v in parameters.items()}
    return {
        str(p["ParameterKey"]): str(p.get("ParameterValue", ""))
        for p in parameters or ()
        if "ParameterValue" in p
    }


def _apply_protection(stack: Any, values: dict[str, str]) -> None:
    """Each database of the stack whose DeletionProtection is a Ref to a parameter given."""
    if stack is None:
        return
    resources = stack.resource_map
    for logical, resource in resources._resource_json_map.items():
        wanted = (resource.get("Properties") or {}).get("DeletionProtection")
        key = wanted.get("Ref") if isinstance(wanted, dict) else None
        database = resources._parsed_resources.get(logical)
        if resource.get("Type") == "AWS::RDS::DBInstance" and key in values and database:
            database.deletion_protection = _protected(values[key])
