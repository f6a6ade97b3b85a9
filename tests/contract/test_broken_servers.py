"""The suite fails each single-fault server, naming the clause the fault breaks."""

from __future__ import annotations

import json

import pytest
from contract_faults import FAULTS, Fault
from contract_faults_one_job import ALLOWED_VARIANTS, ONE_JOB_FAULTS
from contract_faults_requests import REQUEST_FAULTS, REQUEST_VARIANTS
from contract_faults_signed import SIGNED_FAULTS
from contract_servers import TOKEN, emulator_config, run_clauses
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.emulator import create_app
from modelarts_contract.runner import RunReport, Status

ALL_FAULTS = FAULTS + ONE_JOB_FAULTS + REQUEST_FAULTS + SIGNED_FAULTS
ALL_VARIANTS = ALLOWED_VARIANTS + REQUEST_VARIANTS


def _run_clause(server_type: type[Fault]) -> RunReport:
    app = server_type(create_app(emulator_config()))
    return run_clauses(
        app, server_type.clause, credentials=server_type.credentials, seed=7, timeout=2.0
    )


@pytest.mark.parametrize("fault", ALL_FAULTS, ids=lambda fault: f"{fault.clause}-{fault.__name__}")
def test_suite_names_the_broken_clause(fault: type[Fault]) -> None:
    report = _run_clause(fault)
    (result,) = report.results
    assert result.clause.id == fault.clause
    assert result.status is Status.FAILED, f"{fault.description}: {result.status} {result.notes}"
    assert result.message
    assert result.replay is not None and result.replay.requests
    # The token, or a value resembling it (T8 sends it altered), is never written.
    replay = json.dumps(
        result.replay.document(
            clause=fault.clause, message="", base_url="", state_url=None, seed=None
        )
    )
    assert TOKEN not in replay and "tok-" not in replay.lower()
    assert report.exit_code == 1


@pytest.mark.parametrize("variant", ALL_VARIANTS, ids=lambda variant: variant.__name__)
def test_suite_passes_what_the_contract_allows(variant: type[Fault]) -> None:
    report = _run_clause(variant)
    (result,) = report.results
    assert result.status is Status.PASSED, f"{variant.description}: {result.message}"
    assert report.exit_code == 0


def test_corpus_covers_every_clause() -> None:
    assert {fault.clause for fault in ALL_FAULTS} == {c.id for c in registered_clauses()}
    assert len(FAULTS) >= 15
    assert len({fault.__name__ for fault in ALL_FAULTS}) == len(ALL_FAULTS)
