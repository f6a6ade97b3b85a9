"""Terminate and get, answered exactly as the spec documents them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import serve_in_thread

TOKEN = {"X-Auth-Token": "tok-1"}
TERMINATE = {"action_type": "terminate"}


def actions(job_id: str, project_id: str = "proj-1") -> str:
    return f"/v2/{project_id}/training-jobs/{job_id}/actions"


def job(job_id: str, project_id: str = "proj-1") -> str:
    return f"/v2/{project_id}/training-jobs/{job_id}"


def assert_error(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["error_code"] == code, body
    assert body["error_msg"]
    assert answer.headers["x-request-id"] == body["request_id"]


@pytest.mark.parametrize("phase", ["Creating", "Pending", "Running"])
def test_a_terminable_job_is_answered_202_in_phase_terminating(
    client: httpx.Client, new_job: Any, phase: str
) -> None:
    job_id = new_job(phase)
    answer = client.post(actions(job_id), json=TERMINATE, headers=TOKEN)
    assert answer.status_code == 202, answer.text
    assert answer.headers["x-request-id"]
    status = answer.json()["status"]
    assert (status["phase"], status["secondary_phase"]) == ("Terminating", "Terminating")
    assert answer.json()["metadata"]["id"] == job_id
    assert client.get(job(job_id), headers=TOKEN).json()["status"]["phase"] == "Terminating"


@pytest.mark.parametrize("phase", ["Completed", "Failed", "Terminated", "Abnormal", "Terminating"])
def test_any_other_phase_is_409_and_the_job_never_moves(
    client: httpx.Client, new_job: Any, phase: str
) -> None:
    job_id = new_job(phase)
    before = client.get(job(job_id), headers=TOKEN).json()["status"]
    answer = client.post(actions(job_id), json=TERMINATE, headers=TOKEN)
    assert_error(answer, 409, "ModelArts.2796")
    assert phase in answer.json()["error_msg"]
    assert client.get(job(job_id), headers=TOKEN).json()["status"] == before


def test_a_second_terminate_is_refused(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    assert client.post(actions(job_id), json=TERMINATE, headers=TOKEN).status_code == 202
    assert_error(client.post(actions(job_id), json=TERMINATE, headers=TOKEN), 409, "ModelArts.2796")


def test_an_unknown_job_is_400_2775(client: httpx.Client) -> None:
    assert_error(
        client.post(actions("no-such-job"), json=TERMINATE, headers=TOKEN), 400, "ModelArts.2775"
    )
    assert_error(client.get(job("no-such-job"), headers=TOKEN), 400, "ModelArts.2775")


def test_a_job_of_another_project_looks_unknown_and_is_not_touched(
    client: httpx.Client, new_job: Any
) -> None:
    theirs = new_job("Running", project_id="proj-2")
    # proj-1's token, proj-1's URL, proj-2's job id: nothing to find.
    assert_error(client.post(actions(theirs), json=TERMINATE, headers=TOKEN), 400, "ModelArts.2775")
    # proj-1's token on proj-2's URL: forbidden before any lookup.
    answer = client.post(actions(theirs, "proj-2"), json=TERMINATE, headers=TOKEN)
    assert_error(answer, 403, "ModelArts.0210")
    owner = {"X-Auth-Token": "tok-2"}
    assert client.get(job(theirs, "proj-2"), headers=owner).json()["status"]["phase"] == "Running"


@pytest.mark.parametrize(
    "body",
    [
        {"action_type": "restart"},
        {"action_type": "Terminate"},
        {"action_type": "TERMINATE"},
        {"action_type": 1},
        {"action_type": None},
        {"action_type": ["terminate"]},
        {},
        {"other": "terminate"},
    ],
)
def test_a_bad_action_type_is_400_2812(client: httpx.Client, new_job: Any, body: Any) -> None:
    job_id = new_job("Running")
    assert_error(client.post(actions(job_id), json=body, headers=TOKEN), 400, "ModelArts.2812")
    assert client.get(job(job_id), headers=TOKEN).json()["status"]["phase"] == "Running"


@pytest.mark.parametrize(
    "content", [b"", b"{", b"not json", b"[]", b'"terminate"', b"null", b"42", b"\xff\xfe{}"]
)
def test_malformed_or_non_object_json_is_400_2787(
    client: httpx.Client, new_job: Any, content: bytes
) -> None:
    job_id = new_job("Running")
    headers = {**TOKEN, "Content-Type": "application/json"}
    answer = client.post(actions(job_id), content=content, headers=headers)
    assert_error(answer, 400, "ModelArts.2787")


def test_a_non_json_content_type_is_400_2787(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    headers = {**TOKEN, "Content-Type": "text/plain"}
    answer = client.post(actions(job_id), content=b'{"action_type": "terminate"}', headers=headers)
    assert_error(answer, 400, "ModelArts.2787")


def test_the_official_sdks_content_type_is_accepted(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Pending")
    headers = {**TOKEN, "Content-Type": "application/json;charset=UTF-8"}
    answer = client.post(actions(job_id), content=b'{"action_type":"terminate"}', headers=headers)
    assert answer.status_code == 202, answer.text


def test_a_body_over_one_mebibyte_is_413(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    padding = "x" * (1024 * 1024)
    answer = client.post(actions(job_id), json={**TERMINATE, "pad": padding}, headers=TOKEN)
    assert_error(answer, 413, "ModelArts.0104")
    assert client.get(job(job_id), headers=TOKEN).json()["status"]["phase"] == "Running"


def test_a_chunked_body_over_one_mebibyte_is_413(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    chunks = iter([b"{" + b" " * (600 * 1024), b" " * (600 * 1024) + b"}"])
    answer = client.post(actions(job_id), content=chunks, headers=TOKEN)
    assert_error(answer, 413, "ModelArts.0104")


def test_an_unknown_path_is_404_with_the_error_body(client: httpx.Client) -> None:
    for path in ["/", "/v2", "/v2/proj-1/training-jobs", "/v2/proj-1/training-jobs/x/y/z"]:
        assert_error(client.get(path, headers=TOKEN), 404, "APIG.0101")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v2/proj-1/training-jobs/j", "GET"),
        ("PUT", "/v2/proj-1/training-jobs/j", "GET"),
        ("GET", "/v2/proj-1/training-jobs/j/actions", "POST"),
        ("PATCH", "/v2/proj-1/training-jobs/j/actions", "POST"),
        ("GET", "/_contract/states", "POST"),
    ],
)
def test_a_wrong_method_is_405_with_allow(
    client: httpx.Client, method: str, path: str, allow: str
) -> None:
    answer = client.request(method, path, headers=TOKEN)
    assert_error(answer, 405, "ModelArts.2803")
    assert answer.headers["allow"] == allow


def test_every_answer_has_a_fresh_request_id(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    answers = [
        client.get(job(job_id), headers=TOKEN),
        client.get(job(job_id)),
        client.get("/nowhere"),
    ]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert all(ids) and len(set(ids)) == len(ids)


def test_terminating_becomes_terminated_after_terminate_seconds(
    emulator_config: Any,
) -> None:
    with (
        serve_in_thread(emulator_config(terminate_seconds=0)) as server,
        httpx.Client(base_url=server.base_url, headers=TOKEN) as http,
    ):
        setup = {
            "action": "setup",
            "state": "training job",
            "params": {"project_id": "proj-1", "phase": "Running"},
        }
        job_id = http.post(server.state_url, json=setup).json()["training_job_id"]
        accepted = http.post(actions(job_id), json=TERMINATE)
        assert accepted.json()["status"]["phase"] == "Terminating"
        status = http.get(job(job_id)).json()["status"]
        assert (status["phase"], status["secondary_phase"]) == ("Terminated", "Terminated")
        assert_error(http.post(actions(job_id), json=TERMINATE), 409, "ModelArts.2796")


def test_a_job_stays_terminating_until_terminate_seconds_pass(
    client: httpx.Client, new_job: Any
) -> None:
    # The module's emulator waits 60 s: two reads in a row both see Terminating.
    job_id = new_job("Running")
    client.post(actions(job_id), json=TERMINATE, headers=TOKEN)
    for _ in range(2):
        assert client.get(job(job_id), headers=TOKEN).json()["status"]["phase"] == "Terminating"
