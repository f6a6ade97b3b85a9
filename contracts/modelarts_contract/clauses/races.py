"""T9: concurrent terminates of one job terminate it exactly once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ..session import Exchange
from ..spec import TERMINATED_PHASES
from .context import ClauseContext, phase_of
from .registry import clause


@clause("T9", "races", needs_states=True)
def races(ctx: ClauseContext) -> None:
    """N concurrent terminates of a Running job → one 202, the rest 409, no 5xx, one final state."""
    count = ctx.config.race_requests
    with ctx.prepared_job("Running") as job:
        start = threading.Barrier(count)

        def racer(_: int) -> Exchange:
            ctx.session.set_clause(ctx.clause_id)
            # Released together, so the requests overlap inside the server.
            start.wait(timeout=ctx.config.timeout)
            return ctx.terminate(job.id)

        with ThreadPoolExecutor(max_workers=count) as pool:
            answers = list(pool.map(racer, range(count)))
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
