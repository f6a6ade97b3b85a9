"""Both auth modes; AK/SK signatures equal the official SDK's and pass the shared verifier."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from modelarts_training import AkSkAuth, AsyncClient, Client, TokenAuth, signing

from .conftest import BASE_URL, JOB_ID, PROJECT_ID, ScriptedService

AK, SK = "HPUAXXXXXXXXXXXXXXXX", "sk-0123456789abcdef0123456789abcdef01234567"
MOMENT = datetime(2026, 11, 28, 16, 0, 0, tzinfo=UTC)


def _signed(request: httpx.Request, project_id: str | None = PROJECT_ID) -> httpx.Request:
    auth = AkSkAuth(AK, SK, project_id, clock=lambda: MOMENT)
    flow = auth.sync_auth_flow(request)
    return next(flow)


def _official_authorization(request: httpx.Request) -> str:
    """What huaweicloudsdkcore's Signer writes for the same method, URL, headers and body."""
    signed_names = signing.parse_authorization(request.headers["Authorization"]).signed_headers
    headers = {name: value for name, value in request.headers.items() if name in signed_names}
    sdk_request = SdkRequest(
        method=request.method,
        schema=request.url.scheme,
        host=request.url.netloc.decode(),
        resource_path=request.url.raw_path.split(b"?")[0].decode(),
        query_params=list(request.url.params.multi_items()),
        header_params=headers,
        body=request.content,
    )
    signed = Signer(BasicCredentials(AK, SK, PROJECT_ID)).sign(sdk_request)
    return str(signed.header_params["Authorization"])


#: Fresh requests each time: signing changes a request's headers in place.
REQUESTS: dict[str, Callable[[], httpx.Request]] = {
    "post with a JSON body": lambda: httpx.Request(
        "POST",
        f"{BASE_URL}/v2/{PROJECT_ID}/training-jobs/{JOB_ID}/actions",
        json={"action_type": "terminate"},
    ),
    "get without a body": lambda: httpx.Request(
        "GET", f"{BASE_URL}/v2/{PROJECT_ID}/training-jobs/{JOB_ID}"
    ),
    "query string, repeated and unsorted": lambda: httpx.Request(
        "GET",
        f"{BASE_URL}/v2/{PROJECT_ID}/training-jobs",
        params=[("offset", "10"), ("limit", "5"), ("tag", "b c"), ("tag", "a/é")],
    ),
    "unicode path on a custom port": lambda: httpx.Request(
        "GET",
        f"https://modelarts.test:8443/v2/{PROJECT_ID}/training-jobs/j%C3%B6b-%E8%AE%AD%E7%BB%83",
    ),
    "caller's own header": lambda: httpx.Request(
        "DELETE",
        f"{BASE_URL}/v2/{PROJECT_ID}/training-jobs/{JOB_ID}",
        headers={"X-Language": "en-us"},
    ),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_signature_equals_the_official_sdks(name: str) -> None:
    request = _signed(REQUESTS[name]())

    assert request.headers["Authorization"] == _official_authorization(request)


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE_URL}/v2/{PROJECT_ID}/training-jobs/{JOB_ID}",
        "https://modelarts.test:8443/v2/p/training-jobs/j%C3%B6b?b=2&a=1&a=0",
        "http://127.0.0.1:8080/v2/p/training-jobs/x",
    ],
)
def test_the_official_sdk_signing_from_scratch_agrees(url: str) -> None:
    """The SDK derives Host and the date itself here, from the URL alone, as it does on the wire."""
    ours = _signed(httpx.Request("GET", url))
    parsed = httpx.URL(url)
    sdk_request = SdkRequest(
        method="GET",
        schema=parsed.scheme,
        host=parsed.netloc.decode(),
        resource_path=parsed.raw_path.split(b"?")[0].decode(),
        query_params=list(parsed.params.multi_items()),
        header_params={"X-Project-Id": PROJECT_ID, "X-Sdk-Date": "20261128T160000Z"},
        body="",
    )
    signed = Signer(BasicCredentials(AK, SK, PROJECT_ID)).sign(sdk_request)

    assert ours.headers["Host"] == signed.header_params["Host"]
    assert ours.headers["Authorization"] == signed.header_params["Authorization"]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_shared_verifier_accepts_the_signature(name: str) -> None:
    request = _signed(REQUESTS[name]())

    signing.verify(
        secret_key=SK,
        header=signing.parse_authorization(request.headers["Authorization"]),
        method=request.method,
        path=request.url.raw_path.split(b"?")[0].decode(),
        query=request.url.params.multi_items(),
        headers=dict(request.headers),
        body=request.content,
        now=MOMENT,
    )


def test_the_signing_headers_are_set() -> None:
    request = _signed(REQUESTS["post with a JSON body"]())

    assert request.headers["X-Sdk-Date"] == "20261128T160000Z"
    assert request.headers["X-Project-Id"] == PROJECT_ID
    assert request.headers["Host"] == "modelarts.test"
    header = signing.parse_authorization(request.headers["Authorization"])
    assert header.access_key == AK
    assert {"host", "x-sdk-date", "x-project-id", "content-type"} <= set(header.signed_headers)
    # A proxy may rewrite hop-by-hop headers, so they are never signed.
    assert "connection" not in header.signed_headers


def test_without_a_project_id_no_project_header_is_sent() -> None:
    request = _signed(REQUESTS["get without a body"](), project_id=None)
    assert "X-Project-Id" not in request.headers


def test_a_tampered_body_or_wrong_secret_is_refused() -> None:
    request = _signed(REQUESTS["post with a JSON body"]())
    header = signing.parse_authorization(request.headers["Authorization"])
    common: dict[str, Any] = {
        "header": header,
        "method": "POST",
        "path": request.url.path,
        "query": [],
        "headers": dict(request.headers),
        "now": MOMENT,
    }
    with pytest.raises(signing.SignatureError):
        signing.verify(secret_key=SK, body=b'{"action_type": "restart"}', **common)
    with pytest.raises(signing.SignatureError):
        signing.verify(secret_key="another secret", body=request.content, **common)


def _verify_as_sent(request: httpx.Request, path: str, signature: str | None = None) -> None:
    header = signing.parse_authorization(request.headers["Authorization"])
    if signature is not None:
        header = signing.SignatureHeader(header.access_key, header.signed_headers, signature)
    signing.verify(
        secret_key=SK,
        header=header,
        method=request.method,
        path=path,
        query=[],
        headers=dict(request.headers),
        body=request.content,
        now=MOMENT,
    )


@pytest.mark.parametrize("signature", ["é" * 64, "\u8bad" * 10, "\udc80", ""])
def test_a_signature_of_any_characters_is_a_signature_error(signature: str) -> None:
    request = _signed(REQUESTS["post with a JSON body"]())
    with pytest.raises(signing.SignatureError):
        _verify_as_sent(request, request.url.path, signature)


def test_an_encoded_slash_signs_as_a_separator_as_the_sdk_signs_it() -> None:
    # huaweicloudsdkcore decodes the whole path, then splits it: `b%2Fc` and `b/c` sign alike.
    # Which resource each names is the server's routing, not the signature's business.
    request = _signed(REQUESTS["post with a JSON body"]())
    path = request.url.raw_path.decode()
    _verify_as_sent(request, path)
    sdk = Signer(BasicCredentials(AK, SK))
    for raw in ("/a/b%2Fc", "/a/b/c", "/a/b%2fc"):
        sdk_request = SdkRequest(resource_path=raw)
        assert signing.canonical_uri(raw) == sdk._process_canonical_uri(sdk_request) == "/a/b/c/"
    _verify_as_sent(request, path.replace(f"{JOB_ID}/actions", f"{JOB_ID}%2Factions"))
    with pytest.raises(signing.SignatureError):
        _verify_as_sent(request, path.replace(f"{JOB_ID}/actions", f"{JOB_ID}%2Factions%2F1"))


def test_the_client_signs_every_attempt_afresh(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    answers = [httpx.Response(429, json={"error_code": "ModelArts.2799", "error_msg": "m"})]
    service = scripted(*answers, httpx.Response(202, json=seed_job))
    moments = iter([MOMENT, MOMENT.replace(second=1)])

    with Client(
        PROJECT_ID,
        base_url=BASE_URL,
        auth=AkSkAuth(AK, SK, PROJECT_ID, clock=lambda: next(moments)),
        transport=httpx.MockTransport(service),
        sleep=lambda seconds: None,
    ) as client:
        client.terminate_training_job(JOB_ID)

    dates = [request.headers["X-Sdk-Date"] for request in service.requests]
    assert dates == ["20261128T160000Z", "20261128T160001Z"]
    for request in service.requests:
        assert request.headers["Authorization"] == _official_authorization(request)


def test_token_auth_sends_the_token(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    with Client(
        PROJECT_ID,
        base_url=BASE_URL,
        auth=TokenAuth("MIIT-token"),
        transport=httpx.MockTransport(service),
    ) as client:
        client.get_training_job(JOB_ID)

    assert service.requests[0].headers["X-Auth-Token"] == "MIIT-token"
    assert "Authorization" not in service.requests[0].headers


def test_the_async_client_signs_too(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(202, json=seed_job))

    async def terminate() -> None:
        async with AsyncClient(
            PROJECT_ID,
            base_url=BASE_URL,
            auth=AkSkAuth(AK, SK, PROJECT_ID, clock=lambda: MOMENT),
            transport=httpx.MockTransport(service),
        ) as client:
            await client.terminate_training_job(JOB_ID)

    asyncio.run(terminate())

    (request,) = service.requests
    assert request.headers["Authorization"] == _official_authorization(request)
    signing.verify(
        secret_key=SK,
        header=signing.parse_authorization(request.headers["Authorization"]),
        method="POST",
        path=request.url.path,
        query=[],
        headers=dict(request.headers),
        body=request.content,
        now=MOMENT,
    )
