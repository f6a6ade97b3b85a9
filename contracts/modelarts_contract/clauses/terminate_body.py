"""T3: the 202 answer is the addressed job, terminating, otherwise the same job — and the only one."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any

from ..spec import (
    NOT_ALLOWED_CODE,
    TERMINABLE_PHASES,
    TERMINATED_PHASES,
    TERMINATED_SECONDARY_PHASES,
)
from ..states import PreparedJob
from .context import ClauseContext, error_code_of, identity_differences, phase_of
from .fanout import for_each
from .registry import clause

#: The addressed job's siblings in its project, made before and after it: every terminable phase
#: (a server that terminates "all Running jobs", or all it can) and one it cannot terminate,
#: with terminable ones right next to it (a server off by one row).
SIBLINGS_BEFORE = ("Completed", "Pending", "Running")
SIBLINGS_AFTER = ("Creating", "Running")
#: What a sibling must keep; ``duration`` may grow by itself.
_KEPT_STATUS = ("phase", "secondary_phase", "start_time")


@clause("T3", "terminate_body", needs_states=True)
def terminate_body(ctx: ClauseContext) -> None:
    """The 202 body has the path's id, phase Terminating/Terminated and the job's identity unchanged.

    And the terminate acts on that job alone: its siblings in the project are as they were.
    """

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
    _only_the_addressed_job_changes(ctx)


def _only_the_addressed_job_changes(ctx: ClauseContext) -> None:
    # Only this project's jobs: the credentials cannot read another project's (T8 checks that
    # they cannot act on them either), so a change there could not be seen.
    with ExitStack() as jobs:
        before = [jobs.enter_context(ctx.prepared_job(phase)) for phase in SIBLINGS_BEFORE]
        target = jobs.enter_context(ctx.prepared_job("Running"))
        after = [jobs.enter_context(ctx.prepared_job(phase)) for phase in SIBLINGS_AFTER]
        siblings = [*before, *after]
        seen_before = {job.id: ctx.read_job(job.id) for job in siblings}
        answer = ctx.terminate(target.id)
        ctx.expect(
            answer.status == 202,
            f"terminate of a Running job with siblings answered {answer.describe()}",
            answer,
        )
        for job, phase in zip(siblings, [*SIBLINGS_BEFORE, *SIBLINGS_AFTER], strict=True):
            was = seen_before[job.id]
            if was is not None:
                now = ctx.read_job(job.id)
                if now is not None:
                    changed = _sibling_changes(was, now)
                    ctx.expect(
                        not changed,
                        f"terminating job {target.id} changed its sibling {job.id} "
                        f"(a {phase} job): {'; '.join(changed)}",
                        answer,
                    )
                    continue
            _probe_sibling(ctx, job, phase, target.id)


def _sibling_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    changes = [f"its {name} differs" for name in identity_differences(before, after)]
    was, now = before.get("status"), after.get("status")
    for name in _KEPT_STATUS:
        old = was.get(name) if isinstance(was, Mapping) else None
        new = now.get(name) if isinstance(now, Mapping) else None
        if old != new:
            changes.append(f"status.{name} {old!r} → {new!r}")
    return changes


def _probe_sibling(ctx: ClauseContext, job: PreparedJob, phase: str, target_id: str) -> None:
    # Without GET: a sibling left alone still answers a terminate as its phase says.
    probe = ctx.terminate(job.id)
    if phase in TERMINABLE_PHASES:
        ok, expected = probe.status == 202, "202"
    else:
        ok = probe.status == 409 and error_code_of(probe) == NOT_ALLOWED_CODE
        expected = f"409 {NOT_ALLOWED_CODE}"
    ctx.expect(
        ok,
        f"after job {target_id} was terminated, terminating its sibling {job.id} (a {phase} job) "
        f"answered {probe.describe()}, not {expected}: the terminate changed it",
        probe,
    )
