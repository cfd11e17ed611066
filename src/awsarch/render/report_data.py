"""What the HTML report shows, gathered from a verified architecture: plain data, no markup.

Pure: a `Verified` (the blueprint's, or the live one under the blueprint's names) in, a `Report`
out. The diagram's arrows are the proved flows; the matrix is every endpoint against every other.
Kept apart from the page so the page can be tested with any data, hostile names included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from awsarch import analysis
from awsarch.model import Architecture, Path
from awsarch.record import record
from awsarch.render.diagram import render_svg
from awsarch.render.promise_flows import promise_flows
from awsarch.render.proved_flows import proved_flows
from awsarch.render.report_groups import GroupRow, group_rows
from awsarch.rules.base import Finding
from awsarch.usecases.proofs import IntentProof

Locate = Callable[[Path], str]


@record
class FindingRow:
    severity: str
    rule_id: str
    resource: str
    message: str
    location: str = ""
    accepted: str = ""
    """The user's reason when the finding is accepted ("" when it is not)."""
    was: str = ""
    """An accepted finding's severity before acceptance."""
    expires: str = ""
    """The day an acceptance runs out ("" for never)."""


@record
class HopRow:
    resource: str
    kind: str
    decision: str
    reason: str


@record
class PathRow:
    placement: str
    verdict: str
    hops: tuple[HopRow, ...] = ()
    expect: str = "reachable"
    """What the intent promises for this path: reachable (`->`) or unreachable (`-/->`); the
    page colours the path by whether it keeps that promise, not by whether it is reachable."""

    @property
    def keeps(self) -> bool:
        return self.verdict == self.expect


@record
class IntentRow:
    text: str
    kind: str
    holds: bool
    conditional: bool = False
    summary: str = ""
    location: str = ""
    evidence: tuple[str, ...] = ()
    """Policy statements that decided (permission intents) or a refuted proof's lines."""
    paths: tuple[PathRow, ...] = ()
    """Network intents: every placement pair, hop by hop."""


@record
class MatrixCell:
    source: str
    destination: str
    verdict: str
    """reachable, partially-reachable or unreachable."""
    ports: tuple[str, ...] = ()


@record
class Report:
    title: str
    source: str
    """Where the architecture came from: a blueprint file, or a live account."""
    svg: str
    findings: tuple[FindingRow, ...] = ()
    intents: tuple[IntentRow, ...] = ()
    endpoints: tuple[str, ...] = ()
    cells: tuple[MatrixCell, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    drift: tuple[str, ...] = ()
    resource_count: int = 0
    rule_count: int = 0

    def cell(self, source: str, destination: str) -> MatrixCell | None:
        return self._cells.get((source, destination))

    @cached_property
    def _cells(self) -> dict[tuple[str, str], MatrixCell]:
        """Cells by (source, destination), the first of each pair as a search would find."""
        found: dict[tuple[str, str], MatrixCell] = {}
        for c in self.cells:
            found.setdefault((c.source, c.destination), c)
        return found


def build_report(
    arch: Architecture,
    *,
    findings: Sequence[Finding],
    proofs: Sequence[IntentProof],
    locate: Locate,
    title: str,
    source: str,
    rule_count: int = 0,
    drift: Sequence[str] = (),
    drifted: Sequence[str] = (),
) -> Report:
    """Everything the page shows: the diagram (proved flows, coloured by the intents, the
    `drifted` resources marked), findings, proofs, the security groups and the matrix."""
    grid = analysis.matrix_to_json(analysis.matrix(arch))
    return Report(
        title=title,
        source=source,
        svg=render_svg(arch, promise_flows(arch, proved_flows(arch), proofs), drifted),
        findings=tuple(finding_row(f, locate) for f in findings),
        intents=tuple(intent_row(p, locate) for p in proofs),
        endpoints=tuple(grid["endpoints"]),
        cells=tuple(
            MatrixCell(
                source=c["source"],
                destination=c["destination"],
                verdict=c["verdict"],
                ports=tuple(c["ports"]),
            )
            for c in grid["cells"]
        ),
        groups=group_rows(arch),
        drift=tuple(drift),
        resource_count=sum(1 for _ in arch.resources()),
        rule_count=rule_count,
    )


def finding_row(finding: Finding, locate: Locate) -> FindingRow:
    """A finding as a row; an accepted one keeps its reason and its severity before."""
    accepted = finding.accepted
    return FindingRow(
        severity=finding.severity,
        rule_id=finding.rule_id,
        resource=finding.resource_id,
        message=finding.message,
        location=locate(finding.path) if finding.path else "",
        accepted=accepted.reason if accepted else "",
        was=accepted.severity if accepted else "",
        expires=accepted.expires if accepted else "",
    )


def intent_row(proof: IntentProof, locate: Locate) -> IntentRow:
    """A proof as rows; permission intents show the statements that decided, held or not."""
    evidence = proof.evidence
    if proof.kind == "permission":
        evidence = tuple(str(s) for s in proof.data.get("statements", ()))
    return IntentRow(
        text=proof.text,
        kind=proof.kind,
        holds=proof.holds,
        conditional=proof.conditional,
        summary=proof.summary,
        location=locate(("intents", proof.index)),
        evidence=evidence if proof.kind == "permission" else (),
        paths=tuple(_path_row(p, _expect(proof)) for p in proof.data.get("paths", ())),
    )


def _expect(proof: IntentProof) -> str:
    """What a network intent promises: `-/->` unreachable, `->` reachable."""
    return "unreachable" if "-/->" in proof.text else "reachable"


def _path_row(data: dict[str, Any], expect: str) -> PathRow:
    return PathRow(
        placement=str(data.get("placement", "")),
        verdict=str(data.get("verdict", "")),
        expect=expect,
        hops=tuple(
            HopRow(
                resource=str(h.get("resource", "")),
                kind=str(h.get("kind", "")),
                decision=str(h.get("decision", "")),
                reason=str(h.get("reason", "")),
            )
            for h in data.get("hops", ())
        ),
    )
