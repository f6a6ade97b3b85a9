"""T11 sends the official SDK's terminate as the SDK sends it, and compares jobs field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from contract_faults import Fault
from contract_servers import emulator_config, serve
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import JobActionType, ModelArtsClient, StopTrainingJobRequest
from modelarts_contract.clauses.changes import differences, unprompted_changes
from modelarts_contract.clauses.client_requests import (
    SDK_BODY,
    SDK_HEADERS,
    SDK_SIGNED_HEADERS,
)
from modelarts_contract.emulator import EmulatorApp, create_app
from modelarts_training.signing import parse_authorization


class Recorder(Fault):
    """The emulator, keeping the headers and body of every request it is sent."""

    def __init__(self, emulator: EmulatorApp) -> None:
        super().__init__(emulator)
        self.requests: list[tuple[dict[str, str], bytes]] = []

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append((headers, body))
        return scope, body


def test_the_sdk_request_t11_sends_is_the_one_stop_training_job_sends() -> None:
    recorder = Recorder(create_app(emulator_config()))
    with serve(recorder) as server:
        client = (
            ModelArtsClient.new_builder()
            .with_credentials(BasicCredentials("AK1", "SK1", "proj-1"))
            .with_endpoints([server.base_url])
            .build()
        )
        request = StopTrainingJobRequest(
            training_job_id="job-1", body=JobActionType(action_type="terminate")
        )
        # An unknown job: the emulator verified the SDK's signature before it looked.
        with pytest.raises(ClientRequestException) as refused:
            client.stop_training_job(request)
    assert refused.value.error_code == "ModelArts.2775"
    ((headers, body),) = recorder.requests
    assert body == SDK_BODY
    for name, value in SDK_HEADERS.items():
        if name == "User-Agent":
            # The rest names the machine, the Python and an id the SDK keeps in the home folder.
            assert headers["user-agent"].split(";")[0] == value.split(";")[0]
        else:
            assert headers[name.lower()] == value, name
    signed = parse_authorization(headers["authorization"]).signed_headers
    assert tuple(signed) == SDK_SIGNED_HEADERS


JOB = {
    "kind": "job",
    "metadata": {"id": "j", "name": "n", "description": "", "annotations": None},
    "status": {"phase": "Running", "secondary_phase": "Running", "duration": 5, "tasks": ["w"]},
    "spec": {"resource": {"node_count": 1, "flavor_detail": {"billing": {"unit_num": 1}}}},
}


def _with(path: str, value: Any) -> dict[str, Any]:
    job = json.loads(json.dumps(JOB))
    *parents, last = path.split(".")
    node = job
    for key in parents:
        node = node[key]
    node[last] = value
    return job


def test_every_field_is_compared_but_those_the_spec_lets_change() -> None:
    assert differences(JOB, _with("spec.resource.flavor_detail.billing.unit_num", 2), ()) == [
        "spec.resource.flavor_detail.billing.unit_num"
    ]
    assert differences(JOB, _with("status.tasks", []), ()) == ["status.tasks"]
    assert differences(JOB, _with("metadata.extra", "x"), ()) == ["metadata.extra"]
    assert differences(JOB, _with("status.phase", "Terminating"), ("status.phase",)) == []


def test_null_and_absent_are_the_same_true_and_one_are_not() -> None:
    without = json.loads(json.dumps(JOB))
    del without["metadata"]["annotations"]
    assert differences(JOB, without, ()) == []
    assert differences(JOB, _with("spec.resource.node_count", True), ()) == [
        "spec.resource.node_count"
    ]
    assert differences(JOB, _with("spec.resource.node_count", 1.0), ()) == []


def test_a_job_nothing_acted_on_may_only_run_longer_or_finish_terminating() -> None:
    assert unprompted_changes(JOB, _with("status.duration", 99)) == []
    assert unprompted_changes(JOB, _with("status.phase", "Terminating")) != []
    terminating = _with("status.phase", "Terminating")
    terminated = json.loads(json.dumps(terminating))
    terminated["status"].update(phase="Terminated", secondary_phase="Terminated")
    assert unprompted_changes(terminating, terminated) == []
    assert unprompted_changes(terminated, terminating) != []
