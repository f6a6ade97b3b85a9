"""Typed clients of the API: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio).

Both have one method per operation, share the retry policy of :mod:`modelarts_training._retry`
and raise the errors of :mod:`modelarts_training.errors`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from modelarts_training._retry import RetryPolicy
from modelarts_training.errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    error_from_response,
)
from modelarts_training.models import TrainingJob

DEFAULT_BASE_URL = "https://modelarts.cn-north-4.myhuaweicloud.com"
#: Generous for reading a whole job, short for connecting, so a dead endpoint fails fast.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_Model = TypeVar("_Model", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    body: bytes | None = None


def _get_training_job_request(project_id: str, training_job_id: str) -> _Call:
    path = f"/v2/{_segment(project_id)}/training-jobs/{_segment(training_job_id)}"
    return _Call("GET", path)


def _terminate_training_job_request(project_id: str, training_job_id: str) -> _Call:
    path = f"/v2/{_segment(project_id)}/training-jobs/{_segment(training_job_id)}/actions"
    return _Call("POST", path, json.dumps({"action_type": "terminate"}).encode())


def _segment(value: str) -> str:
    # Every character that could end or split a path segment is escaped, unicode included.
    return quote(value, safe="")


def _parse(model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as error:
        raise InvalidResponseError(response=response, reason=str(error)) from error


def _headers(call: _Call) -> dict[str, str]:
    return {"Content-Type": "application/json"} if call.body is not None else {}


class Client:
    """A blocking client of the API over :class:`httpx.Client`.

    ``auth`` is :class:`~modelarts_training.auth.TokenAuth` or :class:`~modelarts_training.auth.AkSkAuth`
    (any :class:`httpx.Auth` works); ``transport`` replaces the network, e.g. with
    :class:`httpx.MockTransport` in tests; ``sleep`` waits between retries.
    """

    def __init__(
        self,
        project_id: str,
        *,
        auth: httpx.Auth | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._project_id = project_id
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url, auth=auth, timeout=timeout, headers=headers, transport=transport
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def get_training_job(self, training_job_id: str) -> TrainingJob:
        """Query the details of a training job.

        Returns the training job (the same object the terminate operation answers with). This is
        how a caller observes a job move from `Terminating` to `Terminated`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _get_training_job_request(self._project_id, training_job_id)
        return _parse(TrainingJob, self._send(call))

    def terminate_training_job(self, training_job_id: str) -> TrainingJob:
        """Terminate a training job.

        Terminates a training job. Only jobs in phase `Creating`, `Pending` or `Running` can be
        terminated (the document's "Waiting" is the phase `Pending`). The answer is `202` with the
        whole training job, whose phase is then `Terminating`; the job reaches `Terminated` by itself.
        A job in any other phase — `Terminating` included — is answered `409` with
        `ModelArts.2796`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _terminate_training_job_request(self._project_id, training_job_id)
        return _parse(TrainingJob, self._send(call))

    def _send(self, call: _Call) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    call.method, call.path, content=call.body, headers=_headers(call)
                )
            except httpx.TimeoutException as error:
                raise APITimeoutError(str(error) or "timed out", request=error.request) from error
            except httpx.TransportError as error:
                raise APIConnectionError(str(error), request=error.request) from error
            if response.is_success:
                return response
            if not self._retry.should_retry(response, attempt):
                raise error_from_response(response)
            self._sleep(self._retry.delay(response, attempt))
            attempt += 1


class AsyncClient:
    """An asyncio client of the API over :class:`httpx.AsyncClient`; see :class:`Client`."""

    def __init__(
        self,
        project_id: str,
        *,
        auth: httpx.Auth | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._project_id = project_id
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=base_url, auth=auth, timeout=timeout, headers=headers, transport=transport
        )

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def get_training_job(self, training_job_id: str) -> TrainingJob:
        """Query the details of a training job.

        Returns the training job (the same object the terminate operation answers with). This is
        how a caller observes a job move from `Terminating` to `Terminated`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _get_training_job_request(self._project_id, training_job_id)
        return _parse(TrainingJob, await self._send(call))

    async def terminate_training_job(self, training_job_id: str) -> TrainingJob:
        """Terminate a training job.

        Terminates a training job. Only jobs in phase `Creating`, `Pending` or `Running` can be
        terminated (the document's "Waiting" is the phase `Pending`). The answer is `202` with the
        whole training job, whose phase is then `Terminating`; the job reaches `Terminated` by itself.
        A job in any other phase — `Terminating` included — is answered `409` with
        `ModelArts.2796`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _terminate_training_job_request(self._project_id, training_job_id)
        return _parse(TrainingJob, await self._send(call))

    async def _send(self, call: _Call) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    call.method, call.path, content=call.body, headers=_headers(call)
                )
            except httpx.TimeoutException as error:
                raise APITimeoutError(str(error) or "timed out", request=error.request) from error
            except httpx.TransportError as error:
                raise APIConnectionError(str(error), request=error.request) from error
            if response.is_success:
                return response
            if not self._retry.should_retry(response, attempt):
                raise error_from_response(response)
            await self._sleep(self._retry.delay(response, attempt))
            attempt += 1
