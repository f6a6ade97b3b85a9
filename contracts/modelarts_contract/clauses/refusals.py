"""T5: a refused terminate changes nothing: not the addressed job, nor any other."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..credentials import bad_token
from ..session import Exchange
from .changes import unprompted_changes
from .context import ClauseContext
from .fanout import for_each
from .registry import clause
from .siblings import family


class Refusal(NamedTuple):
    """A request the server must refuse, sent at a job prepared in ``phase``."""

    phase: str
    what: str
    send: Callable[[str], Exchange]


@clause("T5", "refusal_changes_nothing", needs_states=True)
def refusal_changes_nothing(ctx: ClauseContext) -> None:
    """A 409/400/401/403 answer to a terminate leaves the whole job, and its siblings, as they were."""
    refusals = [
        Refusal("Completed", "terminate (409)", ctx.terminate),
        Refusal("Terminated", "terminate (409)", ctx.terminate),
        Refusal(
            "Running",
            "action_type restart (400)",
            lambda job_id: ctx.terminate(job_id, body={"action_type": "restart"}),
        ),
        Refusal(
            "Running", "a bad token (401)", lambda job_id: ctx.terminate(job_id, auth=bad_token())
        ),
    ]
    if ctx.config.other_project_id:
        refusals.append(
            Refusal(
                "Running",
                "another project's path (403)",
                lambda job_id: _through_other_project(ctx, job_id),
            )
        )

    def case(refusal: Refusal) -> None:
        phase, what, send = refusal
        with family(ctx, phase, ("Running",), ("Running",)) as jobs:
            job = jobs.target
            before = ctx.read_job(job.id)
            answer = send(job.id)
            ctx.expect(
                400 <= answer.status < 500,
                f"{what} on a {phase} job answered {answer.describe()}, not a refusal",
                answer,
            )
            if before is not None:
                after = ctx.read_job(job.id)
                if after is not None:
                    _expect_same(ctx, before, after, f"{what} on a {phase} job", answer)
            # Before the probe below, whose accepted terminate is T3's to judge.
            jobs.expect_unchanged(ctx, f"refusing {what}", answer)
            if phase == "Running":
                # Works without GET: a job the refusal left alone can still be terminated.
                probe = ctx.terminate(job.id)
                ctx.expect(
                    probe.status == 202,
                    f"after {what} was refused, terminating the Running job answered "
                    f"{probe.describe()}: the refused request changed it",
                    answer,
                )

    for_each(ctx, refusals, case)


def _through_other_project(ctx: ClauseContext, job_id: str) -> Exchange:
    # The caller's credentials, with the other project's id in the path: a project mismatch.
    return ctx.terminate(
        job_id,
        project_id=ctx.config.other_project_id,
        auth=ctx.config.credentials.auth(ctx.config.project_id),
    )


def _expect_same(
    ctx: ClauseContext,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    what: str,
    cause: Exchange,
) -> None:
    changed = unprompted_changes(before, after)
    ctx.expect(not changed, f"{what} was refused but changed the job: {'; '.join(changed)}", cause)
