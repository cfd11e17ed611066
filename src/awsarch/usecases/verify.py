"""Verify a blueprint: load, expand, run every rule (and, later, prove every intent).

Pure apart from reading the file; shared by `check`, `plan` and `up` so they agree.
"""

from __future__ import annotations

from datetime import date

from awsarch.blueprint.document import Document
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import Loaded, load_file
from awsarch.errors import InputError
from awsarch.model import Architecture, Path
from awsarch.record import record
from awsarch.rules.accept import apply_acceptances, from_blueprint
from awsarch.rules.base import SEVERITY_ORDER, Finding
from awsarch.rules.registry import ALL_RULES, run_rules
from awsarch.usecases.proofs import BadIntent, IntentProof, check_syntax, prove_all


@record
class Verified:
    """What `check` reports: the findings and proofs, and where they are."""

    loaded: Loaded
    architecture: Architecture
    findings: tuple[Finding, ...]
    """Rule findings and failed intents, errors first."""
    proofs: tuple[IntentProof, ...] = ()

    @property
    def document(self) -> Document:
        return self.loaded.document

    @property
    def rule_count(self) -> int:
        return len(ALL_RULES)

    @property
    def resource_count(self) -> int:
        return sum(1 for _ in self.architecture.resources())

    def locate(self, path: Path) -> str:
        file, line, column = self.document.where(path)
        return f"{file}:{line}:{column}"

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def verify_file(path: str) -> Verified:
    """Load, expand, run the rules and prove the intents of the blueprint at path."""
    loaded = load_file(path)
    intents = loaded.blueprint.intents
    _check_intents(loaded, intents)
    architecture = expand(loaded.blueprint)
    return verify_architecture(loaded, architecture)


def verify_architecture(
    loaded: Loaded, architecture: Architecture, today: date | None = None
) -> Verified:
    """The blueprint's rules and intents on any architecture (the desired or the live one),
    its `accept:` entries applied as of `today` (the clock's day when not given)."""
    proofs = _prove(loaded, architecture)
    findings = [*run_rules(architecture), *(p.finding() for p in proofs if not p.holds)]
    acceptances = from_blueprint(loaded.blueprint.accept)
    findings = apply_acceptances(findings, acceptances, today or date.today())
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id, f.resource_id))
    return Verified(
        loaded=loaded, architecture=architecture, findings=tuple(findings), proofs=tuple(proofs)
    )


def _check_intents(loaded: Loaded, intents: tuple[str, ...]) -> None:
    try:
        check_syntax(intents)
    except BadIntent as bad:
        raise _at_intent(loaded, bad) from bad.error


def _prove(loaded: Loaded, architecture: Architecture) -> list[IntentProof]:
    try:
        return prove_all(architecture, loaded.blueprint.intents)
    except BadIntent as bad:  # an endpoint that names nothing in the architecture
        raise _at_intent(loaded, bad) from bad.error


def _at_intent(loaded: Loaded, bad: BadIntent) -> InputError:
    """Point an intent's error at its line, and at its column when the parser knows it."""
    file, line, column = loaded.document.where(("intents", bad.index))
    offset = max(bad.error.column - 1, 0) if bad.error.line <= 1 else 0
    return InputError(bad.error.detail, file=file, line=line, column=column + offset)
