"""The client's retry policy, in one place.

A request is sent again only when sending it twice cannot do what sending it once would not:

- the service says it did not act on it: 429, 500 (its own error, reported instead of a
  result), 503, or a documented "try again" error code
  (409 ``ModelArts.2878`` JobStatusChanged);
- the request never left: the connection could not be opened (refused, no route, name not
  found, connect timeout) or no pooled connection became free;
- the request may have been acted on, but is idempotent (``GET``, ``HEAD``, ``OPTIONS``,
  ``PUT``, ``DELETE``, ``TRACE``: RFC 9110 9.2.2), so a repeat changes nothing: a 502, 504 or
  other gateway answer, or a connection lost after the request was sent (read or write failure,
  read timeout, the server closing without an answer).

A ``POST`` or ``PATCH`` whose answer was lost is not repeated blindly: the service may have
acted (a terminate repeated would be answered 409 although the first one worked); the caller
gets the error and decides. Another 4xx would fail the same way again; 501 and 505 too.

The delay before retry ``n`` (0-based) is ``Retry-After`` when the service sends one within
:data:`MAX_RETRY_AFTER`, else ``INITIAL_DELAY * 2**n`` capped at :data:`MAX_DELAY`, minus up to 25 %
of jitter so that many clients do not retry in step.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

MAX_RETRIES = 2
INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
#: A longer ``Retry-After`` is not waited for: the exponential backoff applies instead.
MAX_RETRY_AFTER = 60.0
#: RFC 9110 9.2.2: sending one of these twice has the effect of sending it once.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Answers by which the service says it did not act on the request: retried whatever the method.
NOT_ACTED_STATUSES = frozenset({429, 500, 503})
#: Server errors that a repeat cannot cure.
PERMANENT_STATUSES = frozenset({501, 505})
#: Failures before the request was sent: retried whatever the method.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Failures after the request (or part of it) was sent: retried only when it is idempotent.
MAY_HAVE_ACTED_ERRORS = (
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)
RETRYABLE_ERROR_CODES: frozenset[tuple[int, str]] = frozenset(
    {
        (409, "ModelArts.2878"),
    }
)


@dataclass(frozen=True)
class RetryPolicy:
    """How many times, and after how long, a failed request is sent again."""

    max_retries: int = MAX_RETRIES
    initial_delay: float = INITIAL_DELAY
    max_delay: float = MAX_DELAY
    jitter: Callable[[], float] = field(default=random.random)

    def should_retry(self, response: httpx.Response, attempt: int) -> bool:
        """Whether the answer to attempt ``attempt`` (0-based) is worth sending the request again."""
        if attempt >= self.max_retries:
            return False
        status = response.status_code
        if status in NOT_ACTED_STATUSES:
            return True
        if status >= 500 and status not in PERMANENT_STATUSES:
            return is_idempotent(response.request)
        return (status, _error_code(response)) in RETRYABLE_ERROR_CODES

    def should_retry_error(self, error: httpx.TransportError, attempt: int) -> bool:
        """Whether a request that got no answer at attempt ``attempt`` is worth sending again."""
        if attempt >= self.max_retries:
            return False
        if isinstance(error, NOT_SENT_ERRORS):
            return True
        return isinstance(error, MAY_HAVE_ACTED_ERRORS) and is_idempotent(error.request)

    def delay(self, response: httpx.Response | None, attempt: int) -> float:
        """Seconds to wait before sending retry number ``attempt`` (0-based); ``response`` is
        ``None`` when the attempt got no answer."""
        header = response.headers.get("Retry-After") if response is not None else None
        retry_after = parse_retry_after(header)
        if retry_after is not None and retry_after <= MAX_RETRY_AFTER:
            return retry_after
        backoff = min(self.initial_delay * 2**attempt, self.max_delay)
        return float(backoff * (1 - 0.25 * self.jitter()))


def is_idempotent(request: httpx.Request) -> bool:
    """Whether sending ``request`` twice has the effect of sending it once (by its method)."""
    return request.method.upper() in IDEMPOTENT_METHODS


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value, either seconds or an HTTP date; ``None`` if neither."""
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("error_code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None
