"""Against a correct server the verdict does not depend on luck: connections a busy server
resets before answering are tried again, and the same seed gives the same verdict."""

from __future__ import annotations

from dataclasses import replace

from contract_faults import TerminatesCompletedJob
from contract_servers import OTHER_PROJECT, PROJECT, TOKEN, emulator_config, serve
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import TokenCredentials
from modelarts_contract.emulator import create_app
from modelarts_contract.runner import RunReport, run_contract
from modelarts_contract.states import HttpProviderStates


def _run(config: ContractConfig) -> RunReport:
    assert config.state_url is not None
    states = HttpProviderStates(config.state_url, config.timeout, credentials=config.credentials)
    try:
        return run_contract(config, states, progress=None)
    finally:
        states.close()


def _config(base_url: str, state_url: str, **changes: object) -> ContractConfig:
    config = ContractConfig(
        base_url=base_url,
        project_id=PROJECT,
        credentials=TokenCredentials(TOKEN),
        state_url=state_url,
        other_project_id=OTHER_PROJECT,
        max_examples=5,
        seed=11,
        timeout=5.0,
    )
    return replace(config, **changes)  # type: ignore[arg-type]


def test_races_pass_on_a_correct_server_with_an_accept_backlog_of_one() -> None:
    with serve(create_app(emulator_config()), backlog=1) as server:
        config = _config(server.base_url, server.state_url, clauses=("T9",), race_requests=40)
        (verdict,) = _run(config).results
    assert verdict.status.value == "passed", verdict


def test_the_same_seed_gives_the_same_verdict() -> None:
    with serve(TerminatesCompletedJob(create_app(emulator_config()))) as server:
        config = _config(server.base_url, server.state_url, clauses=("T2", "T6", "T10"))
        first, second = _run(config), _run(config)
    assert [(r.clause.id, r.status) for r in first.results] == [
        (r.clause.id, r.status) for r in second.results
    ]
    assert [r.rerun_clauses for r in first.results] == [r.rerun_clauses for r in second.results]
