"""Whatever arrives, the answer is the spec's error body with an X-Request-Id, never a 5xx page."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import RunningEmulator, serve_in_thread

TOKEN = {"X-Auth-Token": "tok-1"}


def raw_exchange(emulator: RunningEmulator, request: bytes) -> tuple[int, bytes]:
    """Send bytes no well-behaved client would, read the status line and the rest."""
    with socket.create_connection((emulator.host, emulator.port), timeout=10) as conn:
        conn.sendall(request)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    status = int(received.split(b" ", 2)[1])
    return status, received


@pytest.mark.parametrize(
    "path",
    [
        "/v2/proj-1/training-jobs/%ZZ",
        "/v2/proj-1/training-jobs/%00",
        "/v2/proj-1/training-jobs/%C3%28",
        "/v2/proj-1/training-jobs/a%2Fb/actions",
        "/v2//training-jobs/x",
        "/v2/proj-1/training-jobs/" + "x" * 4000,
    ],
)
def test_odd_paths_get_a_4xx_with_the_error_body(emulator: RunningEmulator, path: str) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: tok-1\r\nConnection: close\r\n\r\n"
    status, received = raw_exchange(emulator, request.encode())
    assert 400 <= status < 500, received[:300]
    assert b"x-request-id" in received.lower()
    assert b'"error_code"' in received


def test_a_header_that_is_not_utf8_is_refused_not_crashed_on(emulator: RunningEmulator) -> None:
    request = (
        b"GET /v2/proj-1/training-jobs/x HTTP/1.1\r\nHost: x\r\n"
        b"X-Auth-Token: \xff\xfe\r\nConnection: close\r\n\r\n"
    )
    status, received = raw_exchange(emulator, request)
    assert status == 401, received[:300]


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "TRACE"])
def test_methods_the_spec_does_not_list_are_405(client: httpx.Client, method: str) -> None:
    answer = client.request(method, "/v2/proj-1/training-jobs/x", headers=TOKEN)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert answer.headers["x-request-id"]


def test_an_unexpected_failure_is_500_2950_with_the_error_body(
    emulator_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_in_thread(emulator_config()) as server:

        async def broken(project_id: str, job_id: str) -> None:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(server.app.store, "get", broken)
        answer = httpx.get(f"{server.base_url}/v2/proj-1/training-jobs/x", headers=TOKEN)
    assert answer.status_code == 500
    body = answer.json()
    assert body["error_code"] == "ModelArts.2950"
    assert "disk on fire" not in body["error_msg"]  # internals stay in the log
    assert answer.headers["x-request-id"] == body["request_id"]
