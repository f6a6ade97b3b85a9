"""The provider-state endpoint the contract suite drives."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import serve_in_thread
from modelarts_training.auth import AkSkAuth
from modelarts_training.models import TrainingJob

TOKEN = {"X-Auth-Token": "tok-1"}


def setup(phase: str, **more: Any) -> dict[str, Any]:
    return {
        "action": "setup",
        "state": "training job",
        "params": {"project_id": "proj-1", "phase": phase, **more},
    }


@pytest.mark.parametrize(
    ("phase", "secondary"),
    [
        ("Creating", "Creating"),
        ("Pending", "Queuing"),
        ("Running", "Running"),
        ("Failed", "Failed"),
        ("Completed", "Completed"),
        ("Terminating", "Terminating"),
        ("Terminated", "Terminated"),
        ("Abnormal", "Unknown"),
    ],
)
def test_setup_creates_a_full_job_with_a_matching_secondary_phase(
    client: httpx.Client, emulator: Any, phase: str, secondary: str
) -> None:
    answer = client.post(emulator.state_url, json=setup(phase), headers=TOKEN)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    job = TrainingJob.model_validate(created["job"])
    assert job.metadata.id == created["training_job_id"]
    assert created["job"]["status"]["phase"] == phase
    assert created["job"]["status"]["secondary_phase"] == secondary
    read = client.get(f"/v2/proj-1/training-jobs/{job.metadata.id}", headers=TOKEN)
    assert read.json() == created["job"]


def test_setup_takes_an_explicit_secondary_phase(client: httpx.Client, emulator: Any) -> None:
    answer = client.post(
        emulator.state_url,
        json=setup("Terminated", secondary_phase="TerminatedFailed"),
        headers=TOKEN,
    )
    assert answer.json()["job"]["status"]["secondary_phase"] == "TerminatedFailed"


def test_teardown_deletes_the_job(client: httpx.Client, emulator: Any) -> None:
    job_id = client.post(emulator.state_url, json=setup("Running"), headers=TOKEN).json()[
        "training_job_id"
    ]
    teardown = {
        "action": "teardown",
        "state": "training job",
        "params": {"project_id": "proj-1", "training_job_id": job_id},
    }
    answer = client.post(emulator.state_url, json=teardown, headers=TOKEN)
    assert answer.status_code == 200, answer.text
    assert answer.json()["deleted"] is True
    gone = client.get(f"/v2/proj-1/training-jobs/{job_id}", headers=TOKEN)
    assert gone.json()["error_code"] == "ModelArts.2775"


@pytest.mark.parametrize(
    ("request_body", "mentions"),
    [
        (setup("Sleeping"), "Sleeping"),
        (setup("Running", secondary_phase="Dozing"), "Dozing"),
        ({**setup("Running"), "state": "model"}, "model"),
        ({**setup("Running"), "action": "explode"}, "explode"),
        (
            {"action": "setup", "state": "training job", "params": {"phase": "Running"}},
            "project_id",
        ),
        ({"action": "setup", "state": "training job"}, "params"),
    ],
)
def test_a_state_it_cannot_set_up_is_400_with_a_clear_message(
    client: httpx.Client, emulator: Any, request_body: dict[str, Any], mentions: str
) -> None:
    answer = client.post(emulator.state_url, json=request_body, headers=TOKEN)
    assert answer.status_code == 400, answer.text
    assert mentions in answer.json()["error_msg"]


def test_the_endpoint_can_be_turned_off(emulator_config: Any) -> None:
    with serve_in_thread(emulator_config(states_enabled=False)) as server:
        answer = httpx.post(server.state_url, json=setup("Running"), headers=TOKEN)
    assert answer.status_code == 404
    assert answer.json()["error_code"] == "APIG.0101"


def teardown_of(job_id: str, project_id: str = "proj-1") -> dict[str, Any]:
    return {
        "action": "teardown",
        "state": "training job",
        "params": {"project_id": project_id, "training_job_id": job_id},
    }


OTHER_TOKEN = {"X-Auth-Token": "tok-2"}


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-Auth-Token": "tok-forged"}, 401),
        ({"X-Auth-Token": "tok-1", "Authorization": "SDK-HMAC-SHA256 Access=AK1"}, 401),
        (TOKEN, 403),  # project A's token on project B's job
    ],
    ids=["no credentials", "unknown token", "forged signature beside a token", "A's token"],
)
def test_only_the_named_projects_credentials_tear_its_job_down(
    client: httpx.Client, new_job: Any, headers: dict[str, str], status: int
) -> None:
    job_id = new_job("Running", project_id="proj-2")
    answer = client.post("/_contract/states", json=teardown_of(job_id, "proj-2"), headers=headers)
    assert answer.status_code == status, answer.text
    assert answer.json()["error_code"].startswith("ModelArts.02")
    still = client.get(f"/v2/proj-2/training-jobs/{job_id}", headers=OTHER_TOKEN)
    assert still.status_code == 200
    assert still.json()["status"]["phase"] == "Running"
    # The project's own credentials may.
    own = client.post("/_contract/states", json=teardown_of(job_id, "proj-2"), headers=OTHER_TOKEN)
    assert own.json()["deleted"] is True


@pytest.mark.parametrize(
    "headers", [{}, {"X-Auth-Token": "tok-forged"}], ids=["no credentials", "unknown token"]
)
def test_setup_without_valid_credentials_is_401_and_creates_nothing(
    client: httpx.Client, emulator: Any, headers: dict[str, str]
) -> None:
    before = _count_jobs(emulator)
    answer = client.post("/_contract/states", json=setup("Running"), headers=headers)
    assert answer.status_code == 401
    assert _count_jobs(emulator) == before


def test_the_caller_that_set_a_job_up_in_another_project_may_tear_it_down(
    client: httpx.Client,
) -> None:
    # The contract's cross-project clause: project A's run prepares a job in project B, which
    # A's credentials must not be able to terminate, then removes it again.
    created = client.post(
        "/_contract/states",
        json={**setup("Running"), "params": {"project_id": "proj-2", "phase": "Running"}},
        headers=TOKEN,
    )
    assert created.status_code == 201, created.text
    job_id = created.json()["training_job_id"]
    refused = client.post(f"/v2/proj-2/training-jobs/{job_id}/actions", headers=TOKEN, json={})
    assert refused.status_code == 403
    # Another caller of project A's kind (the AK/SK of proj-1) did not set it up: refused.
    foreign = client.post(
        "/_contract/states",
        json=teardown_of(job_id, "proj-2"),
        auth=AkSkAuth("AK1", "SK1", "proj-1"),
    )
    assert foreign.status_code == 403
    removed = client.post("/_contract/states", json=teardown_of(job_id, "proj-2"), headers=TOKEN)
    assert removed.json()["deleted"] is True


def test_an_aksk_signed_state_request_is_accepted(client: httpx.Client) -> None:
    answer = client.post(
        "/_contract/states", json=setup("Pending"), auth=AkSkAuth("AK1", "SK1", "proj-1")
    )
    assert answer.status_code == 201, answer.text


def _count_jobs(emulator: Any) -> int:
    # Read past the API, which has no listing (the connection allows other threads' reads).
    row = emulator.app.store._db.execute("SELECT count(*) FROM training_jobs").fetchone()
    return int(row[0])
