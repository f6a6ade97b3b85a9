"""T3: the 202 answer is the addressed job, terminating, otherwise the same — and the only one."""

from __future__ import annotations

from ..spec import TERMINABLE_PHASES, TERMINATED_PHASES, TERMINATED_SECONDARY_PHASES
from .context import ClauseContext, identity_differences, phase_of
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
    """The 202 body has the path's id, phase Terminating/Terminated and the job's identity unchanged.

    And the terminate acts on that job alone: its siblings in the project are as they were.
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
            body = answer.json()
            ctx.expect(isinstance(body, dict), "the 202 body is not a JSON object", answer)
            metadata = body.get("metadata")
            body_id = metadata.get("id") if isinstance(metadata, dict) else None
            ctx.expect(
                body_id == job.id,
                f"the 202 body is job {body_id!r}, not the addressed job {job.id!r}",
                answer,
            )
            ctx.expect(
                phase_of(body) in TERMINATED_PHASES,
                f"the 202 body of a {phase} job has phase {phase_of(body)!r}, "
                f"not one of {', '.join(TERMINATED_PHASES)}",
                answer,
            )
            secondary = phase_of(body, "secondary_phase")
            ctx.expect(
                secondary is None or secondary in TERMINATED_SECONDARY_PHASES,
                f"the 202 body of a {phase} job has secondary_phase {secondary!r}, "
                f"not one of {', '.join(TERMINATED_SECONDARY_PHASES)}",
                answer,
            )
            if before is None:
                ctx.partial(
                    "neither GET nor the provider state gave the job before: "
                    "its identity was not compared"
                )
            else:
                changed = identity_differences(before, body)
                ctx.expect(
                    not changed,
                    f"terminating changed the job's {', '.join(changed)} (a {phase} job)",
                    answer,
                )
            jobs.expect_unchanged(ctx, f"terminating a {phase} job", answer)

    for_each(ctx, TERMINABLE_PHASES, case)
