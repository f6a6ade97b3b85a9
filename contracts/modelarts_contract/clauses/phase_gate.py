"""T2: only Creating, Pending and Running jobs can be terminated."""

from __future__ import annotations

from ..spec import NOT_ALLOWED_CODE, PHASES, TERMINABLE_PHASES
from .context import ClauseContext, error_code_of
from .fanout import for_each
from .registry import clause


@clause("T2", "phase_gate", needs_states=True)
def phase_gate(ctx: ClauseContext) -> None:
    """Terminate answers 202 iff the phase is Creating/Pending/Running, else 409 ModelArts.2796."""

    def case(phase: str) -> None:
        with ctx.prepared_job(phase) as job:
            answer = ctx.terminate(job.id)
            ctx.expect_no_server_error(answer, f"terminate of a {phase} job")
            if phase in TERMINABLE_PHASES:
                ctx.expect(
                    answer.status == 202,
                    f"terminate of a {phase} job must answer 202, answered {answer.describe()}",
                    answer,
                )
            else:
                ctx.expect(
                    answer.status == 409 and error_code_of(answer) == NOT_ALLOWED_CODE,
                    f"terminate of a {phase} job must answer 409 {NOT_ALLOWED_CODE}, "
                    f"answered {answer.describe()}",
                    answer,
                )

    for_each(ctx, PHASES, case)
