"""The official Huawei Cloud SDK (huaweicloudsdkmodelarts) works against the emulator unchanged."""

from __future__ import annotations

import random
from typing import Any

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.signer.signer import Signer
from huaweicloudsdkmodelarts.v1 import (
    JobActionType,
    ModelArtsClient,
    ShowTrainingJobDetailsRequest,
    StopTrainingJobRequest,
)
from modelarts_contract.emulator import RunningEmulator
from modelarts_training.errors import TrainingJobNotFound


def sdk_client(base_url: str, access_key: str = "AK1", secret_key: str = "SK1") -> Any:
    # with_endpoints takes the http:// URL as is: no region lookup, no IAM call for the project.
    credentials = BasicCredentials(access_key, secret_key, "proj-1")
    return (
        ModelArtsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([base_url])
        .build()
    )


def stop(job_id: str) -> StopTrainingJobRequest:
    return StopTrainingJobRequest(
        training_job_id=job_id, body=JobActionType(action_type="terminate")
    )


def test_stop_training_job_with_aksk_parses_the_terminating_job(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Running")
    response = sdk_client(emulator.base_url).stop_training_job(stop(job_id))
    assert response.status_code == 202
    assert response.metadata.id == job_id
    assert response.status.phase == "Terminating"
    assert response.status.secondary_phase == "Terminating"
    assert response.spec.resource.flavor_detail.flavor_info.gpu.product_name == "NVIDIA-P100"


def test_a_wrong_secret_key_is_refused_with_401(emulator: RunningEmulator, make_job: Any) -> None:
    job_id = make_job(emulator.state_url, "Running")
    with pytest.raises(ClientRequestException) as refused:
        sdk_client(emulator.base_url, secret_key="not-SK1").stop_training_job(stop(job_id))
    assert refused.value.status_code == 401
    assert refused.value.error_code == "ModelArts.0203"
    assert refused.value.request_id


def token_credentials(token: str, project_id: str) -> BasicCredentials:
    """SDK credentials that send an IAM token instead of signing (the SDK signs by default)."""
    credentials = BasicCredentials("unused", "unused", project_id)

    def send_token(request: Any) -> Any:
        request.header_params["X-Auth-Token"] = token
        request.header_params["X-Project-Id"] = project_id
        Signer.process_request_uri(request)  # what signing would have done to the URL
        return request

    # The SDK checks the class by name, so the instance's signing step is replaced instead.
    credentials.sign_request = send_token
    return credentials


def test_stop_training_job_with_an_iam_token(emulator: RunningEmulator, make_job: Any) -> None:
    job_id = make_job(emulator.state_url, "Pending")
    credentials = token_credentials("tok-1", "proj-1")
    client = (
        ModelArtsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([emulator.base_url])
        .build()
    )
    response = client.stop_training_job(stop(job_id))
    assert response.status.phase == "Terminating"


def test_a_valid_token_does_not_excuse_a_forged_signature(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Running")
    client = sdk_client(emulator.base_url, access_key="AK1", secret_key="forged")
    invoker = client.stop_training_job_invoker(stop(job_id)).add_header("X-Auth-Token", "tok-1")
    with pytest.raises(ClientRequestException) as refused:
        invoker.invoke()
    assert refused.value.status_code == 401


def test_the_documented_409_reaches_the_sdk_as_a_client_error(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Completed")
    with pytest.raises(ClientRequestException) as refused:
        sdk_client(emulator.base_url).stop_training_job(stop(job_id))
    assert (refused.value.status_code, refused.value.error_code) == (409, "ModelArts.2796")


def test_show_training_job_details_sees_the_job_terminating(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Running")
    client = sdk_client(emulator.base_url)
    client.stop_training_job(stop(job_id))
    details = client.show_training_job_details(
        ShowTrainingJobDetailsRequest(training_job_id=job_id)
    )
    assert details.status_code == 200
    assert (details.metadata.id, details.status.phase) == (job_id, "Terminating")


def _odd_ids(count: int) -> list[str]:
    """Job ids holding what the SDK's signer decodes before it splits: "/", "%", spaces, and
    characters beyond ASCII (seeded, so a failure names the same ids again)."""
    chooser = random.Random(14)
    alphabet = "/%/% éü训练-._~+abc0123"
    return ["".join(chooser.choices(alphabet, k=chooser.randint(1, 16))) for _ in range(count)]


def test_the_emulator_verifies_what_the_sdk_signs_for_any_job_id(
    emulator: RunningEmulator, make_job: Any
) -> None:
    client = sdk_client(emulator.base_url)
    unknown = TrainingJobNotFound.http_status, TrainingJobNotFound.error_code
    # The look-alike of T6 too: a real job's id with an encoded trailing slash is another job.
    job_id = make_job(emulator.state_url, "Running")
    for odd in [*_odd_ids(40), job_id + "/", job_id + "%2F"]:
        with pytest.raises(ClientRequestException) as read:
            client.show_training_job_details(ShowTrainingJobDetailsRequest(training_job_id=odd))
        with pytest.raises(ClientRequestException) as stopped:
            client.stop_training_job(stop(odd))
        for refused in (read.value, stopped.value):
            assert (refused.status_code, refused.error_code) == unknown, odd
    details = client.show_training_job_details(
        ShowTrainingJobDetailsRequest(training_job_id=job_id)
    )
    assert details.status.phase == "Running"
