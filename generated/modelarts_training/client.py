"""Typed clients of the API: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio).

Both have one method per operation, share the retry policy of :mod:`modelarts_training._retry`
and raise the errors of :mod:`modelarts_training.errors`. Every method also takes options for one
call (:class:`~modelarts_training._wire.CallOptions`), and ``client.with_raw_response`` has the same
methods answering :class:`~modelarts_training._wire.RawResponse`.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Self, TypeVar

import httpx

from modelarts_training import models
from modelarts_training._retry import RetryPolicy
from modelarts_training._wire import (
    Call,
    CallOptions,
    RawResponse,
    connection_error,
    parse_json,
    segment,
)
from modelarts_training.errors import error_from_response

DEFAULT_BASE_URL = "https://modelarts.cn-north-4.myhuaweicloud.com"
#: Generous for reading a whole answer, short for connecting, so a dead endpoint fails fast.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_T = TypeVar("_T")


def _get_training_job_request(project_id: str, training_job_id: str) -> Call:
    call = Call(
        "GET",
        f"/v2/{segment(project_id, 'project_id')}/training-jobs/{segment(training_job_id, 'training_job_id')}",
    )
    return call


def _get_training_job_response(response: httpx.Response) -> models.TrainingJob:
    return parse_json(models.TrainingJob, response)


def _terminate_training_job_request(project_id: str, training_job_id: str) -> Call:
    call = Call(
        "POST",
        f"/v2/{segment(project_id, 'project_id')}/training-jobs/{segment(training_job_id, 'training_job_id')}/actions",
    )
    call.raw('{"action_type": "terminate"}', "application/json")
    return call


def _terminate_training_job_response(response: httpx.Response) -> models.TrainingJob:
    return parse_json(models.TrainingJob, response)


class Client:
    """A blocking client of the API over :class:`httpx.Client`.

    ``auth`` is one of the classes of :mod:`modelarts_training.auth` (any :class:`httpx.Auth`
    works); ``transport`` replaces the network, e.g. with :class:`httpx.MockTransport` in
    tests; ``sleep`` waits between retries.
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

    @functools.cached_property
    def with_raw_response(self) -> ClientWithRawResponse:
        """The same methods, answering the status, headers and raw answer with the result."""
        return ClientWithRawResponse(self)

    def get_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> models.TrainingJob:
        """Query the details of a training job.

        Returns the training job (the same object the terminate operation answers with). This is
        how a caller observes a job move from `Terminating` to `Terminated`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _get_training_job_request(self._project_id, training_job_id)
        return self._result(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _get_training_job_response,
        )

    def terminate_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> models.TrainingJob:
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
        return self._result(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _terminate_training_job_response,
        )

    def _send(
        self,
        call: Call,
        options: CallOptions,
        parse: Callable[[httpx.Response], _T],
    ) -> RawResponse[_T]:
        policy = options.retry or self._retry
        arguments = options.arguments(call)
        attempt = 0
        while True:
            try:
                request = self._http.build_request(call.method, call.path, **arguments)
                response = self._http.send(request)
            except httpx.TransportError as error:
                if not policy.should_retry_error(error, attempt):
                    raise connection_error(error) from error
                self._sleep(policy.delay(None, attempt))
                attempt += 1
                continue
            if response.is_success:
                return RawResponse(response, parse)
            if not policy.should_retry(response, attempt):
                raise error_from_response(response)
            self._sleep(policy.delay(response, attempt))
            attempt += 1

    def _result(
        self,
        call: Call,
        options: CallOptions,
        parse: Callable[[httpx.Response], _T],
    ) -> _T:
        return self._send(call, options, parse).parse()


class ClientWithRawResponse:
    """Every method of :class:`Client`, answering :class:`~modelarts_training._wire.RawResponse`:
    the status, headers and :class:`httpx.Response` of a successful answer, and ``parse()``."""

    def __init__(self, client: Client) -> None:
        self._project_id = client._project_id
        self._send = client._send

    def get_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[models.TrainingJob]:
        """As :meth:`Client.get_training_job`, with the whole answer."""
        call = _get_training_job_request(self._project_id, training_job_id)
        return self._send(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _get_training_job_response,
        )

    def terminate_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[models.TrainingJob]:
        """As :meth:`Client.terminate_training_job`, with the whole answer."""
        call = _terminate_training_job_request(self._project_id, training_job_id)
        return self._send(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _terminate_training_job_response,
        )


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

    @functools.cached_property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """The same methods, answering the status, headers and raw answer with the result."""
        return AsyncClientWithRawResponse(self)

    async def get_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> models.TrainingJob:
        """Query the details of a training job.

        Returns the training job (the same object the terminate operation answers with). This is
        how a caller observes a job move from `Terminating` to `Terminated`.

        Raises a subclass of :class:`~modelarts_training.errors.APIStatusError` for an error answer,
        :class:`~modelarts_training.errors.APIConnectionError` when the service cannot be reached.
        """
        call = _get_training_job_request(self._project_id, training_job_id)
        return await self._result(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _get_training_job_response,
        )

    async def terminate_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> models.TrainingJob:
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
        return await self._result(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _terminate_training_job_response,
        )

    async def _send(
        self,
        call: Call,
        options: CallOptions,
        parse: Callable[[httpx.Response], _T],
    ) -> RawResponse[_T]:
        policy = options.retry or self._retry
        arguments = options.arguments(call)
        attempt = 0
        while True:
            try:
                request = self._http.build_request(call.method, call.path, **arguments)
                response = await self._http.send(request)
            except httpx.TransportError as error:
                if not policy.should_retry_error(error, attempt):
                    raise connection_error(error) from error
                await self._sleep(policy.delay(None, attempt))
                attempt += 1
                continue
            if response.is_success:
                return RawResponse(response, parse)
            if not policy.should_retry(response, attempt):
                raise error_from_response(response)
            await self._sleep(policy.delay(response, attempt))
            attempt += 1

    async def _result(
        self,
        call: Call,
        options: CallOptions,
        parse: Callable[[httpx.Response], _T],
    ) -> _T:
        return (await self._send(call, options, parse)).parse()


class AsyncClientWithRawResponse:
    """Every method of :class:`AsyncClient`, answering :class:`~modelarts_training._wire.RawResponse`:
    the status, headers and :class:`httpx.Response` of a successful answer, and ``parse()``."""

    def __init__(self, client: AsyncClient) -> None:
        self._project_id = client._project_id
        self._send = client._send

    async def get_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[models.TrainingJob]:
        """As :meth:`AsyncClient.get_training_job`, with the whole answer."""
        call = _get_training_job_request(self._project_id, training_job_id)
        return await self._send(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _get_training_job_response,
        )

    async def terminate_training_job(
        self,
        training_job_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[models.TrainingJob]:
        """As :meth:`AsyncClient.terminate_training_job`, with the whole answer."""
        call = _terminate_training_job_request(self._project_id, training_job_id)
        return await self._send(
            call,
            CallOptions(timeout, retry, extra_headers, extra_query, extra_body),
            _terminate_training_job_response,
        )
