"""One pytest test per clause, collected by ``pytest --pyargs modelarts_contract``."""

from __future__ import annotations

import pytest

# Absolute imports: pytest may import this file in importlib mode, where relative ones fail.
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.report import reproduce_command, rerun_hint
from modelarts_contract.runner import RunReport, Status


@pytest.mark.parametrize(
    "clause_id",
    [c.id for c in registered_clauses()],
    ids=[f"{c.id}-{c.name}" for c in registered_clauses()],
)
def test_clause(clause_id: str, contract_report: RunReport) -> None:
    """The server keeps clause ``clause_id`` of the contract."""
    report = contract_report
    if report.stopped:
        pytest.fail(report.redact(report.stopped), pytrace=False)
    result = next((r for r in report.results if r.clause.id == clause_id), None)
    if result is None:
        pytest.skip("not run")
    message = report.redact(result.message)
    if result.status is Status.SKIPPED and report.aborted:
        pytest.fail(f"provider states failed: {report.redact(report.aborted)}", pytrace=False)
    if result.status in (Status.SKIPPED, Status.PARTIAL):
        reason = message if result.status is Status.SKIPPED else f"partial: {message}"
        if report.strict:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    if result.status is Status.ERROR:
        pytest.fail(message, pytrace=False)
    if result.status is Status.FAILED:
        command = report.redact(reproduce_command(report, result))
        pytest.fail(
            f"{message}\nreproduce: {command}\n"
            f"seed: {result.seed} (rerun with {rerun_hint(result, report.door)})",
            pytrace=False,
        )
