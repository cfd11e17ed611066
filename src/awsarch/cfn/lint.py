"""cfn-lint, AWS's CloudFormation linter, run in process on a synthesized template.

Imported only when a template is linted (it loads AWS's resource schemas, about two seconds).
"""

from __future__ import annotations

from awsarch.record import record


@record
class LintProblem:
    rule: str
    """cfn-lint's rule id (E… error, W… warning, I… informational)."""
    message: str
    line: int

    def __str__(self) -> str:
        return f"{self.rule} line {self.line}: {self.message}"


def lint(text: str, region: str) -> list[LintProblem]:
    """Every problem cfn-lint finds in the template text, for a stack in `region`."""
    from cfnlint.api import lint as cfn_lint  # type: ignore[import-untyped]

    return [
        LintProblem(rule=m.rule.id, message=m.message, line=m.linenumber)
        for m in cfn_lint(text, regions=[region])
    ]
