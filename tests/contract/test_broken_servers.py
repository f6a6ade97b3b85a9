"""The suite fails each single-fault server, naming the clause the fault breaks."""

from __future__ import annotations

import pytest
from contract_faults import FAULTS, Fault
from contract_servers import OTHER_PROJECT, PROJECT, emulator_config, serve
from modelarts_contract.config import ContractConfig
from modelarts_contract.emulator import create_app
from modelarts_contract.runner import Status, run_contract
from modelarts_contract.states import HttpProviderStates


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: f"{fault.clause}-{fault.__name__}")
def test_suite_names_the_broken_clause(fault: type[Fault]) -> None:
    app = fault(create_app(emulator_config()))
    with serve(app) as server:
        config = ContractConfig(
            base_url=server.base_url,
            project_id=PROJECT,
            credentials=fault.credentials,
            state_url=server.state_url,
            other_project_id=OTHER_PROJECT,
            max_examples=5,
            seed=7,
            timeout=2.0,
            clauses=(fault.clause,),
        )
        states = HttpProviderStates(
            server.state_url, config.timeout, credentials=config.credentials
        )
        try:
            report = run_contract(config, states, progress=None)
        finally:
            states.close()
    (result,) = report.results
    assert result.clause.id == fault.clause
    assert result.status is Status.FAILED, f"{fault.description}: {result.status} {result.notes}"
    assert result.message
    assert result.curl and result.curl.startswith("curl ")
    assert report.exit_code == 1


def test_corpus_covers_every_clause() -> None:
    assert {fault.clause for fault in FAULTS} == {f"T{n}" for n in range(1, 11)}
    assert len(FAULTS) >= 15
