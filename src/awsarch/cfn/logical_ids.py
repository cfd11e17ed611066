"""CloudFormation logical ids from the model's ids: `subnet/public-a` → `SubnetPublicA`.

Readable (the kind spelled out, the name in CamelCase) and stable: the same model always gives
the same ids, and an id depends only on its resource, so adding a resource never renames
another. CloudFormation takes only letters and digits, up to 255 characters
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html).
"""

from __future__ import annotations

import hashlib
import itertools
import re

KINDS = {
    "vpc": "Vpc",
    "subnet": "Subnet",
    "rtb": "RouteTable",
    "igw": "InternetGateway",
    "eip": "ElasticIp",
    "nat": "NatGateway",
    "acl": "NetworkAcl",
    "sg": "SecurityGroup",
    "role": "Role",
    "profile": "InstanceProfile",
    "instance": "Instance",
    "dbsubnets": "DbSubnetGroup",
    "db": "Database",
    "group": "Group",
    "user": "User",
    "lb": "LoadBalancer",
    "tg": "TargetGroup",
    "asg": "AutoScalingGroup",
    "listener": "Listener",
}
"""The model's id prefixes (see blueprint/expand.py) spelled as people read them."""
LIMIT = 255


def camel(text: str) -> str:
    """`db-main` → `DbMain`, `0.0.0.0/0` → `0x0x0x0x0`: letters and digits only."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    if all(p.isdigit() for p in parts):
        return "x".join(parts)
    return "".join(p[:1].upper() + p[1:] for p in parts)


def readable(model_id: str) -> str:
    """The id before uniqueness: the kind's word, then the name in CamelCase."""
    kind, _, name = model_id.partition("/")
    if not name:
        return camel(kind)
    return KINDS.get(kind, camel(kind)) + camel(name)


class LogicalIds:
    """Hands out unique logical ids: of two that clash (`web-1` and `web1`, both `Web1`), the
    later one gets a short hash of what it names, so both stay deterministic."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, candidate: str, owner: str) -> str:
        """A unique id for `owner` (the full thing it names): `candidate` when free."""
        logical = candidate[:LIMIT]
        if logical in self._taken:
            digest = hashlib.sha256(owner.encode()).hexdigest()[:8]
            logical = base = candidate[: LIMIT - 12] + "H" + digest
            for n in itertools.count(2):
                if logical not in self._taken:
                    break
                logical = f"{base}{n}"
        self._taken.add(logical)
        return logical
