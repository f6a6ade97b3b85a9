"""T9: concurrent terminates: one job's end it exactly once; different jobs' are all served."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ..session import Exchange
from ..spec import TERMINABLE_PHASES, TERMINATED_PHASES
from .context import ClauseContext, phase_of
from .registry import clause

#: Seconds to wait on a 429 that has no (readable) Retry-After.
DEFAULT_RETRY_AFTER = 0.5
#: Shortest wait between two tries, so a ``Retry-After: 0`` cannot make a busy loop.
MIN_RETRY_AFTER = 0.05


@clause("T9", "races", needs_states=True)
def races(ctx: ClauseContext) -> None:
    """N concurrent terminates of one Running job → one 202, the rest 409; of N jobs → N × 202.

    The different jobs are in every terminable phase (Creating, Pending, Running).

    Never a 5xx. A 429 (the spec documents it) is honoured: the request is sent again after its
    ``Retry-After``, and only a server still throttling when the time runs out fails.
    """
    _same_job(ctx)
    _different_jobs(ctx)


def _same_job(ctx: ClauseContext) -> None:
    count = ctx.config.race_requests
    with ctx.prepared_job("Running") as job:
        answers = _all_at_once(ctx, [job.id] * count)
        statuses = sorted(answer.status for answer in answers)
        summary = ", ".join(f"{s}×{statuses.count(s)}" for s in sorted(set(statuses)))
        for answer in answers:
            ctx.expect(
                answer.status in (202, 409),
                f"{count} concurrent terminates: one answered {answer.describe()} (all: {summary})",
                answer,
            )
        accepted = [answer for answer in answers if answer.status == 202]
        ctx.expect(
            len(accepted) == 1,
            f"{count} concurrent terminates of one Running job were accepted {len(accepted)} times "
            f"(all: {summary}); exactly one may be",
            accepted[-1] if accepted else answers[0],
        )
        seen = ctx.read_job(job.id)
        if seen is not None:
            ctx.expect(
                phase_of(seen) in TERMINATED_PHASES,
                f"after the concurrent terminates the job is {phase_of(seen)}",
                accepted[0],
            )


def _different_jobs(ctx: ClauseContext) -> None:
    count = ctx.config.race_requests
    with ExitStack() as stack:
        # Every terminable phase, so the terminates meet different jobs in different states.
        phases = [TERMINABLE_PHASES[i % len(TERMINABLE_PHASES)] for i in range(count)]
        jobs = [stack.enter_context(ctx.prepared_job(phase)) for phase in phases]
        answers = _all_at_once(ctx, [job.id for job in jobs])
        statuses = sorted(answer.status for answer in answers)
        summary = ", ".join(f"{s}×{statuses.count(s)}" for s in sorted(set(statuses)))
        for job, answer in zip(jobs, answers, strict=True):
            ctx.expect(
                answer.status == 202,
                f"{count} concurrent terminates of {count} different terminable jobs: job {job.id} "
                f"answered {answer.describe()} (all: {summary}); each must be accepted",
                answer,
            )
        for job, answer in zip(jobs, answers, strict=True):
            lost = (
                f"after {count} concurrent terminates of different jobs were all accepted, "
                f"job {job.id}"
            )
            # Without GET the second terminate below checks the same: not a partial verdict.
            seen = ctx.read_job(job.id, needed=False)
            if seen is not None:
                ctx.expect(
                    phase_of(seen) in TERMINATED_PHASES,
                    f"{lost} is {phase_of(seen)}: its terminate was lost",
                    answer,
                )
                continue
            # Without GET: a job whose terminate took effect refuses another one.
            again = ctx.terminate(job.id)
            ctx.expect(
                not 200 <= again.status < 300,
                f"{lost} accepted a second terminate ({again.describe()}): the first was lost",
                again,
            )


def _all_at_once(ctx: ClauseContext, job_ids: list[str]) -> list[Exchange]:
    """Terminate each job id, all released together; throttled answers are tried again."""
    start = threading.Barrier(len(job_ids))

    def racer(job_id: str) -> Exchange:
        # Released together, so the requests overlap inside the server.
        start.wait(timeout=ctx.config.timeout)
        return ctx.terminate(job_id)

    with ThreadPoolExecutor(max_workers=len(job_ids)) as pool:
        answers = list(pool.map(racer, job_ids))
    return _honour_throttling(ctx, answers, lambda i: ctx.terminate(job_ids[i]))


def _honour_throttling(
    ctx: ClauseContext, answers: list[Exchange], resend: Callable[[int], Exchange]
) -> list[Exchange]:
    """Send each request answered 429 again, one at a time, once its Retry-After has passed.

    One at a time, so a server that limits concurrent requests serves them; the whole wait is
    bounded by three times the request timeout.
    """
    received = time.monotonic()
    deadline = received + 3 * ctx.config.timeout
    answers = list(answers)
    for i, answer in enumerate(answers):
        ready_at = received + _retry_after(answer)
        while answers[i].status == 429:
            wait = max(ready_at - time.monotonic(), 0.0)
            ctx.expect(
                time.monotonic() + wait < deadline,
                f"still answered 429 within the {3 * ctx.config.timeout:g} s given to retries "
                f"(Retry-After honoured, {_retry_after(answers[i]):.3g} s): "
                f"{answers[i].describe()}",
                answers[i],
            )
            time.sleep(wait)
            answers[i] = resend(i)
            ready_at = time.monotonic() + _retry_after(answers[i])
    return answers


def _retry_after(answer: Exchange) -> float:
    """The delay a 429 asks for: ``Retry-After`` in seconds or as an HTTP date."""
    value = answer.response.headers.get("Retry-After", "").strip()
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = int(value)
    except ValueError:
        pass
    else:
        # More seconds than a float holds is longer than any run waits: the retry fails in time.
        return max(float(seconds), MIN_RETRY_AFTER) if seconds < 10**300 else math.inf
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), MIN_RETRY_AFTER)
