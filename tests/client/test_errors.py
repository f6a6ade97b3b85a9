"""Every documented error answer raises its own class, carrying what the service said."""

from __future__ import annotations

from typing import Any

import httpx
import modelarts_training as ma
import pytest
from modelarts_training import Client, RetryPolicy

from .conftest import BASE_URL, JOB_ID, PROJECT_ID

NO_RETRY = RetryPolicy(max_retries=0)
STATUS_CLASSES = {
    400: ma.BadRequestError,
    401: ma.AuthenticationError,
    403: ma.PermissionDeniedError,
    404: ma.NotFoundError,
    405: ma.MethodNotAllowedError,
    409: ma.ConflictError,
    413: ma.PayloadTooLargeError,
    429: ma.RateLimitError,
    500: ma.InternalServerError,
}
CODE_CLASSES = {
    (400, "ModelArts.2775"): ma.TrainingJobNotFound,
    (400, "ModelArts.2812"): ma.UnsupportedActionType,
    (400, "ModelArts.2787"): ma.InvalidJsonBody,
    (409, "ModelArts.2796"): ma.NotAllowedToTerminate,
    (409, "ModelArts.2878"): ma.JobStatusChanged,
    (401, "ModelArts.0202"): ma.TokenExpired,
    (403, "ModelArts.0210"): ma.ProjectMismatch,
}


def _client(response: httpx.Response) -> Client:
    return Client(
        PROJECT_ID,
        base_url=BASE_URL,
        retry=NO_RETRY,
        transport=httpx.MockTransport(lambda request: response),
    )


def _raised(response: httpx.Response) -> ma.APIStatusError:
    with pytest.raises(ma.APIStatusError) as caught, _client(response) as client:
        client.terminate_training_job(JOB_ID)
    return caught.value


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_each_documented_status_raises_its_class(status: int) -> None:
    body = {"error_code": "ModelArts.9999", "error_msg": "something"}
    error = _raised(httpx.Response(status, json=body, headers={"X-Request-Id": "req-1"}))

    assert type(error) is STATUS_CLASSES[status]
    assert (error.status_code, error.error_code, error.error_msg) == (
        status,
        "ModelArts.9999",
        "something",
    )
    assert error.request_id == "req-1"


@pytest.mark.parametrize(("status", "code"), sorted(CODE_CLASSES))
def test_each_documented_error_code_raises_its_own_subclass(status: int, code: str) -> None:
    error = _raised(httpx.Response(status, json={"error_code": code, "error_msg": "m"}))

    assert type(error) is CODE_CLASSES[(status, code)]
    assert isinstance(error, STATUS_CLASSES[status])


def test_the_error_classes_come_from_the_spec_examples(spec: dict[str, Any]) -> None:
    examples = spec["components"]["responses"]["Conflict"]["content"]["application/json"]
    codes = {name: ex["value"]["error_code"] for name, ex in examples["examples"].items()}
    assert codes == {
        "NotAllowedToTerminate": "ModelArts.2796",
        "JobStatusChanged": "ModelArts.2878",
    }


def test_an_undocumented_status_falls_back_to_the_closest_class() -> None:
    assert type(_raised(httpx.Response(418, json={}))) is ma.APIStatusError
    assert type(_raised(httpx.Response(504, text="busy"))) is ma.ServerError


def test_a_non_json_error_body_is_read_the_way_the_official_sdk_reads_it() -> None:
    error = _raised(
        httpx.Response(502, text="<html>Bad Gateway</html>", headers={"X-Request-Id": "gw-7"})
    )

    assert isinstance(error, ma.ServerError)
    assert error.error_code == "502"
    assert error.error_msg == "<html>Bad Gateway</html>"
    assert error.request_id == "gw-7"


def test_the_request_id_of_the_body_wins_over_the_header() -> None:
    body = {"error_code": "ModelArts.0203", "error_msg": "bad", "request_id": "from-body"}
    error = _raised(httpx.Response(401, json=body, headers={"X-Request-Id": "from-header"}))

    assert type(error) is ma.TokenUnparsable
    assert error.request_id == "from-body"


def test_alternative_error_keys_are_understood() -> None:
    error = _raised(httpx.Response(400, json={"errorCode": "ModelArts.2812", "errorMsg": "no"}))
    assert type(error) is ma.UnsupportedActionType
    error = _raised(httpx.Response(400, json={"code": "APIGW.0101", "message": "no route"}))
    assert (error.error_code, error.error_msg) == ("APIGW.0101", "no route")


def test_a_success_body_that_breaks_the_model_is_a_typed_error() -> None:
    with (
        pytest.raises(ma.InvalidResponseError) as caught,
        _client(httpx.Response(200, json={"kind": "job"})) as client,
    ):
        client.get_training_job(JOB_ID)
    assert caught.value.status_code == 200
