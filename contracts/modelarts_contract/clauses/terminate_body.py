"""T3: the 202 answer is the addressed job, terminating, otherwise the same — and the only one.

"Otherwise the same" is the whole job: every field but those the spec lets a terminate change
(``TERMINATE_CHANGES``, and ``CHANGING_BY_THEMSELVES``), in the 202 body and in the stored job
as GET shows it after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..session import Exchange
from ..spec import TERMINABLE_PHASES, TERMINATED_PHASES, TERMINATED_SECONDARY_PHASES
from .changes import TERMINATE_MAY_CHANGE, describe, differences
from .context import ClauseContext, phase_of
from .fanout import for_each
from .registry import clause
from .siblings import family

#: The addressed job's siblings in its project, made before and after it: every terminable phase
#: (a server that terminates "all Running jobs", all jobs of the addressed one's phase, or all it
#: can) and one it cannot terminate, with terminable ones right next to it (off by one row).
SIBLINGS_BEFORE = ("Completed", "Pending", "Running")
SIBLINGS_AFTER = ("Creating", "Running")


@clause("T3", "terminate_body", needs_states=True)
def terminate_body(ctx: ClauseContext) -> None:
    """The 202 body is the addressed job, Terminating, the rest unchanged; GET agrees; siblings too.

    The 202 body has the path's id and phase Terminating/Terminated; it and the stored job (GET,
    before and after) are equal in every field but those the spec lets a terminate change. And
    the terminate acts on that job alone: its siblings in the project are as they were.
    """

    def case(phase: str) -> None:
        # Siblings of this project only: the credentials cannot read another project's jobs
        # (T8 checks that they cannot act on them either), so a change there could not be seen.
        with family(ctx, phase, SIBLINGS_BEFORE, SIBLINGS_AFTER) as jobs:
            job = jobs.target
            before = ctx.read_job(job.id, needed=False) or job.job
            answer = ctx.terminate(job.id)
            ctx.expect(
                answer.status == 202,
                f"terminate of a {phase} job answered {answer.describe()}",
                answer,
            )
            expect_terminated(ctx, job.id, f"a {phase} job", before, answer)
            jobs.expect_unchanged(ctx, f"terminating a {phase} job", answer)

    for_each(ctx, TERMINABLE_PHASES, case)


def expect_terminated(
    ctx: ClauseContext,
    job_id: str,
    what: str,
    before: Mapping[str, Any] | None,
    answer: Exchange,
) -> None:
    """Fail unless the 202 ``answer`` shows the job ``job_id`` (``what``) terminated, nothing else.

    Its body is the job: the path's id, phase Terminating/Terminated with a matching secondary
    phase, every other field as ``before`` (GET, else the provider state) had it; GET after
    agrees, bar the fields the spec lets a terminate change.
    """
    body = answer.json()
    ctx.expect(isinstance(body, dict), "the 202 body is not a JSON object", answer)
    metadata = body.get("metadata")
    body_id = metadata.get("id") if isinstance(metadata, dict) else None
    ctx.expect(
        body_id == job_id,
        f"the 202 body is job {body_id!r}, not the addressed job {job_id!r}",
        answer,
    )
    ctx.expect(
        phase_of(body) in TERMINATED_PHASES,
        f"the 202 body of {what} has phase {phase_of(body)!r}, "
        f"not one of {', '.join(TERMINATED_PHASES)}",
        answer,
    )
    secondary = phase_of(body, "secondary_phase")
    ctx.expect(
        secondary is None or secondary in TERMINATED_SECONDARY_PHASES,
        f"the 202 body of {what} has secondary_phase {secondary!r}, "
        f"not one of {', '.join(TERMINATED_SECONDARY_PHASES)}",
        answer,
    )
    if before is None:
        ctx.partial(
            "neither GET nor the provider state gave the job before: "
            "the rest of the 202 body was not compared"
        )
    else:
        changed = describe(before, body, differences(before, body, TERMINATE_MAY_CHANGE))
        ctx.expect(
            not changed,
            f"the 202 body of {what} differs from the job before the terminate "
            f"in fields a terminate does not change: {'; '.join(changed)}",
            answer,
        )
    after = ctx.read_job(job_id)
    if after is not None and before is not None:
        changed = describe(before, after, differences(before, after, TERMINATE_MAY_CHANGE))
        ctx.expect(
            not changed,
            f"terminating {what} changed the stored job (GET) in fields a "
            f"terminate does not change: {'; '.join(changed)}",
            answer,
        )
        ctx.expect(
            phase_of(after) in TERMINATED_PHASES,
            f"after a 202, GET shows {what} in phase {phase_of(after)!r}",
            answer,
        )
        # TERMINATED_PHASES is in the order a job goes through them: once the 202 showed one,
        # GET may show it or a later one, never an earlier.
        shown, read = phase_of(body), phase_of(after)
        ctx.expect(
            shown not in TERMINATED_PHASES
            or read not in TERMINATED_PHASES
            or TERMINATED_PHASES.index(read) >= TERMINATED_PHASES.index(shown),
            f"the 202 body shows {what} {shown}, then GET shows it {read}: the phase went back",
            answer,
        )
