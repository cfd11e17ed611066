"""Resolve CloudFormation's intrinsic functions and conditions, purely.

Each function follows its page in the reference
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
What cannot be known before deploy (an import, an address, a parameter without a default)
becomes `Unknown` with the reason, never a guess: the proofs then say `unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.blueprint.regions import REGION_AZS
from awsarch.errors import InputError
from awsarch.model import Path


@dataclass(frozen=True)
class Unknown:
    """A value known only once deployed (or never offline); `why` says which and why."""

    why: str


NO_VALUE = object()
"""`Ref: AWS::NoValue`: the property is removed."""
_SUB = re.compile(r"\$\{([^}]*)\}")
Attributes = Callable[[str, str, Path], Any]
"""(logical id, attribute, where) → the attribute's value (an Unknown when not known)."""
Refs = Callable[[str], Any]


class Resolver:
    """Resolves values of one template with its parameters, conditions and resources."""

    def __init__(
        self,
        doc: Document,
        *,
        parameters: Mapping[str, Any],
        refs: Refs,
        attributes: Attributes,
        region: str,
    ) -> None:
        self.doc = doc
        self.template: Mapping[str, Any] = doc.data
        self.parameters = parameters
        self.refs = refs
        self.attributes = attributes
        self.region = region
        self._conditions: dict[str, bool | Unknown] = {}

    # ---- values ------------------------------------------------------------------------------
    def value(self, raw: Any, path: Path) -> Any:
        """The value with every intrinsic function resolved (Unknown where it cannot be)."""
        if isinstance(raw, dict):
            if len(raw) == 1:
                ((name, argument),) = raw.items()
                if name == "Ref" or name.startswith("Fn::"):
                    return self._function(name, argument, (*path, name))
            resolved = {k: self.value(v, (*path, k)) for k, v in raw.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(raw, list):
            items = [self.value(v, (*path, i)) for i, v in enumerate(raw)]
            return [v for v in items if v is not NO_VALUE]
        return raw

    def _function(self, name: str, argument: Any, path: Path) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return Unknown(f"{name} is not evaluated offline")
        return handler(self, argument, path)

    def ref(self, name: Any, path: Path) -> Any:
        if not isinstance(name, str):
            raise self.doc.error(path, "Ref takes a name — write `Ref: LogicalId`")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        if name in (self.template.get("Resources") or {}):
            return self.refs(name)
        raise self.doc.error(
            path, f"Ref to {name!r}, which is neither a parameter nor a resource — fix the name"
        )

    def get_att(self, argument: Any, path: Path) -> Any:
        if isinstance(argument, str):
            argument = argument.split(".", 1)
        argument = self.value(argument, path)
        if not (isinstance(argument, list) and len(argument) == 2):
            raise self.doc.error(path, "Fn::GetAtt takes [LogicalId, Attribute]")
        resource, attribute = argument
        if isinstance(attribute, Unknown):
            return attribute
        if resource not in (self.template.get("Resources") or {}):
            raise self.doc.error(path, f"Fn::GetAtt of {resource!r}, which is not a resource")
        return self.attributes(str(resource), str(attribute), path)

    def sub(self, argument: Any, path: Path) -> Any:
        text, variables = (argument, {}) if isinstance(argument, str) else [*argument, {}][:2]
        if not isinstance(text, str) or not isinstance(variables, dict):
            raise self.doc.error(path, "Fn::Sub takes a string or [string, {variables}]")
        values = {k: self.value(v, (*path, 1, k)) for k, v in variables.items()}
        unknown: list[Unknown] = []

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            found = values[name] if name in values else self._sub_name(name, path)
            if isinstance(found, Unknown):
                unknown.append(found)
                return ""
            return str(found)

        result = _SUB.sub(replace, text)
        return unknown[0] if unknown else result

    def _sub_name(self, name: str, path: Path) -> Any:
        if "." in name and name.split(".", 1)[0] in (self.template.get("Resources") or {}):
            return self.get_att(name, path)
        return self.ref(name, path)

    def join(self, argument: Any, path: Path) -> Any:
        argument = self.value(argument, path)
        if not (isinstance(argument, list) and len(argument) == 2):
            raise self.doc.error(path, "Fn::Join takes [delimiter, [values]]")
        delimiter, items = argument
        if isinstance(items, Unknown):
            return items
        unknown = [i for i in items if isinstance(i, Unknown)]
        return unknown[0] if unknown else str(delimiter).join(str(i) for i in items)

    def select(self, argument: Any, path: Path) -> Any:
        argument = self.value(argument, path)
        if not (isinstance(argument, list) and len(argument) == 2):
            raise self.doc.error(path, "Fn::Select takes [index, [values]]")
        index, items = argument
        if isinstance(items, Unknown) or isinstance(index, Unknown):
            return items if isinstance(items, Unknown) else index
        if not isinstance(items, list) or not str(index).isdigit() or int(index) >= len(items):
            raise self.doc.error(path, f"Fn::Select index {index} is outside the list")
        return items[int(index)]

    def split(self, argument: Any, path: Path) -> Any:
        argument = self.value(argument, path)
        if not (isinstance(argument, list) and len(argument) == 2):
            raise self.doc.error(path, "Fn::Split takes [delimiter, string]")
        delimiter, text = argument
        return text if isinstance(text, Unknown) else str(text).split(str(delimiter))

    def get_azs(self, argument: Any, path: Path) -> Any:
        """The region's zones in order (the account's own may differ: offline, AWS's names)."""
        region = self.value(argument, path) or self.region
        if isinstance(region, Unknown):
            return region
        if region not in REGION_AZS:
            return Unknown(f"the zones of region {region!r} are not known offline")
        return list(REGION_AZS[region])

    def if_(self, argument: Any, path: Path) -> Any:
        if not (isinstance(argument, list) and len(argument) == 3):
            raise self.doc.error(path, "Fn::If takes [condition, value if true, value if false]")
        chosen = self.condition(argument[0], (*path, 0))
        if isinstance(chosen, Unknown):
            return chosen
        return self.value(argument[1 if chosen else 2], (*path, 1 if chosen else 2))

    def find_in_map(self, argument: Any, path: Path) -> Any:
        argument = self.value(argument, path)
        if not (isinstance(argument, list) and len(argument) == 3):
            raise self.doc.error(path, "Fn::FindInMap takes [map, key, key]")
        if any(isinstance(a, Unknown) for a in argument):
            return next(a for a in argument if isinstance(a, Unknown))
        mapping, top, second = (str(a) for a in argument)
        try:
            found = self.template["Mappings"][mapping][top][second]
        except (KeyError, TypeError):
            raise self.doc.error(path, f"no {mapping}.{top}.{second} in Mappings") from None
        return self.value(found, ("Mappings", mapping, top, second))

    def import_value(self, argument: Any, path: Path) -> Any:
        name = self.value(argument, path)
        return Unknown(
            f"Fn::ImportValue {name if isinstance(name, str) else ''} is another stack's"
        )

    # ---- conditions --------------------------------------------------------------------------
    def condition(self, name: Any, path: Path) -> bool | Unknown:
        """A named condition (or an inline condition function) as True, False or Unknown."""
        if not isinstance(name, str):
            return self._truth(name, path)
        if name not in self._conditions:
            conditions = self.template.get("Conditions") or {}
            if name not in conditions:
                raise self.doc.error(path, f"no condition named {name!r} in Conditions")
            self._conditions[name] = self._truth(conditions[name], ("Conditions", name))
        return self._conditions[name]

    def _truth(self, raw: Any, path: Path) -> bool | Unknown:
        if isinstance(raw, dict) and len(raw) == 1:
            ((name, argument),) = raw.items()
            if name == "Condition":
                return self.condition(argument, (*path, name))
            if name in _LOGIC:
                return _LOGIC[name](self, argument, (*path, name))
        value = self.value(raw, path)
        if isinstance(value, bool | Unknown):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise self.doc.error(path, "a condition must be Fn::Equals, Fn::And, Fn::Or or Fn::Not")

    def _equals(self, argument: Any, path: Path) -> bool | Unknown:
        values = self.value(argument, path)
        if not (isinstance(values, list) and len(values) == 2):
            raise self.doc.error(path, "Fn::Equals takes [value, value]")
        unknown = [v for v in values if isinstance(v, Unknown)]
        return unknown[0] if unknown else str(values[0]) == str(values[1])

    def _all(self, argument: Any, path: Path, *, want: bool) -> bool | Unknown:
        """Fn::And (want False to decide) and Fn::Or (want True): decided by any one decisive
        operand even when another is unknown."""
        if not isinstance(argument, list):
            raise self.doc.error(path, "Fn::And and Fn::Or take a list of conditions")
        truths = [self._truth(a, (*path, i)) for i, a in enumerate(argument)]
        if want in truths:
            return want
        unknown = [t for t in truths if isinstance(t, Unknown)]
        return unknown[0] if unknown else not want

    def _not(self, argument: Any, path: Path) -> bool | Unknown:
        inner = argument[0] if isinstance(argument, list) and len(argument) == 1 else None
        if inner is None:
            raise self.doc.error(path, "Fn::Not takes [condition]")
        truth = self._truth(inner, (*path, 0))
        return truth if isinstance(truth, Unknown) else not truth


_FUNCTIONS: dict[str, Callable[[Resolver, Any, Path], Any]] = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::GetAZs": Resolver.get_azs,
    "Fn::If": Resolver.if_,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::ImportValue": Resolver.import_value,
    "Fn::Base64": lambda r, a, p: r.value(a, p),
}
_LOGIC: dict[str, Callable[[Resolver, Any, Path], bool | Unknown]] = {
    "Fn::Equals": Resolver._equals,
    "Fn::And": lambda r, a, p: r._all(a, p, want=False),
    "Fn::Or": lambda r, a, p: r._all(a, p, want=True),
    "Fn::Not": Resolver._not,
}


SSM_TYPE = "AWS::SSM::Parameter::Value<"


def _managed_prefix_lists(doc: Document) -> dict[str, str]:
    """`Metadata: awsarch: prefix_lists:` (parameter → AWS-managed list name), which synth
    writes for the parameters that take a managed list's id in the region: left unset, the
    rule names the list by its name, entries unknown, as the blueprint does."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found = ((data.get("Metadata") or {}).get("awsarch") or {}).get("prefix_lists") or {}
    return (
        {str(k): v for k, v in found.items() if isinstance(v, str)}
        if isinstance(found, dict)
        else {}
    )


def parameter_values(
    doc: Document, overrides: Mapping[str, str], *, region: str, stack: str
) -> dict[str, Any]:
    """Every parameter's value (the override, else its default, else Unknown) and the pseudo
    parameters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html)."""
    declared: Mapping[str, Any] = (doc.data or {}).get("Parameters") or {}
    values: dict[str, Any] = {
        "AWS::Region": region,
        "AWS::StackName": stack,
        "AWS::Partition": "aws-cn" if region.startswith("cn-") else "aws",
        "AWS::URLSuffix": "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com",
        "AWS::AccountId": Unknown("the account id is known only once deployed"),
        "AWS::StackId": Unknown("the stack id is known only once deployed"),
        "AWS::NotificationARNs": [],
    }
    managed = _managed_prefix_lists(doc)
    for name, spec in declared.items():
        spec = spec if isinstance(spec, dict) else {}
        raw = overrides.get(name, spec.get("Default"))
        kind = str(spec.get("Type", ""))
        if raw is None and name in managed:
            values[name] = managed[name]
        elif raw is None:
            values[name] = Unknown(f"parameter {name} has no default — pass --parameter {name}=…")
        elif kind.startswith(("List<", "CommaDelimitedList")):
            values[name] = raw if isinstance(raw, list) else str(raw).split(",")
        elif kind.startswith(SSM_TYPE) and "List<" not in kind:
            # The value of the SSM parameter named, read when the stack is deployed, as a
            # dynamic reference writes it (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types)
            values[name] = f"resolve:ssm:{raw}"
        else:
            values[name] = (
                raw if isinstance(raw, bool | int) and name not in overrides else str(raw)
            )
    for name, raw in overrides.items():
        if name.startswith("AWS::"):
            values[name] = raw
        elif name not in declared:
            known = ", ".join(declared) or "none"
            raise InputError(
                f"--parameter {name}: the template declares no such parameter (it has: {known})",
                file=doc.file,
            )
    return values
