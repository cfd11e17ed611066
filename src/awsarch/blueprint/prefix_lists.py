"""How a blueprint names a managed prefix list, and what each kind of name becomes.

`from:` in a server group's `allow:` names one of three things:
- a list of this blueprint (`office`): the stack creates and owns it, logical id
  `prefix-list/office`; its CIDRs are known, so proofs are exact;
- an existing list by id (`pl-0abc…`): used as it is, never created or deleted;
- an AWS-managed list by name (`com.amazonaws.global.cloudfront.origin-facing`): resolved to its id
  at deploy time (DescribeManagedPrefixLists by name), never created or deleted
  (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
The last two are not read before deploy: a proof that depends on them says `unknown`.
"""

from __future__ import annotations

import re
from typing import Literal

SourceKind = Literal["own", "id", "aws-managed"]
LOGICAL_PREFIX = "prefix-list/"
LIST_ID = re.compile(r"pl-[0-9a-f]{8,17}")
AWS_MANAGED = re.compile(r"com\.amazonaws\.[a-z0-9.-]+")


def source_kind(source: str) -> SourceKind:
    """Which of the three a `from:` names (an unknown own name is still `own`)."""
    if LIST_ID.fullmatch(source):
        return "id"
    if AWS_MANAGED.fullmatch(source):
        return "aws-managed"
    return "own"


def logical_id(name: str) -> str:
    return LOGICAL_PREFIX + name


def list_name(stack: str, name: str) -> str:
    """The PrefixListName of the stack's list `name` (discovery also finds it by tag)."""
    return f"{stack}-{name}"
