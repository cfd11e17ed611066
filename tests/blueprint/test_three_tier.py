"""`load_balancers:` and `servers.<g>.scaling:` expand into the three tiers the architecture
draws: a load balancer in the public subnets with its own group, app servers in an Auto Scaling
group in private subnets admitting the target port from that group only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import three_tier_text
from awsarch.cli.main import cli
from awsarch.errors import InputError
from awsarch.model import Peer


def _arch(text: str = "") -> object:
    return expand(load_text(text or three_tier_text(), file="three.yaml").blueprint)


def test_the_load_balancer_spans_the_public_subnets_with_its_own_group() -> None:
    arch = _arch()
    (lb,) = arch.load_balancers  # type: ignore[attr-defined]
    assert lb.subnet_ids == ("subnet/public-a", "subnet/public-b")
    assert lb.internet_facing and lb.deletion_protection
    assert [(x.port, x.protocol, x.redirect_port) for x in lb.listeners] == [
        (443, "HTTPS", None),
        (80, "HTTP", 443),
    ]
    group = arch.security_group("sg/lb-front")  # type: ignore[attr-defined]
    assert {r.ports.first for r in group.ingress} == {80, 443}
    assert [(r.ports.first, r.peer) for r in group.egress] == [(8080, Peer.group("sg/app"))]


def test_app_servers_scale_in_private_subnets_and_admit_only_the_load_balancer() -> None:
    arch = _arch()
    (asg,) = arch.auto_scaling_groups  # type: ignore[attr-defined]
    assert (asg.min_size, asg.desired, asg.max_size) == (2, 2, 6)
    assert asg.subnet_ids == ("subnet/app-a", "subnet/app-b")
    assert asg.target_group_ids == ("tg/front",)
    members = [i for i in arch.instances if i.scaling_group == asg.id]  # type: ignore[attr-defined]
    assert len(members) == 2 and not any(i.has_public_ip for i in members)
    app = arch.security_group("sg/app")  # type: ignore[attr-defined]
    assert [(r.ports.first, r.peer) for r in app.ingress] == [(8080, Peer.group("sg/lb-front"))]
    (tg,) = arch.target_groups  # type: ignore[attr-defined]
    assert arch.targets_of(tg) == tuple(members)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "    tier: public\n    listeners",
            "    tier: app\n    listeners",
            "19:11",
            "needs a public tier, and 'app' is private — set tier: public, or set scheme: internal",
        ),
        ("servers: app ", "servers: api ", "24:16", "no server group named 'api'"),
        ("redirect: 443}", "redirect: 8443}", "22:46", "redirect: 8443 names no HTTPS listener"),
        ("desired: 2}", "desired: 9}", "30:40", "desired 9 lies outside min 2 and max 6"),
    ],
)
def test_a_wrong_load_balancer_or_scaling_is_refused_at_its_line(
    old: str, new: str, where: str, message: str
) -> None:
    text = three_tier_text()
    assert old in text
    with pytest.raises(InputError) as refused:
        load_text(text.replace(old, new, 1), file="three.yaml")
    assert f"three.yaml:{where}:" in str(refused.value)
    assert message in str(refused.value)


def test_init_three_tier_writes_it(tmp_path: Path) -> None:
    target = tmp_path / "b.yaml"
    result = CliRunner().invoke(cli, ["init", "--three-tier", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text() == three_tier_text()
