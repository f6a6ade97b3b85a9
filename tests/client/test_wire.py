"""Over a real socket: what httpx puts on the wire after AkSkAuth ran still verifies, and a slow
server surfaces as APITimeoutError."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import modelarts_training as ma
import pytest
import uvicorn
from modelarts_training import AkSkAuth, Client, signing

from .conftest import JOB_ID, PROJECT_ID, _spec

AK, SK = "wire-access-key", "wire-secret-key"
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _verifying_app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """A service that only checks the AK/SK signature, then answers with the seed's job."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"].endswith("/slow"):
        await asyncio.sleep(1)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    try:
        signing.verify(
            secret_key=SK,
            header=signing.parse_authorization(headers.get("authorization", "")),
            method=scope["method"],
            path=scope["raw_path"].decode("ascii"),
            query=[
                tuple(pair.split("=", 1))  # type: ignore[misc]
                for pair in scope["query_string"].decode().split("&")
                if pair
            ],
            headers=headers,
            body=body,
        )
    except signing.SignatureError as refused:
        status, payload = 401, {"error_code": "ModelArts.0203", "error_msg": str(refused)}
    else:
        status, payload = 202, _spec()["components"]["examples"]["TerminatingJob"]["value"]
    content = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": content})


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """A uvicorn server on 127.0.0.1 at a free port, stopped after the module's tests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(_verifying_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_signed_terminate_is_accepted_over_the_wire(base_url: str) -> None:
    with Client(PROJECT_ID, base_url=base_url, auth=AkSkAuth(AK, SK, PROJECT_ID)) as client:
        job = client.terminate_training_job(JOB_ID)
        fetched = client.get_training_job("jöb/ü")

    assert job.status.phase == "Terminating"
    assert fetched.metadata.id == JOB_ID


def test_a_wrong_secret_is_refused_over_the_wire(base_url: str) -> None:
    with (
        Client(PROJECT_ID, base_url=base_url, auth=AkSkAuth(AK, "not-the-secret")) as client,
        pytest.raises(ma.TokenUnparsable),
    ):
        client.terminate_training_job(JOB_ID)


def test_a_server_slower_than_the_timeout_raises_api_timeout_error(base_url: str) -> None:
    with (
        Client(
            PROJECT_ID, base_url=base_url, auth=AkSkAuth(AK, SK, PROJECT_ID), timeout=0.2
        ) as client,
        pytest.raises(ma.APITimeoutError),
    ):
        client.get_training_job(f"{JOB_ID}/slow")
