"""HTTP exchanges that end, whatever the server does: a deadline, a size cap, a nesting limit.

httpx's timeouts bound each socket operation, so a server that drips one byte a second never
trips them. Here every exchange gets one monotonic deadline, and the sockets under the client
read it before each operation: connect, the headers and the whole body together end at
``timeout``. An answer is read up to :data:`MAX_BODY_BYTES`, and its JSON is measured before
anything decodes it (a deep enough document overflows the C stack of ``json.loads``).

A connection refused or reset before the first byte of an answer is tried once more; if it
happens again the server is dropping connections, which says more than a clause failure would.
"""

from __future__ import annotations

import random
import re
import threading
import time
import typing
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

import httpcore
import httpx

from .content_coding import UndecodableAnswer, codings_of, decoded
from .errors import ExchangeError

#: Answers longer than this are not read further: 8 MiB is far above any job body.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: JSON nested deeper than this is not decoded; a job body is about six levels deep.
MAX_JSON_DEPTH = 64
#: Seconds before the one retry of a connection dropped before any answer byte: a random
#: moment in this range, so that requests dropped together do not all come back together.
RETRY_PAUSE = (0.2, 1.5)


#: A socket option as httpcore passes it on (its own alias is private).
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


@dataclass
class _Budget:
    """The deadline of one exchange and the answer bytes it has received so far."""

    deadline: float
    received: int = 0

    def remaining(self, what: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise what("the exchange's deadline has passed")
        return left


_BUDGET: ContextVar[_Budget | None] = ContextVar("modelarts_contract_exchange_budget", default=None)


def _clamp(timeout: float | None, what: type[Exception]) -> float | None:
    budget = _BUDGET.get()
    if budget is None:
        return timeout
    left = budget.remaining(what)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the current exchange's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))
        budget = _BUDGET.get()
        if budget is not None:
            budget.received += len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """The standard socket backend, with streams that keep to the exchange's deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host,
            port,
            _clamp(timeout, httpcore.ConnectTimeout),
            local_address,
            socket_options,
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport over :class:`_DeadlineBackend`."""

    def __init__(self, max_connections: int) -> None:
        super().__init__()
        # httpx offers no way to choose the network backend; its pool is replaced by an
        # equivalent one that has ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=_DeadlineBackend(),
        )


@dataclass
class _InFlight:
    """How many exchanges are under way at once, and the most since the client was last idle."""

    now: int = 0
    peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1
            if self.now == 0:
                self.peak = 0


class BoundedClient:
    """Sends requests and reads whole answers, each exchange within ``timeout`` seconds."""

    def __init__(
        self,
        timeout: float,
        *,
        base_url: str = "",
        max_connections: int = 100,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self._in_flight = _InFlight()
        self._client = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            follow_redirects=False,
            transport=_DeadlineTransport(max_connections),
            # Compression gains nothing on loopback; a server that compresses anyway is read
            # through content_coding, within the size cap.
            headers={"Accept-Encoding": "identity"},
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def build_request(self, method: str, url: str, **kwargs: typing.Any) -> httpx.Request:
        """An :class:`httpx.Request` with the client's base URL and default headers."""
        return self._client.build_request(method, url, **kwargs)

    def exchange(self, request: httpx.Request, auth: httpx.Auth | None = None) -> httpx.Response:
        """Send ``request`` and read the whole answer; :class:`ExchangeError` when it cannot be.

        The answer is a closed :class:`httpx.Response` whose ``request`` is the one that went
        on the wire (with the headers ``auth`` added).
        """
        self._in_flight.enter()
        try:
            try:
                return self._attempt(request, auth)
            except _DroppedBeforeAnswer:
                # Once more, after a pause: a full accept backlog resets a connection now and
                # then, and needs a moment to drain.
                time.sleep(random.uniform(*RETRY_PAUSE))
                try:
                    return self._attempt(request, auth)
                except _DroppedBeforeAnswer as again:
                    raise ExchangeError(
                        "dropped",
                        f"the server dropped connections under {self._in_flight.peak} "
                        f"concurrent request(s), twice before answering ({again.detail})",
                    ) from None
        finally:
            self._in_flight.leave()

    def _attempt(self, request: httpx.Request, auth: httpx.Auth | None) -> httpx.Response:
        budget = _Budget(time.monotonic() + self.timeout)
        token = _BUDGET.set(budget)
        started = time.monotonic()
        try:
            response = self._client.send(
                request, auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT, stream=True
            )
            try:
                body = self._read_body(response)
            finally:
                response.close()
        except httpx.TimeoutException:
            raise ExchangeError(
                "timeout", f"no whole answer within {self.timeout:g} s (the server hangs)"
            ) from None
        except (httpx.TransportError, OSError) as error:
            if budget.received == 0:
                raise _DroppedBeforeAnswer(_describe(error)) from None
            raise ExchangeError(
                "connection", f"the connection failed: {_describe(error)}"
            ) from None
        except MemoryError:
            raise ExchangeError(
                "too large", "the answer could not be held in memory (not read further)"
            ) from None
        except (httpx.HTTPError, httpx.StreamError) as error:
            # E.g. a body that says it is compressed and is not.
            raise ExchangeError(
                "garbled", f"the answer cannot be read: {_describe(error)}"
            ) from None
        finally:
            _BUDGET.reset(token)
        # A fresh, closed response: what schemathesis and the clauses read is the bounded body.
        # The header bytes as received: a value beyond ASCII (obs-text, which HTTP allows) would
        # not encode back from the text httpx decoded it to.
        headers = [
            (name, value)
            for name, value in response.headers.raw
            if name.lower() not in (b"content-encoding", b"transfer-encoding")
        ]
        whole = httpx.Response(
            response.status_code, headers=headers, content=body, request=response.request
        )
        whole.elapsed = timedelta(seconds=time.monotonic() - started)
        too_deep = json_too_deep(body)
        if too_deep:
            raise ExchangeError(
                "too deep",
                f"answered {response.status_code} with JSON nested deeper than "
                f"{MAX_JSON_DEPTH} levels",
            )
        return whole

    def _read_body(self, response: httpx.Response) -> bytes:
        # Read raw and inflated here, counted as it comes out: see content_coding.
        try:
            codings = codings_of(response.headers.get_list("content-encoding"))
        except UndecodableAnswer as error:
            raise ExchangeError("garbled", f"answered {response.status_code}: {error}") from None
        cap = self.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in decoded(_capped(response.iter_raw(), cap, response.status_code), codings):
                size += len(chunk)
                if size > cap:
                    encoded = f", once decoded from {', '.join(codings)}" if codings else ""
                    raise ExchangeError(
                        "too large",
                        f"answered {response.status_code} with a body larger than "
                        f"{cap // (1024 * 1024)} MiB{encoded} (not read further)",
                    )
                chunks.append(chunk)
        except UndecodableAnswer as error:
            raise ExchangeError("garbled", f"answered {response.status_code}: {error}") from None
        return b"".join(chunks)


def _capped(chunks: Iterator[bytes], cap: int, status: int) -> Iterator[bytes]:
    """The raw body's chunks, up to ``cap`` bytes: compressed data is bounded too."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > cap:
            raise ExchangeError(
                "too large",
                f"answered {status} with a body larger than {cap // (1024 * 1024)} MiB "
                "(not read further)",
            )
        yield chunk


class _DroppedBeforeAnswer(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


#: A string (to the end of the body when it is never closed, so a scan never backtracks) or a bracket.
_TOKEN = re.compile(rb'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.DOTALL)


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body``, read as JSON, nests arrays and objects deeper than ``limit``.

    Brackets inside strings do not count; a body that is not JSON is measured all the same,
    which errs on the side of not decoding it.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKEN.finditer(body):
        token = match.group()
        if token.startswith(b'"'):
            continue
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
