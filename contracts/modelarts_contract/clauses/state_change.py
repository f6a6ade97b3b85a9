"""T4: a terminate really changes the job, for good."""

from __future__ import annotations

import time

from ..spec import NOT_ALLOWED_CODE, TERMINATED_PHASES, TERMINATED_SECONDARY_PHASES
from .changes import TERMINATE_MAY_CHANGE, describe, differences
from .context import ClauseContext, error_code_of, phase_of
from .registry import clause
from .siblings import family

#: Seconds between two reads while waiting for ``Terminated``.
POLL_INTERVAL = 0.1
#: Order of the phases a terminated job goes through; a later read never shows an earlier one.
_RANK = {"Terminating": 0, "Terminated": 1}


@clause("T4", "state_change", needs_states=True)
def state_change(ctx: ClauseContext) -> None:
    """GET shows Terminating then Terminated in time; a second terminate → 409; no phase goes back.

    The second terminate, of the Terminating and of the Terminated job, is 409 ModelArts.2796.
    Once settled, the job differs from before only where a terminate may change it, and its
    siblings are still as they were (an effect on them may come late, with the job's own move
    to Terminated).
    """
    with family(ctx, "Running", ("Running",), ("Running",)) as jobs:
        job = jobs.target
        before = ctx.read_job(job.id)
        answer = ctx.terminate(job.id)
        ctx.expect(
            answer.status == 202, f"terminate of a Running job answered {answer.describe()}", answer
        )
        # Once right away, while the job is most likely still Terminating (not a terminable
        # phase), and once after it has settled: neither may be accepted again.
        _expect_refused_again(ctx, job.id, "a second terminate")
        if before is not None:
            _wait_for_terminated(ctx, job.id)
        _expect_refused_again(ctx, job.id, "a terminate of the Terminated job")
        if before is not None:
            final = ctx.get_job(job.id)
            settled = final.json()
            ctx.expect(
                phase_of(settled) == "Terminated",
                f"after a second terminate the job is no longer Terminated: {final.describe()}",
                final,
            )
            changed = describe(before, settled, differences(before, settled, TERMINATE_MAY_CHANGE))
            ctx.expect(
                not changed,
                f"once Terminated, the job differs from before the terminate in fields a "
                f"terminate does not change: {'; '.join(changed)}",
                final,
            )
        jobs.expect_unchanged(ctx, "terminating a Running job until it settled", answer)


def _expect_refused_again(ctx: ClauseContext, job_id: str, what: str) -> None:
    again = ctx.terminate(job_id)
    ctx.expect(
        not 200 <= again.status < 300,
        f"{what} answered {again.describe()}, as if the job were still running",
        again,
    )
    ctx.expect_no_server_error(again, what)
    ctx.expect(
        again.status == 409 and error_code_of(again) == NOT_ALLOWED_CODE,
        f"{what} must answer 409 {NOT_ALLOWED_CODE} (the job is no longer terminable), "
        f"answered {again.describe()}",
        again,
    )


def _wait_for_terminated(ctx: ClauseContext, job_id: str) -> None:
    deadline = time.monotonic() + ctx.config.timeout
    highest = -1
    while True:
        exchange = ctx.get_job(job_id)
        phase = phase_of(exchange.json())
        ctx.expect(
            phase in TERMINATED_PHASES,
            f"after a 202, GET shows phase {phase!r}, not one of {', '.join(TERMINATED_PHASES)}",
            exchange,
        )
        secondary = phase_of(exchange.json(), "secondary_phase")
        ctx.expect(
            secondary is None or secondary in TERMINATED_SECONDARY_PHASES,
            f"after a 202, GET shows the {phase} job with secondary_phase {secondary!r}, "
            f"not one of {', '.join(TERMINATED_SECONDARY_PHASES)}",
            exchange,
        )
        rank = _RANK[str(phase)]
        ctx.expect(rank >= highest, f"the phase moved back from Terminated to {phase}", exchange)
        highest = rank
        if phase == "Terminated":
            return
        ctx.expect(
            time.monotonic() < deadline,
            f"the job is still {phase} {ctx.config.timeout:g} s after the terminate",
            exchange,
        )
        time.sleep(POLL_INTERVAL)
