"""The provider-state ``read``: the job as GET shows it, to the callers a teardown accepts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from modelarts_training.auth import AkSkAuth

STATES = "/_contract/states"
P_TOKEN = {"X-Auth-Token": "tok-1"}
Q_TOKEN = {"X-Auth-Token": "tok-2"}


def _state(action: str, project_id: str, **params: str) -> dict[str, Any]:
    return {
        "action": action,
        "state": "training job",
        "params": {"project_id": project_id, **params},
    }


def _set_up(client: httpx.Client, project_id: str, headers: dict[str, str]) -> str:
    made = client.post(STATES, json=_state("setup", project_id, phase="Running"), headers=headers)
    assert made.status_code == 201, made.text
    job_id: str = made.json()["training_job_id"]
    return job_id


def _read(client: httpx.Client, project_id: str, job_id: str, **sent: Any) -> httpx.Response:
    return client.post(STATES, json=_state("read", project_id, training_job_id=job_id), **sent)


def test_a_read_shows_the_job_as_get_does_before_and_after_a_terminate(
    client: httpx.Client,
) -> None:
    job_id = _set_up(client, "proj-1", P_TOKEN)
    path = f"/v2/proj-1/training-jobs/{job_id}"
    read = _read(client, "proj-1", job_id, headers=P_TOKEN)
    assert read.status_code == 200, read.text
    assert read.json() == {"job": client.get(path, headers=P_TOKEN).json()}
    client.post(path + "/actions", json={"action_type": "terminate"}, headers=P_TOKEN)
    after = _read(client, "proj-1", job_id, headers=P_TOKEN).json()["job"]
    assert after["status"]["phase"] == "Terminating"
    assert after == client.get(path, headers=P_TOKEN).json()


def test_the_caller_that_set_up_another_projects_job_may_read_it_and_others_may_not(
    client: httpx.Client,
) -> None:
    # The contract's cross-project clause: P's token sets up a job in Q and reads it there.
    job_id = _set_up(client, "proj-2", P_TOKEN)
    own = _read(client, "proj-2", job_id, headers=P_TOKEN)
    assert own.status_code == 200, own.text
    assert own.json()["job"]["metadata"]["id"] == job_id
    assert _read(client, "proj-2", job_id, headers=Q_TOKEN).status_code == 200
    # P's AK/SK did not set it up and does not cover Q: 403, as for an id Q does not have.
    foreign = _read(client, "proj-2", job_id, auth=AkSkAuth("AK1", "SK1", "proj-1"))
    unknown = _read(client, "proj-2", "no-such-job", headers=P_TOKEN)
    assert foreign.status_code == unknown.status_code == 403
    assert foreign.json()["error_code"] == unknown.json()["error_code"]


@pytest.mark.parametrize(
    "headers", [{}, {"X-Auth-Token": "tok-forged"}], ids=["no credentials", "unknown token"]
)
def test_a_read_without_valid_credentials_is_401(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    job_id = _set_up(client, "proj-1", P_TOKEN)
    assert _read(client, "proj-1", job_id, headers=headers).status_code == 401


def test_a_read_of_an_unknown_job_of_ones_own_project_is_the_unknown_job_answer(
    client: httpx.Client,
) -> None:
    answer = _read(client, "proj-1", "no-such-job", headers=P_TOKEN)
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "ModelArts.2775"
