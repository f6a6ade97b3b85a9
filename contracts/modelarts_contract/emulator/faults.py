"""The service's transient faults on demand: ``serve --fault KIND=RATE``.

A test double for client code: the real service sometimes answers 429 (rate limited), 409
``ModelArts.2878`` (the job changed meanwhile), 500 or 503, answers slowly, or drops the
connection, and a client's retry handling is only seen working when that happens. Each API
request draws from one seeded generator, in the order requests arrive: with ``--fault-seed``
and one request at a time the sequence repeats exactly.

A faulted request is answered (or dropped) before anything acts on it: it changes nothing. A
delay only slows a request down; it then runs normally. The provider-state endpoint is never
faulted, so a test can always prepare its jobs.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import problems

#: The faults that replace the answer, and the error each one answers with (``reset`` sends none).
ANSWER_KINDS: dict[str, Callable[[int], problems.ApiError] | None] = {
    "429": problems.too_many_requests,
    "2878": lambda retry_after: problems.job_status_changed(),
    "500": lambda retry_after: problems.internal_error(),
    "503": problems.service_unavailable,
    "reset": None,
}
DELAY = "delay"
#: The longest delay accepted: longer would look like a hung server, not a slow one.
MAX_DELAY_SECONDS = 300.0
#: ``Retry-After`` sent with injected 429 and 503 answers unless told otherwise.
DEFAULT_RETRY_AFTER = 1
KINDS_HELP = "429, 2878, 500, 503, reset, delay=SECONDS"


class FaultSpecError(ValueError):
    """A ``--fault`` value that does not have the documented form."""


@dataclass(frozen=True)
class Fault:
    """One kind of fault and how often it happens (0 to 1); ``seconds`` for a delay."""

    kind: str
    rate: float
    seconds: float = 0.0


@dataclass(frozen=True)
class Draw:
    """What happens to one request: how long it waits first, and the fault that replaces it."""

    delay: float = 0.0
    #: ``None``: the request runs normally; else a kind of :data:`ANSWER_KINDS`.
    kind: str | None = None


def parse_fault(value: str) -> Fault:
    """``KIND=RATE`` (or ``delay=SECONDS=RATE``) as a :class:`Fault`."""
    kind, sep, rate_text = value.rpartition("=")
    if not sep or not kind:
        raise FaultSpecError(f"--fault {value!r} is not KIND=RATE (KIND: {KINDS_HELP})")
    rate = _number(rate_text, f"the rate in --fault {value!r}")
    if not 0.0 <= rate <= 1.0:
        raise FaultSpecError(f"the rate in --fault {value!r} must be from 0 to 1")
    if kind.startswith(DELAY + "="):
        seconds = _number(kind[len(DELAY) + 1 :], f"the seconds in --fault {value!r}")
        if not 0.0 < seconds <= MAX_DELAY_SECONDS:
            raise FaultSpecError(
                f"the delay in --fault {value!r} must be above 0 and at most "
                f"{MAX_DELAY_SECONDS:g} seconds"
            )
        return Fault(DELAY, rate, seconds)
    if kind not in ANSWER_KINDS:
        hint = " (a delay is written delay=SECONDS=RATE)" if kind == DELAY else ""
        raise FaultSpecError(
            f"unknown fault kind {kind!r} in --fault {value!r}{hint}; known: {KINDS_HELP}"
        )
    return Fault(kind, rate)


class FaultInjector:
    """Decides, request by request, which fault (if any) happens."""

    def __init__(
        self,
        faults: Sequence[Fault],
        seed: int | None = None,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> None:
        kinds = [fault.kind for fault in faults]
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            raise FaultSpecError(f"--fault {', '.join(repeated)} is given more than once")
        answers = [fault for fault in faults if fault.kind != DELAY]
        if sum(fault.rate for fault in answers) > 1.0 + 1e-9:
            raise FaultSpecError("the rates of the answer faults add up to more than 1")
        self.faults = tuple(faults)
        self.retry_after = retry_after
        self._answers = answers
        self._delay = next((fault for fault in faults if fault.kind == DELAY), None)
        self._random = random.Random(seed)
        # Requests are drawn for on the event loop, but an app may be served by several.
        self._lock = threading.Lock()

    def draw(self) -> Draw:
        """The fate of the next request; two numbers are drawn for every request."""
        with self._lock:
            delay_roll, answer_roll = self._random.random(), self._random.random()
        delay = self._delay.seconds if self._delay and delay_roll < self._delay.rate else 0.0
        threshold = 0.0
        for fault in self._answers:
            threshold += fault.rate
            if answer_roll < threshold:
                return Draw(delay, fault.kind)
        return Draw(delay)

    def error_for(self, kind: str) -> problems.ApiError | None:
        """The error answer of an answer fault; ``None`` for ``reset`` (no answer at all)."""
        make = ANSWER_KINDS[kind]
        return make(self.retry_after) if make is not None else None


def _number(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise FaultSpecError(f"{what} is not a number: {text!r}") from None
    if not math.isfinite(number):
        raise FaultSpecError(f"{what} must be a finite number, not {text!r}")
    return number
