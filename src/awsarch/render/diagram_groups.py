"""Security groups drawn as boundaries: a dashed frame around each card of a group's members,
tagged with the group's name, the way AWS architecture diagrams draw them.

Pure. A security group is not a place: its members (security group A's web servers, B's
database) sit in different subnets and zones, so one rectangle around them all would also
cover what is not in the group. Each member card gets its own frame instead, all with the
same name, as AWS's reference architectures do
(https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html: a group applies to
the network interfaces it is attached to).
"""

from __future__ import annotations

from collections.abc import Iterable

from awsarch.model import Architecture, Database, Instance, LoadBalancer
from awsarch.render import diagram_style as s
from awsarch.render.diagram_box import Box
from awsarch.render.diagram_cells import STANDBY

PAD = 4
"""How far outside its card a group's frame runs (inside the subnet's padding)."""
TAG_H = 14
"""Height of the tag carrying the group's name, centred on the frame's top edge."""


def group_frames(arch: Architecture, boxes: Iterable[Box], drawn_as: dict[str, str]) -> list[Box]:
    """A frame per instance, database or load balancer card whose resource is in some
    security group."""
    first_member = {card: inst for inst, card in reversed(drawn_as.items())}
    frames = []
    for box in boxes:
        if box.kind not in ("instance", "database", "lb"):
            continue
        resource = arch.find(first_member.get(box.id, box.id.removesuffix(STANDBY)))
        if not isinstance(resource, (Instance, Database, LoadBalancer)):
            continue
        names = [_name(arch, group_id) for group_id in resource.security_group_ids]
        if names:
            frames.append(
                Box(
                    id=f"sg-frame:{box.id}",
                    kind="sg",
                    x=box.x - PAD,
                    y=box.y - PAD,
                    w=box.w + 2 * PAD,
                    h=box.h + 2 * PAD,
                    parent=box.parent,
                    label=", ".join(names),
                    variant=" ".join(resource.security_group_ids),
                )
            )
    return frames


def tag_text(box: Box) -> str:
    """The group's name as its tag shows it: cut with an ellipsis to end left of the frame's
    centre, where arrows arrive at and leave the card."""
    room = box.w // 2 - 8 - 8 - 6
    text = box.label
    while len(text) > 1 and s.text_width(text, s.TAG, bold=True) > room:
        text = text[:-2] + "…"
    return text


def tag(box: Box) -> tuple[int, int, int, int]:
    """The rectangle of a frame's name tag: left on its top edge, the text 11 px bold."""
    width = s.text_width(tag_text(box), s.TAG, bold=True) + 8
    return (box.x + 8, box.y - TAG_H // 2, width, TAG_H)


def _name(arch: Architecture, group_id: str) -> str:
    return str(getattr(arch.find(group_id), "name", group_id))
