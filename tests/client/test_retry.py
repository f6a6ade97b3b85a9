"""Retries: bounded, honouring Retry-After; on 429 / 500 / 503 / 409 JobStatusChanged for any
request, on a gateway error or a lost answer only for an idempotent one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import modelarts_training as ma
import pytest
from modelarts_training import AsyncClient, Client, RetryPolicy
from modelarts_training._retry import parse_retry_after

from .conftest import BASE_URL, JOB_ID, PROJECT_ID, ScriptedService

NO_JITTER = RetryPolicy(jitter=lambda: 0.0)


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error_code": code, "error_msg": "m"}, headers=headers)


def _client(
    service: ScriptedService, sleeps: list[float], retry: RetryPolicy = NO_JITTER
) -> Client:
    return Client(
        PROJECT_ID,
        base_url=BASE_URL,
        retry=retry,
        transport=httpx.MockTransport(service),
        sleep=sleeps.append,
    )


@pytest.mark.parametrize(
    "first",
    [
        _error(429, "ModelArts.2799"),
        _error(500, "ModelArts.2950"),
        httpx.Response(503, text="unavailable"),
        _error(409, "ModelArts.2878"),
    ],
    ids=["429", "500", "503", "409-JobStatusChanged"],
)
def test_a_transient_error_is_retried_until_success(
    first: httpx.Response,
    seed_job: dict[str, Any],
    scripted: Callable[..., ScriptedService],
    sleeps: list[float],
) -> None:
    service = scripted(first, httpx.Response(202, json=seed_job))

    job = _client(service, sleeps).terminate_training_job(JOB_ID)

    assert job.metadata.id == seed_job["metadata"]["id"]
    assert len(service.requests) == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    ("answer", "error_class"),
    [
        (_error(409, "ModelArts.2796"), ma.NotAllowedToTerminate),
        (_error(400, "ModelArts.2775"), ma.TrainingJobNotFound),
        (_error(401, "ModelArts.0202"), ma.TokenExpired),
        (_error(404, "ModelArts.2786"), ma.NotFoundError),
        (_error(413, "ModelArts.0104"), ma.PayloadTooLargeError),
    ],
)
def test_another_4xx_is_never_retried(
    answer: httpx.Response,
    error_class: type[ma.APIStatusError],
    scripted: Callable[..., ScriptedService],
    sleeps: list[float],
) -> None:
    service = scripted(answer)

    with pytest.raises(error_class):
        _client(service, sleeps).terminate_training_job(JOB_ID)

    assert len(service.requests) == 1
    assert sleeps == []


def test_retries_are_bounded_with_exponential_backoff(
    scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    service = scripted(_error(500, "ModelArts.2950"))

    with pytest.raises(ma.InternalServerError):
        _client(service, sleeps, RetryPolicy(max_retries=4, jitter=lambda: 0.0)).get_training_job(
            JOB_ID
        )

    assert len(service.requests) == 5
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


def test_the_default_policy_retries_twice_with_jitter_below_the_backoff(
    scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    service = scripted(_error(429, "ModelArts.2799"))

    with pytest.raises(ma.RateLimitError):
        _client(service, sleeps, RetryPolicy(jitter=lambda: 1.0)).get_training_job(JOB_ID)

    assert len(service.requests) == 3
    assert sleeps == [0.375, 0.75]


def test_the_backoff_is_capped() -> None:
    policy = RetryPolicy(max_retries=10, jitter=lambda: 0.0)
    response = _error(500, "ModelArts.2950")
    assert [policy.delay(response, n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_retry_after_seconds_are_honoured(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    service = scripted(
        _error(429, "ModelArts.2799", {"Retry-After": "7"}), httpx.Response(200, json=seed_job)
    )

    _client(service, sleeps).get_training_job(JOB_ID)

    assert sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=12), usegmt=True)
    assert parse_retry_after(later, now=now) == 12.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None


def test_an_unreasonable_retry_after_falls_back_to_the_backoff() -> None:
    response = _error(429, "ModelArts.2799", {"Retry-After": "3600"})
    assert NO_JITTER.delay(response, 0) == 0.5


@pytest.mark.parametrize(
    ("first", "delay"),
    [
        (_error(503, "ModelArts.2950", {"Retry-After": "2"}), 2.0),
        (httpx.ConnectError("refused"), 0.5),
    ],
    ids=["503", "connect error"],
)
def test_the_async_client_retries_with_its_own_sleep(
    first: httpx.Response | httpx.ConnectError,
    delay: float,
    seed_job: dict[str, Any],
    scripted: Callable[..., ScriptedService],
) -> None:
    service = scripted(first, httpx.Response(202, json=seed_job))
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def terminate() -> ma.TrainingJob:
        async with AsyncClient(
            PROJECT_ID,
            base_url=BASE_URL,
            retry=NO_JITTER,
            transport=httpx.MockTransport(service),
            sleep=fake_sleep,
        ) as client:
            return await client.terminate_training_job(JOB_ID)

    job = asyncio.run(terminate())

    assert job.status.phase == "Terminating"
    assert slept == [delay]
    assert len(service.requests) == 2


@pytest.mark.parametrize("status", [502, 504, 520])
def test_a_gateway_error_after_a_terminate_is_not_retried(
    status: int, scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    # The gateway may have passed the terminate on: repeating it would be answered 409.
    service = scripted(httpx.Response(status, text="gateway"))

    with pytest.raises(ma.ServerError) as caught:
        _client(service, sleeps).terminate_training_job(JOB_ID)

    assert caught.value.status_code == status
    assert len(service.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "first",
    [httpx.Response(502, text="gateway"), httpx.Response(504), httpx.ReadError("reset")],
    ids=["502", "504", "read error"],
)
def test_a_gateway_error_or_lost_answer_for_a_read_is_retried(
    first: httpx.Response | httpx.ReadError,
    seed_job: dict[str, Any],
    scripted: Callable[..., ScriptedService],
    sleeps: list[float],
) -> None:
    service = scripted(first, httpx.Response(200, json=seed_job))

    job = _client(service, sleeps).get_training_job(JOB_ID)

    assert job.metadata.id == seed_job["metadata"]["id"]
    assert [request.method for request in service.requests] == ["GET", "GET"]
    assert sleeps == [0.5]


@pytest.mark.parametrize("status", [501, 505])
def test_a_server_error_that_a_repeat_cannot_cure_is_not_retried(
    status: int, scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    service = scripted(httpx.Response(status))

    with pytest.raises(ma.ServerError):
        _client(service, sleeps).get_training_job(JOB_ID)

    assert len(service.requests) == 1


def test_a_connection_that_never_opened_is_retried_then_succeeds(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService], sleeps: list[float]
) -> None:
    service = scripted(httpx.ConnectError("refused"), httpx.Response(202, json=seed_job))

    job = _client(service, sleeps).terminate_training_job(JOB_ID)

    assert job.metadata.id == seed_job["metadata"]["id"]
    assert len(service.requests) == 2
    assert sleeps == [0.5]
