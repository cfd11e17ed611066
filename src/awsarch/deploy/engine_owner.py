"""Which engine deployed a stack, read from what is already there: one engine per stack.

Resources CloudFormation creates carry its `aws:cloudformation:stack-name` tag
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html:
"AWS CloudFormation automatically creates the following stack-level tags … aws:cloudformation:
stack-name"); the direct engine writes an owner record beside the stack lock. Each engine
refuses a stack the other one holds, so neither deletes or repairs what the other manages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CFN_STACK_TAG = "aws:cloudformation:stack-name"
STACK_TAG = "awsarch:stack"


def _tag_sets(raw: Any) -> Iterator[dict[str, str]]:
    """Every `Tags` / `TagList` of the discovery JSON, as a dict."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in ("Tags", "TagList") and isinstance(value, list):
                yield {
                    str(t.get("Key")): str(t.get("Value"))
                    for t in value
                    if isinstance(t, dict) and "Key" in t
                }
            else:
                yield from _tag_sets(value)
    elif isinstance(raw, list):
        for item in raw:
            yield from _tag_sets(item)


def cloudformation_stack(raw: dict[str, Any], stack: str) -> str:
    """The CloudFormation stack that made the awsarch stack's resources ("" when none did)."""
    for tags in _tag_sets(raw):
        if tags.get(STACK_TAG) == stack and CFN_STACK_TAG in tags:
            return tags[CFN_STACK_TAG]
    return ""
