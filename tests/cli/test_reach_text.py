"""`awsarch reach` text: the matrix's legend, colour by promise, and live paths under names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from awsarch import analysis
from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file
from awsarch.blueprint.seed import seed_text
from awsarch.blueprint.spec import Blueprint
from awsarch.cli import console
from awsarch.cli.main import cli
from awsarch.model import Architecture, Route
from awsarch.render.reach_text import matrix_promises

ESC = "\x1b["
ID = r"(?:sg|subnet|rtb|igw|acl|i)-[0-9a-f]+"


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """The seed with SSH opened to the internet: `internet -/-> web:22` is broken."""
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text().replace("public_ports: [80, 443]", "public_ports: [22, 80, 443]"))
    return path


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Colour forced (as FORCE_COLOR=1 in a pipe), for the run and for the expected styles."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    console.configure(no_color=False)
    yield


def _run(*args: str, **env: str | None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"NO_COLOR": None, "FORCE_COLOR": None, **env})
    return result.exit_code, result.output


def _row(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"{name} "))


def test_a_templates_matrix_is_marked_by_the_intents_in_its_metadata(
    failing: Path, tmp_path: Path
) -> None:
    """A template carries its intents in `Metadata: awsarch: intents` (synth writes them there):
    `reach --matrix` on the template marks kept and broken promises as on the blueprint."""
    template = tmp_path / "template.yaml"
    code, out = _run("synth", str(failing), "--no-lint", "-o", str(template))
    assert code == 0, out
    code, out = _run("reach", str(template), "--matrix")
    assert code == 0, out
    assert "✗" in _row(out, "internet") and "✓" in out, out


def test_matrix_text_has_a_legend_for_its_words_marks_and_tiers(failing: Path) -> None:
    """Under the table, a legend names every word and mark, and says the tiers are not real
    interfaces; the table marks a kept promise ✓ and a broken one ✗."""
    code, out = _run("reach", str(failing), "--matrix")
    assert code == 0, out
    assert ESC not in out  # not a terminal
    legend = out[out.index("legend:") :]
    for key in ("tcp/443", "- ", "(some)", "?", "·", "✓", "✗", "dim"):
        assert f"\n  {key}" in legend, key
    assert "no mark, no colour: no intent is about the pair" in legend
    assert "public, private are tiers, not real interfaces" in legend
    assert "tcp/22,80,443 ✗" in _row(out, "internet")
    assert "tcp/3306 ✓" in _row(out, "web")
    assert "all ✓" in _row(out, "private")  # private -> internet:443 holds
    assert "✓" not in _row(out, "main") and "✗" not in _row(out, "main")


def test_matrix_cells_are_coloured_by_the_intents(failing: Path, forced: None) -> None:
    """A cell whose intent is broken is red, one whose intents hold green, one no intent is
    about plain, and a tier's cell dim (its ✓ still green) rather than green."""
    code, out = _run("reach", str(failing), "--matrix", FORCE_COLOR="1")
    assert code == 0, out
    red, green = console.style("tcp/22,80,443", "error"), console.style("tcp/3306", "ok")
    assert f"{red} {console.style('✗', 'error')}" in _row(out, "internet")
    assert f"{green} {console.style('✓', 'ok')}" in _row(out, "web")
    private = _row(out, console.style("private", "muted"))
    assert f"{console.style('all', 'muted')} {console.style('✓', 'ok')}" in private
    assert console.style("all", "ok") not in out
    main = _row(out, "main")
    assert "      tcp/22,80,443    ·" in main  # no intent is about main -> web: plain
    assert console.style("✓", "ok") in out[out.index("legend:") :]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}),
        (("--no-color",), {"FORCE_COLOR": "1"}),
        ((), {}),
    ],
)
def test_no_escape_codes_in_reach_when_colour_is_off(
    failing: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    """NO_COLOR, --no-color or no terminal: the matrix and a path are plain text."""
    for verb in (("--matrix",), ("--from", "internet", "--to", "web", "--port", "22")):
        code, out = _run("reach", str(failing), *verb, *args, **env)
        assert code == 0, out
        assert ESC not in out


def test_a_verdict_is_coloured_by_its_promise(failing: Path, forced: None) -> None:
    """SSH reaching web breaks `internet -/-> web:22`: the verdict and the allows that let it
    through are red; with the seed it is kept: `unreachable` and the blocking deny green."""
    code, out = _run(
        "reach", str(failing), "--from", "internet", "--to", "web", "--port", "22", FORCE_COLOR="1"
    )
    assert code == 0, out
    red = console.style("reachable", "error")
    assert out.startswith(f"internet -> web (tcp/22): {red} (2 of 2 placements)")
    assert f"  1  {console.style('allow', 'error')}  instance/web-1" in out
    sound = failing.with_name("seed.yaml")
    sound.write_text(seed_text())
    code, out = _run(
        "reach", str(sound), "--from", "internet", "--to", "web", "--port", "22", FORCE_COLOR="1"
    )
    assert code == 0, out
    assert f": {console.style('unreachable', 'ok')} (0 of 2" in out
    assert f"  5  {console.style('deny', 'ok')}   sg/web" in out
    assert console.style("allow", "ok") not in out  # the allows did not keep it
    code, out = _run(
        "reach", str(sound), "--from", "main", "--to", "web", "--port", "443", FORCE_COLOR="1"
    )
    assert ESC not in out  # no intent is about main -> web


def test_a_blocked_promise_is_red_at_the_hop_that_blocks(tmp_path: Path, forced: None) -> None:
    """With the database closed to web, `web -> main:3306` is broken: `unreachable` and the
    deny of sg/db-main are red, the allows before it plain."""
    closed = tmp_path / "blueprint.yaml"
    closed.write_text(seed_text().replace("allow_from: [web]", "allow_from: []"))
    args = ("--from", "web", "--to", "main", "--port", "3306")
    code, out = _run("reach", str(closed), *args, FORCE_COLOR="1")
    assert code == 0, out
    assert out.startswith(f"web -> main (tcp/3306): {console.style('unreachable', 'error')}")
    assert f"  5  {console.style('deny', 'error')}   sg/db-main" in out
    assert console.style("allow", "error") not in out


def test_json_is_unchanged_by_colour_and_legend(failing: Path, forced: None) -> None:
    """`--format json` is the stable contract: the matrix and a verdict as the library gives."""
    arch = expand(load_file(str(failing)).blueprint)
    code, out = _run("reach", str(failing), "--matrix", "--format", "json", FORCE_COLOR="1")
    assert code == 0
    assert json.loads(out) == analysis.matrix_to_json(analysis.matrix(arch))
    args = ("--from", "internet", "--to", "web", "--format", "json")
    code, out = _run("reach", str(failing), *args, FORCE_COLOR="1")
    assert json.loads(out) == analysis.to_json(analysis.reach(arch, "internet", "web"))


@pytest.fixture(scope="module")
def deployed(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, up on the emulator."""
    emulator.reset()
    blueprint = tmp_path_factory.mktemp("live") / "blueprint.yaml"
    blueprint.write_text(seed_text())
    code, out = _run("up", str(blueprint), "--yes", "--endpoint-url", emulator.endpoint_url)
    assert code == 0, out
    return blueprint


def _live(emulator: Emulator, blueprint: Path, *args: str) -> str:
    code, out = _run(
        "reach", str(blueprint), "--live", *args, "--endpoint-url", emulator.endpoint_url
    )
    assert code == 0, out
    return out


def test_live_paths_name_what_the_stack_owns(emulator: Emulator, deployed: Path) -> None:
    """Live reach shows `web (sg-…)`, `public-a (subnet-…)`, each id with its blueprint name."""
    out = _live(emulator, deployed, "--from", "internet", "--to", "web", "--port", "443")
    assert re.search(r"in public-a \(subnet-[0-9a-f]+\): reachable", out), out
    assert re.search(r"allow  web \(sg-[0-9a-f]+\)\s+security-group-ingress", out), out
    assert re.search(r"public \(rtb-[0-9a-f]+\) routes 0\.0\.0\.0/0 to main \(igw-", out), out
    bare = re.sub(rf"\w[\w-]* \({ID}\)", "", out)
    assert not re.search(ID, bare), bare  # every id the stack owns has its name


def test_live_reach_takes_the_blueprints_names(emulator: Emulator, deployed: Path) -> None:
    """`--to main`, `--to db/main`, `--to web-1` and `--from sg/web` work live, as on the
    blueprint; the answer is the same as by AWS id."""
    by_name = _live(emulator, deployed, "--from", "web", "--to", "main", "--port", "3306")
    assert "reachable (4 of 4 placements)" in by_name
    by_id = _live(emulator, deployed, "--from", "web", "--to", "db/main", "--port", "3306")
    assert by_id.splitlines()[1:] == by_name.splitlines()[1:]
    one = _live(emulator, deployed, "--from", "internet", "--to", "web-1", "--port", "443")
    assert re.match(r"internet -> web-1 \(i-[0-9a-f]+\) \(tcp/443\): reachable", one), one
    assert "web-2" not in one
    group = _live(emulator, deployed, "--from", "sg/web", "--to", "main", "--port", "3306")
    assert re.match(r"web \(sg-[0-9a-f]+\) -> main", group), group


def test_live_reach_json_keeps_aws_ids(emulator: Emulator, deployed: Path) -> None:
    """JSON stays AWS's: ids alone, no names added."""
    out = _live(
        emulator, deployed, "--from", "web", "--to", "main", "--port", "3306", "--format", "json"
    )
    answer = json.loads(out)
    assert answer["verdict"] == "reachable"
    assert all(
        re.fullmatch(rf"{ID}|[\w-]+", h["resource"]) for p in answer["paths"] for h in p["hops"]
    )


def test_report_summary_is_coloured_through_the_console(failing: Path, forced: None) -> None:
    """`report` says what it wrote with the counts in their colours (a broken intent red), and
    in plain text when colour is off."""
    out_file = failing.with_name("report.html")
    code, out = _run("report", str(failing), "-o", str(out_file), FORCE_COLOR="1")
    assert code == 0, out
    assert console.style("2 errors", "error") in out
    assert console.style("6 of 7 intents hold", "error") in out
    code, out = _run("report", str(failing), "-o", str(out_file), NO_COLOR="1")
    assert code == 0, out
    assert ESC not in out and "2 errors" in out


def _models() -> dict[str, Architecture]:
    """The seed, and the seed where a path is open, partial, unknown, or through an instance's
    second interface (where paths are alternatives)."""
    from tests.analysis.build import entry, replace_by_id, seed, with_acl
    from tests.analysis.test_enis import private_a_acl, then, with_admin_interface

    base = seed()
    tgw = (Route(destination="0.0.0.0/0", target="other", target_id="tgw-1"),)
    return {
        "seed": base,
        "ssh": expand(load_file_text(seed_text().replace("[80, 443]", "[22, 80, 443]"))),
        "partial": with_acl(
            base,
            ("subnet/private-a", "subnet/private-b"),
            entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=True, protocol="tcp", ports=(49152, 65535)),
        ),
        "unknown": replace(
            base, route_tables=replace_by_id(base.route_tables, "rtb/public", routes=tgw)
        ),
        "interfaces": then(with_admin_interface(), private_a_acl(ssh=True))(base),
    }


def load_file_text(text: str) -> Blueprint:
    from awsarch.blueprint.load import load_text

    return load_text(text, file="blueprint.yaml").blueprint


PORTS = ("", ":22", ":443", ":3306", ":1000-2000", ":8/icmp", ":53/udp")


@pytest.mark.parametrize("name", ["seed", "ssh", "partial", "unknown", "interfaces"])
def test_the_matrix_marks_agree_with_prove(name: str) -> None:
    """A cell's ✓ or ✗ is what `prove` says of the intent, for either arrow, any port,
    partial and unknown paths, and an instance's interfaces as alternatives."""
    arch = _models()[name]
    m = analysis.matrix(arch)
    for source in m.names:
        for destination in m.names:
            if source == destination or source == destination == "internet":
                continue
            for arrow in ("->", "-/->"):
                for ports in PORTS:
                    text = f"{source} {arrow} {destination}{ports}"
                    expected = analysis.prove(arch, analysis.parse_intent(text)).holds
                    got = matrix_promises(m, [text])[(source, destination)]
                    assert got == ("held" if expected else "violated"), text


def test_live_unknown_name_lists_the_blueprints_names(emulator: Emulator, deployed: Path) -> None:
    """A live name that matches nothing: one line listing what does, by the blueprint's names
    for what the stack owns (`sg/web`), not by AWS ids."""
    code, out = _run(
        "reach",
        str(deployed),
        "--live",
        "--from",
        "internet",
        "--to",
        "wbe",
        "--port",
        "443",
        "--endpoint-url",
        emulator.endpoint_url,
    )
    assert code == 2, out
    assert out.count("\n") == 1 and "unknown endpoint 'wbe'" in out, out
    assert all(name in out for name in ("sg/web", "sg/db-main", "web-1", "web-2")), out


def test_matrix_with_one_flows_options_is_refused(failing: Path) -> None:
    """`--matrix` answers for every pair: a --from it would ignore is the user's mistake."""
    code, out = _run("reach", str(failing), "--matrix", "--from", "web")
    assert code == 2 and "drop --from/--to/--port/--protocol" in out, out
