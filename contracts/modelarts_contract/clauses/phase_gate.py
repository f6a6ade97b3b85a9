"""T2: only Creating, Pending and Running jobs can be terminated; a refused job is left as it was."""

from __future__ import annotations

from typing import NamedTuple

from ..spec import NOT_ALLOWED_CODE, PHASES, TERMINABLE_PHASES
from .context import ClauseContext, error_code_of
from .fanout import for_each
from .registry import clause


class State(NamedTuple):
    """A job's phase, and its secondary phase when it is not the one the spec pairs with it."""

    phase: str
    secondary_phase: str | None = None


#: Every phase with its paired secondary phase, and jobs whose secondary phase differs from the
#: pair the way the service's do (a job that failed to be created, one that failed to terminate,
#: a lost one): the phase decides, so a gate that reads the secondary phase is caught.
STATES: tuple[State, ...] = (
    *(State(phase) for phase in PHASES),
    State("Failed", "CreateFailed"),
    State("Terminated", "TerminatedFailed"),
    State("Abnormal", "Lost"),
)


@clause("T2", "phase_gate", needs_states=True)
def phase_gate(ctx: ClauseContext) -> None:
    """Terminate answers 202 iff the phase is Creating/Pending/Running, else 409 ModelArts.2796.

    Whatever the secondary phase; and a job refused so is unchanged, all of it (GET).
    """

    def case(state: State) -> None:
        phase, secondary = state
        what = f"a {phase} job" + (f" (secondary phase {secondary})" if secondary else "")
        with ctx.prepared_job(phase, secondary_phase=secondary) as job:
            before = ctx.read_job(job.id)
            answer = ctx.terminate(job.id)
            ctx.expect_no_server_error(answer, f"terminate of {what}")
            if phase in TERMINABLE_PHASES:
                ctx.expect(
                    answer.status == 202,
                    f"terminate of {what} must answer 202, answered {answer.describe()}",
                    answer,
                )
            else:
                ctx.expect(
                    answer.status == 409 and error_code_of(answer) == NOT_ALLOWED_CODE,
                    f"terminate of {what} must answer 409 {NOT_ALLOWED_CODE}, "
                    f"answered {answer.describe()}",
                    answer,
                )
                ctx.expect_unchanged(job.id, before, f"the terminate of {what} was refused", answer)

    for_each(ctx, STATES, case)
