"""What the clients send, and what they return, for each operation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import modelarts_training as ma
import pytest
from modelarts_training import AsyncClient, Client, RetryPolicy

from .conftest import BASE_URL, JOB_ID, PROJECT_ID, ScriptedService


def test_terminate_posts_the_action_and_returns_the_job(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(202, json=seed_job))

    with Client(PROJECT_ID, base_url=BASE_URL, transport=httpx.MockTransport(service)) as client:
        job = client.terminate_training_job(JOB_ID)

    (request,) = service.requests
    assert request.method == "POST"
    assert request.url.path == f"/v2/{PROJECT_ID}/training-jobs/{JOB_ID}/actions"
    assert json.loads(request.content) == {"action_type": "terminate"}
    assert request.headers["Content-Type"] == "application/json"
    assert isinstance(job, ma.TrainingJob)
    assert job.status.phase == "Terminating"


def test_get_reads_the_job_without_a_body(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    with Client(PROJECT_ID, base_url=BASE_URL, transport=httpx.MockTransport(service)) as client:
        job = client.get_training_job(JOB_ID)

    (request,) = service.requests
    assert (request.method, request.content) == ("GET", b"")
    assert "Content-Type" not in request.headers
    assert job.metadata.name == seed_job["metadata"]["name"]


def test_path_parameters_are_escaped_as_one_segment(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    with Client("p/1", base_url=BASE_URL, transport=httpx.MockTransport(service)) as client:
        client.get_training_job("jöb 1?x")

    assert service.requests[0].url.raw_path == b"/v2/p%2F1/training-jobs/j%C3%B6b%201%3Fx"


def test_the_async_client_is_real_asyncio(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(202, json=seed_job), httpx.Response(200, json=seed_job))

    async def both() -> tuple[ma.TrainingJob, ma.TrainingJob]:
        async with AsyncClient(
            PROJECT_ID, base_url=BASE_URL, transport=httpx.MockTransport(service)
        ) as client:
            return await asyncio.gather(
                client.terminate_training_job(JOB_ID), client.get_training_job(JOB_ID)
            )

    terminated, fetched = asyncio.run(both())

    assert terminated.metadata.id == fetched.metadata.id == JOB_ID
    assert sorted(r.method for r in service.requests) == ["GET", "POST"]


def test_the_async_client_raises_the_same_errors(scripted: Callable[..., ScriptedService]) -> None:
    answer = httpx.Response(409, json={"error_code": "ModelArts.2796", "error_msg": "Completed"})
    service = scripted(answer)

    async def terminate() -> None:
        async with AsyncClient(
            PROJECT_ID, base_url=BASE_URL, transport=httpx.MockTransport(service)
        ) as client:
            await client.terminate_training_job(JOB_ID)

    with pytest.raises(ma.NotAllowedToTerminate) as caught:
        asyncio.run(terminate())
    assert caught.value.error_msg == "Completed"


@pytest.mark.parametrize(
    ("failure", "error_class", "attempts"),
    [
        # Sent, maybe acted on: a terminate is not repeated blindly.
        (httpx.ReadTimeout("read timed out"), ma.APITimeoutError, 1),
        (httpx.RemoteProtocolError("server disconnected"), ma.APIConnectionError, 1),
        # Never sent: repeating it is safe, whatever the method.
        (httpx.ConnectTimeout("connect timed out"), ma.APITimeoutError, 3),
        (httpx.ConnectError("connection refused"), ma.APIConnectionError, 3),
    ],
)
def test_transport_failures_are_typed_and_retried_only_when_the_request_never_left(
    failure: httpx.TransportError,
    error_class: type[ma.APIConnectionError],
    attempts: int,
    scripted: Callable[..., ScriptedService],
) -> None:
    service = scripted(failure)
    sleeps: list[float] = []

    with (
        pytest.raises(error_class) as caught,
        Client(
            PROJECT_ID,
            base_url=BASE_URL,
            transport=httpx.MockTransport(service),
            sleep=sleeps.append,
        ) as client,
    ):
        client.terminate_training_job(JOB_ID)

    assert caught.value.request.url.path.endswith("/actions")
    assert len(service.requests) == attempts
    assert len(sleeps) == attempts - 1


def test_the_timeout_reaches_the_transport(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    with Client(
        PROJECT_ID,
        base_url=BASE_URL,
        timeout=httpx.Timeout(3.0, connect=1.0),
        retry=RetryPolicy(max_retries=0),
        transport=httpx.MockTransport(service),
    ) as client:
        client.get_training_job(JOB_ID)

    timeout = service.requests[0].extensions["timeout"]
    assert timeout == {"connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0}
