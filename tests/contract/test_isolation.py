"""T8 reads project Q's job through the provider states before and after each cross-project
request: a server that answers as it should but changes Q's job fails, a provider without the
optional ``read`` makes T8 partial, and a read that breaks is the provider states' failure."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from contract_faults import Fault
from contract_faults_isolation import (
    ISOLATION_FAULTS,
    StateReadBreaks,
    StateReadNotJson,
    StatesWithoutRead,
    StatesWithoutReadNotImplemented,
    UnknownAnswerTerminatesForeignJob,
)
from contract_servers import OTHER_PROJECT, PROJECT, TOKEN, emulator_config, serve
from modelarts_contract.clauses.auth import NO_READ_REASON
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import AkSkCredentials, Credentials, TokenCredentials
from modelarts_contract.emulator import create_app
from modelarts_contract.errors import ProviderStateError, ProviderStateNotOffered
from modelarts_contract.replay import replay_file
from modelarts_contract.runner import RunReport, Status, run_contract
from modelarts_contract.states import CallableProviderStates, HttpProviderStates, PreparedJob


def _run_t8(app: object, credentials: Credentials, *, strict: bool = False) -> RunReport:
    with serve(app) as server:
        return _run_t8_on(server.base_url, server.state_url, credentials, strict=strict)


def _run_t8_on(
    base_url: str, state_url: str, credentials: Credentials, *, strict: bool = False
) -> RunReport:
    config = ContractConfig(
        base_url=base_url,
        project_id=PROJECT,
        credentials=credentials,
        state_url=state_url,
        other_project_id=OTHER_PROJECT,
        seed=7,
        timeout=2.0,
        clauses=("T8",),
    )
    states = HttpProviderStates(state_url, config.timeout, credentials=credentials)
    try:
        return run_contract(config, states, progress=None, strict=strict)
    finally:
        states.close()


def _fault(fault: type[Fault]) -> Fault:
    return fault(create_app(emulator_config()))


@pytest.mark.parametrize("fault", ISOLATION_FAULTS, ids=lambda fault: fault.__name__)
def test_a_cross_project_request_that_changes_qs_job_fails_t8(fault: type[Fault]) -> None:
    report = _run_t8(_fault(fault), fault.credentials)
    (result,) = report.results
    assert result.status is Status.FAILED, f"{fault.description}: {result.status} {result.message}"
    assert "project Q's job" in result.message and "changed" in result.message
    assert "status.phase: 'Running' → 'Terminating'" in result.message
    assert result.replay is not None and result.replay.requests
    assert report.exit_code == 1


@pytest.mark.parametrize(
    "credentials",
    [TokenCredentials(TOKEN), AkSkCredentials("AK1", "SK1")],
    ids=["token", "aksk"],
)
def test_the_emulator_passes_t8_with_qs_job_read_unchanged(credentials: Credentials) -> None:
    report = _run_t8(create_app(emulator_config()), credentials, strict=True)
    (result,) = report.results
    assert result.status is Status.PASSED, result.message
    assert report.exit_code == 0


@pytest.mark.parametrize(
    "provider", [StatesWithoutRead, StatesWithoutReadNotImplemented], ids=lambda p: p.__name__
)
def test_without_a_state_read_t8_is_partial_and_strict_fails(provider: type[Fault]) -> None:
    lenient = _run_t8(_fault(provider), TokenCredentials(TOKEN))
    (result,) = lenient.results
    assert result.status is Status.PARTIAL, result.message
    assert result.message == NO_READ_REASON
    assert lenient.exit_code == 0
    strict = _run_t8(_fault(provider), TokenCredentials(TOKEN), strict=True)
    assert strict.exit_code == 1


@pytest.mark.parametrize("provider", [StateReadBreaks, StateReadNotJson], ids=lambda p: p.__name__)
def test_a_state_read_that_breaks_is_the_provider_states_failure(provider: type[Fault]) -> None:
    report = _run_t8(_fault(provider), TokenCredentials(TOKEN))
    (result,) = report.results
    assert result.status is Status.ERROR
    assert "provider state read" in result.message
    assert report.exit_code == 2


def test_the_replay_of_a_change_to_qs_job_reads_it_again(tmp_path: Path) -> None:
    fault = UnknownAnswerTerminatesForeignJob
    environ = {"MODELARTS_TOKEN": TOKEN}
    with serve(_fault(fault)) as server:
        report = _run_t8_on(server.base_url, server.state_url, TokenCredentials(TOKEN))
        (result,) = report.results
        assert result.status is Status.FAILED and result.replay is not None
        document = result.replay.document(
            clause="T8",
            message=result.message,
            base_url=server.base_url,
            state_url=server.state_url,
            seed=7,
        )
        reads = [step for step in document["requests"] if "state_read" in step]
        assert [read.get("answer_seen") for read in reads] == [
            None,
            {"changed": ["status.phase", "status.secondary_phase"]},
        ]
        path = tmp_path / "T8.json"
        path.write_text(json.dumps(document))
        again = io.StringIO()
        assert replay_file(str(path), environ, timeout=2.0, out=again) == 1, again.getvalue()
        assert again.getvalue().splitlines()[-1].startswith("reproduced: T8 fails again")
    # Fixed (the emulator): the requests are answered alike, but Q's job no longer changes.
    for app, code, verdict in [
        (create_app(emulator_config()), 0, "not reproduced: read "),
        (_fault(StatesWithoutRead), 2, "error: provider state read"),
    ]:
        with serve(app) as other:
            out = io.StringIO()
            assert (
                replay_file(str(path), environ, timeout=2.0, base_url=other.base_url, out=out)
                == code
            )
            assert out.getvalue().splitlines()[-1].startswith(verdict), out.getvalue()


def test_in_process_states_read_through_read_fn_or_say_they_cannot() -> None:
    def setup(project: str, phase: str, secondary: str | None) -> PreparedJob:
        return PreparedJob("job")

    def broken(project: str, job_id: str) -> Mapping[str, Any]:
        raise RuntimeError("store closed")

    without = CallableProviderStates(setup, lambda project, job_id: None)
    with pytest.raises(ProviderStateNotOffered):
        without.read(OTHER_PROJECT, "job")
    job = {"metadata": {"id": "job"}}
    given = CallableProviderStates(setup, lambda p, j: None, read_fn=lambda p, j: job)
    assert given.read(OTHER_PROJECT, "job") == job
    failing = CallableProviderStates(setup, lambda p, j: None, read_fn=broken)
    with pytest.raises(ProviderStateError) as raised:
        failing.read(OTHER_PROJECT, "job")
    assert not isinstance(raised.value, ProviderStateNotOffered)
    assert "store closed" in str(raised.value)
