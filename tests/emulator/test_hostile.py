"""Requests an attacker would send: forged credentials of any bytes, and requests cut short."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from modelarts_contract.emulator import RunningEmulator, create_app
from modelarts_training.auth import AkSkAuth

PROJECT = "proj-1"
TERMINATE = b'{"action_type": "terminate"}'


def raw_answer(emulator: RunningEmulator, request: bytes) -> tuple[int, dict[str, Any]]:
    """Send ``request`` as bytes, read the whole answer; its status and JSON body."""
    with socket.create_connection((emulator.host, emulator.port), timeout=10) as conn:
        conn.sendall(request)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def signed_terminate(emulator: RunningEmulator, job_id: str, secret_key: str = "SK1") -> Any:
    """A terminate signed with the module's access key (and ``secret_key``), not yet sent."""
    request = httpx.Request(
        "POST",
        f"{emulator.base_url}/v2/{PROJECT}/training-jobs/{job_id}/actions",
        content=TERMINATE,
        headers={"Content-Type": "application/json"},
    )
    return next(AkSkAuth("AK1", secret_key, PROJECT).sync_auth_flow(request))


def as_bytes(request: httpx.Request, authorization: bytes) -> bytes:
    """The request on the wire, with its Authorization header replaced by ``authorization``."""
    lines = [f"{request.method} {request.url.raw_path.decode()} HTTP/1.1".encode()]
    for name, value in request.headers.raw:
        if name.lower() != b"authorization":
            lines.append(name + b": " + value)
    lines += [b"Authorization: " + authorization, b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + request.content


@pytest.mark.parametrize(
    "signature",
    ["é" * 64, "训练" * 16, "\u00ff\u00fe", "ab\u00e9"],
)
def test_a_signature_of_non_ascii_characters_from_a_known_key_is_401(
    emulator: RunningEmulator, new_job: Any, signature: str
) -> None:
    job_id = new_job("Running")
    request = signed_terminate(emulator, job_id)
    forged = request.headers["Authorization"].rsplit("Signature=", 1)[0] + "Signature="
    status, body = raw_answer(
        emulator, as_bytes(request, forged.encode() + signature.encode("utf-8"))
    )
    assert status == 401, body
    assert body["error_code"] == "ModelArts.0203"
    assert set(body) == {"error_code", "error_msg", "request_id"}


def test_an_unknown_access_key_and_a_wrong_signature_get_the_same_message(
    emulator: RunningEmulator, new_job: Any
) -> None:
    job_id = new_job("Running")
    wrong_secret = signed_terminate(emulator, job_id, secret_key="not-SK1")
    unknown_key = signed_terminate(emulator, job_id)
    unknown_key.headers["Authorization"] = unknown_key.headers["Authorization"].replace(
        "Access=AK1,", "Access=AK-UNKNOWN,"
    )
    with httpx.Client() as http:
        answers = [http.send(request) for request in (wrong_secret, unknown_key)]
    assert [answer.status_code for answer in answers] == [401, 401]
    messages = {answer.json()["error_msg"] for answer in answers}
    assert len(messages) == 1, messages
    assert "AK-UNKNOWN" not in messages.pop()


@given(
    token=st.binary(min_size=1, max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b),
    authorization=st.binary(max_size=120).filter(lambda b: b"\r" not in b and b"\n" not in b),
)
def test_credentials_of_any_bytes_are_401_never_5xx(token: bytes, authorization: bytes) -> None:
    app = create_app(_config())
    try:
        statuses = asyncio.run(_send_with(app, token, b"SDK-HMAC-SHA256 " + authorization))
    finally:
        app.close()
    assert all(status == 401 for status in statuses), statuses


def _config() -> Any:
    from modelarts_contract.emulator import EmulatorConfig

    return EmulatorConfig(tokens={"tok-1": (PROJECT,)}, aksk={"AK1": ("SK1", (PROJECT,))})


async def _send_with(app: Any, token: bytes, authorization: bytes) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    path = f"/v2/{PROJECT}/training-jobs/x/actions"
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        return [
            (await http.post(path, content=TERMINATE, headers=headers)).status_code
            for headers in (
                [(b"X-Auth-Token", token)],
                [(b"Authorization", authorization), (b"X-Sdk-Date", token)],
            )
        ]


def _read_phase(emulator: RunningEmulator, job_id: str) -> str:
    answer = httpx.get(
        f"{emulator.base_url}/v2/{PROJECT}/training-jobs/{job_id}",
        headers={"X-Auth-Token": "tok-1"},
    )
    phase: str = answer.json()["status"]["phase"]
    return phase


def _send_and_close(emulator: RunningEmulator, data: bytes) -> None:
    with socket.create_connection((emulator.host, emulator.port), timeout=10) as conn:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(5)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass


def _head(job_id: str, length: int) -> bytes:
    return (
        f"POST /v2/{PROJECT}/training-jobs/{job_id}/actions HTTP/1.1\r\nHost: x\r\n"
        f"X-Auth-Token: tok-1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda job_id: _head(job_id, 1000) + TERMINATE, id="body short of its length"),
        pytest.param(lambda job_id: _head(job_id, len(TERMINATE)), id="headers, then no body"),
        pytest.param(lambda job_id: _head(job_id, len(TERMINATE))[:60], id="headers cut short"),
        pytest.param(
            lambda job_id: _head(job_id, len(TERMINATE) + 1) + TERMINATE, id="one byte short"
        ),
    ],
)
def test_a_request_cut_short_changes_nothing(
    emulator: RunningEmulator, new_job: Any, cut: Any
) -> None:
    job_id = new_job("Running")
    _send_and_close(emulator, cut(job_id))
    time.sleep(0.3)  # give a wrongly eager server the time to act
    assert _read_phase(emulator, job_id) == "Running"


def test_a_connection_dropped_mid_body_changes_nothing(
    emulator: RunningEmulator, new_job: Any
) -> None:
    job_id = new_job("Running")
    with socket.create_connection((emulator.host, emulator.port), timeout=10) as conn:
        conn.sendall(_head(job_id, 1000) + TERMINATE)
        time.sleep(0.2)  # the server has read the valid first bytes by now
    time.sleep(0.3)
    assert _read_phase(emulator, job_id) == "Running"
    # The same request, complete, does act: the cut was what stopped it.
    status, body = raw_answer(
        emulator,
        _head(job_id, len(TERMINATE)).replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        + TERMINATE,
    )
    assert status == 202, body
