"""T3: the 202 answer is the addressed job, terminating, and otherwise the same job."""

from __future__ import annotations

from ..spec import TERMINABLE_PHASES, TERMINATED_PHASES, TERMINATED_SECONDARY_PHASES
from .context import ClauseContext, identity_differences, phase_of
from .fanout import for_each
from .registry import clause


@clause("T3", "terminate_body", needs_states=True)
def terminate_body(ctx: ClauseContext) -> None:
    """The 202 body has the path's id, phase Terminating/Terminated and the job's identity unchanged."""

    def case(phase: str) -> None:
        with ctx.prepared_job(phase) as job:
            before = ctx.read_job(job.id) or job.job
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
                ctx.note(
                    "neither GET nor the provider state gave the job before: identity not compared"
                )
                return
            changed = identity_differences(before, body)
            ctx.expect(
                not changed,
                f"terminating changed the job's {', '.join(changed)} (a {phase} job)",
                answer,
            )

    for_each(ctx, TERMINABLE_PHASES, case)
