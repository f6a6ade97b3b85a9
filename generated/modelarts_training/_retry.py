"""The client's retry policy, in one place.

An answer is retried when it is 429, any 5xx, or a documented "try again" error code
(409 ``ModelArts.2878`` JobStatusChanged); never for another
4xx, which would fail the same way again. Connection failures and timeouts are not retried: the
service may have acted on a request whose answer was lost, and repeating a terminate would then
be answered 409 instead of 202.

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
        if status == 429 or status >= 500:
            return True
        return (status, _error_code(response)) in RETRYABLE_ERROR_CODES

    def delay(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait before sending retry number ``attempt`` (0-based)."""
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and retry_after <= MAX_RETRY_AFTER:
            return retry_after
        backoff = min(self.initial_delay * 2**attempt, self.max_delay)
        return float(backoff * (1 - 0.25 * self.jitter()))


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
