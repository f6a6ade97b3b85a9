"""``serve --fault KIND=RATE``: the service's transient faults on demand, acting on nothing."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import RunningEmulator, serve_in_thread
from modelarts_contract.emulator.faults import (
    FaultInjector,
    FaultSpecError,
    parse_fault,
)
from modelarts_training import RetryPolicy
from modelarts_training.auth import TokenAuth
from modelarts_training.client import Client
from modelarts_training.errors import TrainingJobNotFound

PROJECT, TOKEN = "proj-1", "tok-1"
AUTH = {"X-Auth-Token": TOKEN}
TERMINATE = {"action_type": "terminate"}


@pytest.fixture
def faulty(emulator_config: Any) -> Any:
    """Start an emulator in a thread with ``faults`` (as the CLI spells them)."""

    def _faulty(*faults: str, seed: int = 7, retry_after: int = 1) -> Any:
        return serve_in_thread(
            emulator_config(
                faults=tuple(parse_fault(value) for value in faults),
                fault_seed=seed,
                fault_retry_after=retry_after,
            )
        )

    return _faulty


def stored_phase(server: RunningEmulator, job_id: str) -> str:
    """The job's phase read from the store itself, past any fault."""
    return asyncio.run(server.app.store.get(PROJECT, job_id)).phase


def actions(job_id: str) -> str:
    return f"/v2/{PROJECT}/training-jobs/{job_id}/actions"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(headers=AUTH) as client:
        yield client


def test_every_terminate_is_429_with_retry_after_and_acts_on_nothing(
    http: httpx.Client, faulty: Any, make_job: Any
) -> None:
    with faulty("429=1") as server:
        # The provider-state endpoint is never faulted: jobs can still be prepared.
        job_id = make_job(server.state_url, "Running")
        answers = [http.post(server.base_url + actions(job_id), json=TERMINATE) for _ in range(5)]
        phase = stored_phase(server, job_id)
    for answer in answers:
        assert answer.status_code == 429
        assert answer.headers["retry-after"] == "1"
        assert answer.json()["error_code"] == "ModelArts.2799"
        assert answer.headers["x-request-id"] == answer.json()["request_id"]
    assert phase == "Running"


def test_half_the_requests_fault_at_rate_one_half(
    http: httpx.Client, faulty: Any, make_job: Any
) -> None:
    with faulty("429=0.5", seed=11) as server:
        job_id = make_job(server.state_url, "Running")
        url = f"{server.base_url}/v2/{PROJECT}/training-jobs/{job_id}"
        statuses = Counter(http.get(url).status_code for _ in range(200))
    assert set(statuses) == {200, 429}
    assert 60 <= statuses[429] <= 140, statuses


def test_the_same_seed_repeats_the_same_sequence(http: httpx.Client, faulty: Any) -> None:
    sequences = []
    for _ in range(2):
        with faulty("429=0.3", "503=0.2", "2878=0.1", seed=42) as server:
            url = f"{server.base_url}/v2/{PROJECT}/training-jobs/nope"
            sequences.append([http.get(url).status_code for _ in range(40)])
    assert sequences[0] == sequences[1]
    assert {400, 429, 503, 409} <= set(sequences[0])


def terminate_once(
    http: httpx.Client, faulty: Any, make_job: Any, fault: str, phase: str
) -> tuple[httpx.Response | httpx.TransportError, str, float]:
    """Prepare a job in ``phase``, send one terminate under ``fault``.

    The answer (or the transport error), the job's phase in the store, and the seconds taken.
    """
    with faulty(fault) as server:
        job_id = make_job(server.state_url, phase)
        started = time.monotonic()
        try:
            outcome: httpx.Response | httpx.TransportError = http.post(
                server.base_url + actions(job_id), json=TERMINATE
            )
        except httpx.TransportError as error:
            outcome = error
        waited = time.monotonic() - started
        return outcome, stored_phase(server, job_id), waited


@pytest.mark.parametrize(
    ("kind", "status", "code", "retry_after"),
    [
        ("2878", 409, "ModelArts.2878", None),
        ("500", 500, "ModelArts.2950", None),
        ("503", 503, "ModelArts.2950", "1"),
    ],
)
def test_each_answer_fault_has_its_documented_status_and_code(
    http: httpx.Client,
    faulty: Any,
    make_job: Any,
    kind: str,
    status: int,
    code: str,
    retry_after: str | None,
) -> None:
    answer, phase, _ = terminate_once(http, faulty, make_job, f"{kind}=1", "Pending")
    assert isinstance(answer, httpx.Response)
    assert (answer.status_code, answer.json()["error_code"]) == (status, code)
    assert answer.headers.get("retry-after") == retry_after
    assert phase == "Pending"


def test_reset_drops_the_connection_unanswered_and_acts_on_nothing(
    http: httpx.Client, faulty: Any, make_job: Any
) -> None:
    outcome, phase, _ = terminate_once(http, faulty, make_job, "reset=1", "Running")
    assert isinstance(outcome, httpx.TransportError)
    assert phase == "Running"


def test_a_delay_slows_the_request_which_then_runs(
    http: httpx.Client, faulty: Any, make_job: Any
) -> None:
    answer, phase, waited = terminate_once(http, faulty, make_job, "delay=0.3=1", "Running")
    assert isinstance(answer, httpx.Response) and answer.status_code == 202
    assert phase == "Terminating"
    assert waited >= 0.3


def test_the_generated_client_rides_through_with_its_retries(
    http: httpx.Client, faulty: Any, make_job: Any
) -> None:
    # As the emulator README shows: the client retries 429, 409 ModelArts.2878 and 5xx, and a
    # faulted request did nothing, so every terminate ends in exactly one transition.
    faults = ("429=0.5", "2878=0.1", "503=0.1")
    with faulty(*faults, seed=3, retry_after=0) as server:
        job_ids = [make_job(server.state_url, "Running") for _ in range(20)]
        policy = RetryPolicy(max_retries=12, initial_delay=0.01, max_delay=0.05)
        with Client(
            PROJECT, auth=TokenAuth(TOKEN), base_url=server.base_url, retry=policy
        ) as client:
            terminated = [client.terminate_training_job(job_id) for job_id in job_ids]
            with pytest.raises(TrainingJobNotFound):
                client.terminate_training_job("no-such-job")  # a 4xx is not retried
        phases = {stored_phase(server, job_id) for job_id in job_ids}
    assert [job.metadata.id for job in terminated] == job_ids
    assert phases == {"Terminating"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("429", "is not KIND=RATE"),
        ("429=1.5", "from 0 to 1"),
        ("429=nan", "finite"),
        ("429=-0.1", "from 0 to 1"),
        ("429=often", "not a number"),
        ("418=0.5", "unknown fault kind"),
        ("delay=0.5", "delay=SECONDS=RATE"),
        ("delay=inf=0.5", "finite"),
        ("delay=0=0.5", "above 0"),
        ("delay=100000=0.5", "at most 300"),
    ],
)
def test_a_malformed_fault_is_refused_with_a_message(value: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        parse_fault(value)


def test_conflicting_faults_are_refused() -> None:
    with pytest.raises(FaultSpecError, match="more than once"):
        FaultInjector([parse_fault("429=0.1"), parse_fault("429=0.2")])
    with pytest.raises(FaultSpecError, match="add up to more than 1"):
        FaultInjector([parse_fault("429=0.6"), parse_fault("503=0.6")])
