"""Per-call options (timeout, retry, extra headers, query and body) and raw answers
(``with_raw_response``), on every method of both clients."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from typing import Any

import httpx
import modelarts_training as ma
import pytest
from modelarts_training import AsyncClient, Client, RetryPolicy

from .conftest import BASE_URL, JOB_ID, PROJECT_ID, ScriptedService

OPTIONS = ["timeout", "retry", "extra_headers", "extra_query", "extra_body"]


def _client(service: ScriptedService, sleeps: list[float] | None = None) -> Client:
    return Client(
        PROJECT_ID,
        base_url=BASE_URL,
        transport=httpx.MockTransport(service),
        sleep=(sleeps if sleeps is not None else []).append,
    )


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
def test_every_method_takes_the_options_keyword_only(client_class: type[object]) -> None:
    raw_class = getattr(ma.client, f"{client_class.__name__}WithRawResponse")
    for owner in (client_class, raw_class):
        for name in ("get_training_job", "terminate_training_job"):
            parameters = inspect.signature(getattr(owner, name)).parameters
            assert list(parameters)[-len(OPTIONS) :] == OPTIONS
            assert all(
                parameters[option].kind is inspect.Parameter.KEYWORD_ONLY for option in OPTIONS
            )
            assert all(parameters[option].default is None for option in OPTIONS)


def test_one_call_sends_extra_headers_query_and_body_and_its_own_timeout(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(202, json=seed_job))

    with _client(service) as client:
        client.terminate_training_job(
            JOB_ID,
            timeout=httpx.Timeout(2.0, connect=0.5),
            extra_headers={"X-Trace": "t-1", "Content-Type": "application/json;charset=utf-8"},
            extra_query={"dry_run": "true"},
            extra_body={"reason": "quota"},
        )
        client.get_training_job(JOB_ID)

    terminate, get = service.requests
    assert json.loads(terminate.content) == {"action_type": "terminate", "reason": "quota"}
    assert terminate.headers["X-Trace"] == "t-1"
    assert terminate.headers["Content-Type"] == "application/json;charset=utf-8"
    assert terminate.url.params["dry_run"] == "true"
    assert terminate.extensions["timeout"] == {
        "connect": 0.5,
        "read": 2.0,
        "write": 2.0,
        "pool": 2.0,
    }
    # The options were for that call only.
    assert "X-Trace" not in get.headers and not get.url.params
    assert get.extensions["timeout"] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}


def test_extra_body_makes_the_body_of_a_call_that_has_none(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    with _client(service) as client:
        client.get_training_job(JOB_ID, extra_body={"verbose": True})

    assert json.loads(service.requests[0].content) == {"verbose": True}
    assert service.requests[0].headers["Content-Type"] == "application/json"


def test_a_retry_policy_given_to_one_call_replaces_the_clients(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    unavailable = httpx.Response(503, json={"error_code": "ModelArts.0001", "error_msg": "busy"})
    service = scripted(unavailable, unavailable, unavailable, httpx.Response(200, json=seed_job))
    sleeps: list[float] = []

    with _client(service, sleeps) as client:
        with pytest.raises(ma.ServerError):
            client.get_training_job(JOB_ID, retry=RetryPolicy(max_retries=0))
        job = client.get_training_job(JOB_ID, retry=RetryPolicy(max_retries=3, jitter=lambda: 0))

    assert job.metadata.id == seed_job["metadata"]["id"]
    assert len(service.requests) == 1 + 3
    assert sleeps == [0.5, 1.0]


def test_a_raw_response_carries_the_status_headers_and_the_parsed_result(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(202, json=seed_job, headers={"X-Request-Id": "r-9"}))

    with _client(service) as client:
        raw = client.with_raw_response.terminate_training_job(JOB_ID, extra_query={"a": "b"})

    assert (raw.status_code, raw.headers["X-Request-Id"]) == (202, "r-9")
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.http_response.json() == seed_job
    job = raw.parse()
    assert isinstance(job, ma.TrainingJob) and job.status.phase == "Terminating"
    assert raw.parse() is job
    assert service.requests[0].url.params["a"] == "b"
    assert isinstance(raw, ma.RawResponse)


def test_a_raw_call_raises_the_same_errors(scripted: Callable[..., ScriptedService]) -> None:
    conflict = {"error_code": "ModelArts.2796", "error_msg": "cannot terminate"}
    service = scripted(httpx.Response(409, json=conflict))

    with _client(service) as client, pytest.raises(ma.APIStatusError) as caught:
        client.with_raw_response.terminate_training_job(JOB_ID)

    assert caught.value.status_code == 409


def test_the_async_client_has_the_same_options_and_raw_answers(
    seed_job: dict[str, Any], scripted: Callable[..., ScriptedService]
) -> None:
    service = scripted(httpx.Response(200, json=seed_job))

    async def both() -> tuple[ma.TrainingJob, int]:
        async with AsyncClient(
            PROJECT_ID, base_url=BASE_URL, transport=httpx.MockTransport(service)
        ) as client:
            job = await client.get_training_job(JOB_ID, extra_headers={"X-Trace": "a"})
            raw = await client.with_raw_response.get_training_job(JOB_ID, timeout=1.0)
            return job, raw.status_code

    job, status = asyncio.run(both())

    assert (job.metadata.id, status) == (seed_job["metadata"]["id"], 200)
    assert service.requests[0].headers["X-Trace"] == "a"
    assert service.requests[1].extensions["timeout"]["read"] == 1.0
