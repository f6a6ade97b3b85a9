"""One pytest test per clause, collected by ``pytest --pyargs modelarts_contract``."""

from __future__ import annotations

import pytest

# Absolute imports: pytest may import this file in importlib mode, where relative ones fail.
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.runner import RunReport, Status


@pytest.mark.parametrize(
    "clause_id",
    [c.id for c in registered_clauses()],
    ids=[f"{c.id}-{c.name}" for c in registered_clauses()],
)
def test_clause(clause_id: str, contract_report: RunReport) -> None:
    """The server keeps clause ``clause_id`` of the contract."""
    result = next((r for r in contract_report.results if r.clause.id == clause_id), None)
    if result is None:
        pytest.skip("not run")
    if result.status is Status.SKIPPED and contract_report.aborted:
        pytest.fail(f"provider states failed: {contract_report.aborted}", pytrace=False)
    if result.status is Status.SKIPPED:
        pytest.skip(result.message)
    if result.status is not Status.PASSED:
        lines = [result.message]
        if result.curl:
            lines.append(f"reproduce: {result.curl}")
        lines.append(f"seed: {result.seed}")
        pytest.fail("\n".join(lines), pytrace=False)
