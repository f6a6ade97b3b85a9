"""Provider states given as Python functions, and what a failing setup does to a run."""

from __future__ import annotations

import httpx
from contract_servers import PROJECT, TOKEN, emulator_config, serve
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import TokenCredentials
from modelarts_contract.emulator import create_app
from modelarts_contract.runner import Status, run_contract
from modelarts_contract.states import CallableProviderStates, PreparedJob


def test_in_process_hooks_prepare_the_jobs() -> None:
    with serve(create_app(emulator_config())) as server:
        made: list[str] = []

        def setup(project: str, phase: str, secondary: str | None) -> PreparedJob:
            params = {"project_id": project, "phase": phase}
            answer = httpx.post(
                server.state_url,
                json={"action": "setup", "state": "training job", "params": params},
                headers={"X-Auth-Token": TOKEN},
            )
            made.append(answer.json()["training_job_id"])
            return PreparedJob(made[-1])

        def teardown(project: str, job_id: str) -> None:
            made.remove(job_id)

        config = ContractConfig(
            server.base_url, PROJECT, TokenCredentials(TOKEN), seed=1, clauses=("T2", "T3")
        )
        report = run_contract(config, CallableProviderStates(setup, teardown), progress=None)
    assert [r.status for r in report.results] == [Status.PASSED, Status.PASSED]
    assert made == []


def test_a_setup_that_raises_is_exit_2_and_the_stateless_clauses_still_run() -> None:
    def setup(project: str, phase: str, secondary: str | None) -> PreparedJob:
        raise RuntimeError("database is down")

    with serve(create_app(emulator_config())) as server:
        config = ContractConfig(
            server.base_url, PROJECT, TokenCredentials(TOKEN), seed=1, clauses=("T2", "T6", "T9")
        )
        report = run_contract(
            config, CallableProviderStates(setup, lambda p, j: None), progress=None
        )
    assert report.exit_code == 2
    assert report.aborted is not None and "database is down" in report.aborted
    assert [r.status for r in report.results] == [Status.ERROR, Status.PASSED, Status.SKIPPED]
    assert "provider states failed earlier" in report.results[2].message
