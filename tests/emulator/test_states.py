"""The provider-state endpoint the contract suite drives."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import serve_in_thread
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
    answer = client.post(emulator.state_url, json=setup(phase))
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
        emulator.state_url, json=setup("Terminated", secondary_phase="TerminatedFailed")
    )
    assert answer.json()["job"]["status"]["secondary_phase"] == "TerminatedFailed"


def test_teardown_deletes_the_job(client: httpx.Client, emulator: Any) -> None:
    job_id = client.post(emulator.state_url, json=setup("Running")).json()["training_job_id"]
    teardown = {
        "action": "teardown",
        "state": "training job",
        "params": {"project_id": "proj-1", "training_job_id": job_id},
    }
    answer = client.post(emulator.state_url, json=teardown)
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
    answer = client.post(emulator.state_url, json=request_body)
    assert answer.status_code == 400, answer.text
    assert mentions in answer.json()["error_msg"]


def test_the_endpoint_can_be_turned_off(emulator_config: Any) -> None:
    with serve_in_thread(emulator_config(states_enabled=False)) as server:
        answer = httpx.post(server.state_url, json=setup("Running"))
    assert answer.status_code == 404
    assert answer.json()["error_code"] == "APIG.0101"
