"""Who may call: IAM tokens and AK/SK signatures, each scoped to its projects."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from modelarts_training.signing import (
    CONTENT_SHA256_HEADER,
    DATE_HEADER,
    UNSIGNED_PAYLOAD,
    format_date,
    sign,
)

TERMINATE = json.dumps({"action_type": "terminate"}).encode()


def signed_headers(
    url: str,
    method: str = "POST",
    body: bytes = TERMINATE,
    access_key: str = "AK1",
    secret_key: str = "SK1",
    moment: datetime | None = None,
) -> dict[str, str]:
    """Headers of a request signed the way the official SDK signs it."""
    parts = urlsplit(url)
    headers = {
        "Content-Type": "application/json;charset=UTF-8",
        "Host": parts.netloc,
        DATE_HEADER: format_date(moment or datetime.now(UTC)),
        "X-Project-Id": "proj-1",
    }
    signature = sign(
        access_key=access_key,
        secret_key=secret_key,
        method=method,
        path=parts.path,
        query=[],
        headers=headers,
        body=body,
    )
    return {**headers, "Authorization": signature.render()}


def assert_error(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["error_code"] == code
    assert answer.headers["x-request-id"]


def test_a_correct_signature_terminates(emulator: Any, new_job: Any) -> None:
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{new_job('Running')}/actions"
    answer = httpx.post(url, content=TERMINATE, headers=signed_headers(url))
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"]["phase"] == "Terminating"


def test_a_signed_get_reads_the_job(emulator: Any, new_job: Any) -> None:
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{new_job('Pending')}"
    answer = httpx.get(url, headers=signed_headers(url, "GET", b""))
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"]["secondary_phase"] == "Queuing"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"secret_key": "wrong"}, "wrong secret key"),
        ({"access_key": "AK-unknown"}, "unknown access key"),
        ({"skew": timedelta(minutes=-16)}, "stale date"),
        ({"skew": timedelta(minutes=16)}, "future date"),
        ({"body": b'{"action_type": "terminatE"}'}, "body changed after signing"),
    ],
)
def test_a_bad_signature_is_401_0203(
    emulator: Any, new_job: Any, change: dict[str, Any], why: str
) -> None:
    job_id = new_job("Running")
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{job_id}/actions"
    change = dict(change)
    if "skew" in change:
        # Computed now, not at collection: a long session would bring a future date in range.
        change["moment"] = datetime.now(UTC) + change.pop("skew")
    answer = httpx.post(url, content=TERMINATE, headers=signed_headers(url, **change))
    assert_error(answer, 401, "ModelArts.0203")
    status_url = f"{emulator.base_url}/v2/proj-1/training-jobs/{job_id}"
    read = httpx.get(status_url, headers={"X-Auth-Token": "tok-1"})
    assert read.json()["status"]["phase"] == "Running", why


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic dXNlcjpwYXNz",
        "SDK-HMAC-SHA256 garbage",
        "SDK-HMAC-SHA256 Access=AK1, Signature=00",
        "",
    ],
)
def test_an_unreadable_authorization_is_401_0203(client: httpx.Client, authorization: str) -> None:
    answer = client.get("/v2/proj-1/training-jobs/x", headers={"Authorization": authorization})
    assert_error(answer, 401, "ModelArts.0203")


def test_a_signature_without_its_date_header_is_401(emulator: Any) -> None:
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/x"
    headers = signed_headers(url, "GET", b"")
    del headers[DATE_HEADER]
    assert_error(httpx.get(url, headers=headers), 401, "ModelArts.0203")


def test_no_credentials_is_401_0201_before_any_lookup(client: httpx.Client, new_job: Any) -> None:
    job_id = new_job("Running")
    known = client.post(
        f"/v2/proj-1/training-jobs/{job_id}/actions", json={"action_type": "terminate"}
    )
    unknown = client.post(
        "/v2/proj-1/training-jobs/nope/actions", json={"action_type": "terminate"}
    )
    assert_error(known, 401, "ModelArts.0201")
    assert_error(unknown, 401, "ModelArts.0201")


def test_an_unknown_token_is_401_0203(client: httpx.Client) -> None:
    answer = client.get("/v2/proj-1/training-jobs/x", headers={"X-Auth-Token": "tok-1x"})
    assert_error(answer, 401, "ModelArts.0203")


def test_a_signature_for_another_project_is_403_0210(emulator: Any, new_job: Any) -> None:
    job_id = new_job("Running", project_id="proj-2")
    url = f"{emulator.base_url}/v2/proj-2/training-jobs/{job_id}/actions"
    answer = httpx.post(url, content=TERMINATE, headers=signed_headers(url))
    assert_error(answer, 403, "ModelArts.0210")


def test_a_token_for_another_project_is_403_0210(client: httpx.Client) -> None:
    answer = client.get("/v2/proj-1/training-jobs/x", headers={"X-Auth-Token": "tok-2"})
    assert_error(answer, 403, "ModelArts.0210")


def sdk_signed(url: str, method: str, body: bytes, headers: dict[str, str]) -> dict[str, bytes]:
    """``headers`` signed by huaweicloudsdkcore's own Signer, as the bytes its client sends."""
    parts = urlsplit(url)
    request = SdkRequest(
        method=method,
        schema=parts.scheme,
        host=parts.netloc,
        resource_path=parts.path,
        query_params=[],
        header_params={**headers, "X-Project-Id": "proj-1"},
        body=body,
    )
    Signer(BasicCredentials("AK1", "SK1")).sign(request)
    # The SDK keeps each value as its UTF-8 bytes read as Latin-1, which is what requests sends.
    return {name: value.encode("latin-1") for name, value in request.header_params.items()}


def test_a_header_beyond_ascii_is_verified_as_the_utf_8_the_sdk_sends(
    emulator: Any, new_job: Any
) -> None:
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{new_job('Pending')}"
    headers = sdk_signed(url, "GET", b"", {"X-Language": " 中文-é\u00a0"})
    assert headers["X-Language"] == "中文-é".encode()
    assert httpx.get(url, headers=headers).status_code == 200


def test_an_unsigned_payload_is_verified_as_the_sdk_signs_it(emulator: Any, new_job: Any) -> None:
    # The SDK leaves the body out of the signature unless it is JSON or BSON; the emulator takes
    # the signature, then refuses the body for what it is.
    job_id = new_job("Running")
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{job_id}/actions"
    headers = sdk_signed(url, "POST", TERMINATE, {"Content-Type": "text/plain"})
    assert headers[CONTENT_SHA256_HEADER] == UNSIGNED_PAYLOAD.encode()
    answer = httpx.post(url, content=TERMINATE, headers=headers)
    assert answer.status_code == 400, answer.text


@pytest.mark.parametrize(
    ("declared", "status"),
    [
        (hashlib.sha256(TERMINATE).hexdigest(), 202),
        (hashlib.sha256(TERMINATE).hexdigest().upper(), 202),
        (hashlib.sha256(b'{"action_type": "restart"}').hexdigest(), 401),
        ("", 202),
        ("not a hash", 401),
    ],
    ids=["its hash", "its hash in upper case", "another body's hash", "empty", "not a hash"],
)
def test_a_declared_body_hash_must_be_the_bodys_own(
    emulator: Any, new_job: Any, declared: str, status: int
) -> None:
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{new_job('Running')}/actions"
    headers = sdk_signed(
        url,
        "POST",
        TERMINATE,
        {"Content-Type": "application/json", CONTENT_SHA256_HEADER: declared},
    )
    answer = httpx.post(url, content=TERMINATE, headers=headers)
    assert answer.status_code == status, answer.text


def test_a_body_hash_header_added_after_signing_carries_no_other_body(
    emulator: Any, new_job: Any
) -> None:
    # The canonical request holds the header's value in place of the body's hash: honoured
    # unsigned, or unchecked against the body, it would let anyone swap a signed request's body.
    job_id = new_job("Running")
    url = f"{emulator.base_url}/v2/proj-1/training-jobs/{job_id}/actions"
    signed_body = b'{"action_type": "restart"}'
    for declared in (hashlib.sha256(signed_body).hexdigest(), UNSIGNED_PAYLOAD):
        headers = signed_headers(url, body=signed_body)
        headers[CONTENT_SHA256_HEADER] = declared
        assert_error(httpx.post(url, content=TERMINATE, headers=headers), 401, "ModelArts.0203")
    read = httpx.get(url.removesuffix("/actions"), headers={"X-Auth-Token": "tok-1"})
    assert read.json()["status"]["phase"] == "Running"
