"""Provider states given as Python functions, and what a failing setup does to a run."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from contract_servers import OTHER_PROJECT, PROJECT, STATES_PATH, TOKEN, emulator_config, serve
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import AkSkCredentials, TokenCredentials
from modelarts_contract.emulator import create_app
from modelarts_contract.errors import ProviderStateError
from modelarts_contract.runner import Status, run_contract
from modelarts_contract.states import CallableProviderStates, HttpProviderStates, PreparedJob


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


class Recording:
    """The emulator, noting every provider-state request it is sent (headers and body)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[dict[str, str], dict[str, Any]]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != STATES_PATH:
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.seen.append((headers, json.loads(body)))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


@pytest.mark.parametrize(
    "credentials",
    [TokenCredentials(TOKEN), AkSkCredentials("AK1", "SK1")],
    ids=["token", "aksk"],
)
def test_state_requests_carry_the_runs_credentials_and_name_the_full_state(
    credentials: Any,
) -> None:
    recording = Recording(create_app(emulator_config()))
    with serve(recording) as server:
        states = HttpProviderStates(server.state_url, 5.0, credentials=credentials)
        try:
            pending = states.setup(PROJECT, "Pending")
            abnormal = states.setup(PROJECT, "Abnormal")
            chosen = states.setup(PROJECT, "Terminated", "TerminatedFailed")
            for job in (pending, abnormal, chosen):
                states.teardown(PROJECT, job.id)
        finally:
            states.close()
    sent = [(body["action"], body["params"].get("secondary_phase")) for _, body in recording.seen]
    assert sent == [
        ("setup", "Queuing"),
        ("setup", "Unknown"),
        ("setup", "TerminatedFailed"),
        ("teardown", None),
        ("teardown", None),
        ("teardown", None),
    ]
    for headers, _ in recording.seen:
        if isinstance(credentials, TokenCredentials):
            assert headers["x-auth-token"] == TOKEN
        else:
            # Signed for each request: the emulator verified every one (201/200 above).
            assert headers["authorization"].startswith("SDK-HMAC-SHA256 Access=AK1,")


def test_aksk_state_requests_sign_the_project_they_name_as_x_project_id() -> None:
    # What the READMEs tell a provider author: the other project's job is set up with the run's
    # keys and that project's X-Project-Id, so a provider must not refuse the mismatch there.
    recording = Recording(create_app(emulator_config()))
    with serve(recording) as server:
        states = HttpProviderStates(
            server.state_url, 5.0, credentials=AkSkCredentials("AK1", "SK1")
        )
        try:
            for project in (PROJECT, OTHER_PROJECT):
                states.teardown(project, states.setup(project, "Running").id)
        finally:
            states.close()
    named = [
        (body["params"]["project_id"], headers["x-project-id"]) for headers, body in recording.seen
    ]
    assert named == [(PROJECT, PROJECT)] * 2 + [(OTHER_PROJECT, OTHER_PROJECT)] * 2
    assert all(
        h["authorization"].startswith("SDK-HMAC-SHA256 Access=AK1,") for h, _ in recording.seen
    )


def test_without_credentials_the_emulator_refuses_the_setup() -> None:
    with serve(create_app(emulator_config())) as server:
        states = HttpProviderStates(server.state_url, 5.0, credentials=None)
        try:
            with pytest.raises(ProviderStateError, match="401"):
                states.setup(PROJECT, "Running")
        finally:
            states.close()


def test_in_process_hooks_are_given_the_full_state_too() -> None:
    asked: list[tuple[str, str, str | None]] = []

    def setup(project: str, phase: str, secondary: str | None) -> PreparedJob:
        asked.append((project, phase, secondary))
        return PreparedJob("job")

    states = CallableProviderStates(setup, lambda project, job_id: None)
    states.setup(PROJECT, "Pending")
    states.setup(PROJECT, "Running", "Running")
    assert asked == [(PROJECT, "Pending", "Queuing"), (PROJECT, "Running", "Running")]
