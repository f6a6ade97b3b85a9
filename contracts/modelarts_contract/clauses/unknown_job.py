"""T6: a job that does not exist is answered 400 ModelArts.2775, even when its id resembles one."""

from __future__ import annotations

from urllib.parse import quote

from ..session import Exchange
from ..spec import NOT_FOUND_CODE
from .context import ClauseContext, error_code_of
from .lookalikes import lookalike_ids, lookalike_projects
from .registry import clause


@clause("T6", "unknown_job")
def unknown_job(ctx: ClauseContext) -> None:
    """Terminating or reading an unknown job answers 400 ModelArts.2775 (404 tolerated), never 2xx.

    An id that merely resembles an existing job's (part of it, it with characters added, re-cased,
    padded) is an unknown job too, and that job stays as it was; so is the job itself under a
    project id that resembles its own.
    """
    job_id = ctx.random_job_id()
    expect_unknown(ctx, job_id, f"unknown job {job_id}")
    if ctx.states.unavailable_reason is not None:
        ctx.note("without provider states, ids resembling an existing job's are not tried")
        return
    with ctx.prepared_job("Running") as job:
        before = ctx.read_job(job.id)
        for what, lookalike in lookalike_ids(job.id):
            label = f"job {lookalike!r} (the Running job's id {job.id} with {what})"
            answer = expect_unknown(ctx, lookalike, label)
            ctx.expect_unchanged(job.id, before, f"a terminate of {label}", answer)
        for what, lookalike in lookalike_projects(ctx.config.project_id):
            label = f"the Running job {job.id} under project {lookalike!r} (its own with {what})"
            answer = ctx.terminate(job.id, project_id=quote(lookalike, safe=""))
            ctx.expect(
                answer.status in (400, 403, 404),
                f"terminate of {label} must be refused (400 {NOT_FOUND_CODE}, 403 or 404), "
                f"answered {answer.describe()}",
                answer,
            )
            ctx.expect_unchanged(job.id, before, f"a terminate of {label}", answer)
        # Works without GET: a job no look-alike reached can still be terminated.
        ctx.expect_still_terminable(job.id, "terminates of ids resembling its own")


def expect_unknown(ctx: ClauseContext, job_id: str, label: str) -> Exchange:
    """Terminate and GET ``job_id`` (encoded as one path segment); both must call it unknown.

    Unknown is 400 ModelArts.2775 (404 tolerated, with a note); without GET, only the
    terminate is judged and the verdict is partial.
    """
    answer = ctx.terminate(job_id)
    ctx.expect(
        not 200 <= answer.status < 300,
        f"terminate of {label} answered {answer.describe()}",
        answer,
    )
    ctx.expect_no_server_error(answer, f"terminate of {label}")
    if answer.status == 404:
        # The service answers 400 (seed document); a gateway in front may turn it into 404.
        ctx.note("an unknown job is answered 404, the service answers 400 ModelArts.2775")
    else:
        ctx.expect(
            answer.status == 400 and error_code_of(answer) == NOT_FOUND_CODE,
            f"terminate of {label} must answer 400 {NOT_FOUND_CODE}, answered {answer.describe()}",
            answer,
        )
    read = ctx.get_job(job_id)
    if read.status == 405:
        ctx.partial("the server has no GET for a job: reading an unknown job was not checked")
        return answer
    ctx.expect(read.status in (400, 404), f"GET of {label} answered {read.describe()}", read)
    if read.status == 400:
        ctx.expect(
            error_code_of(read) == NOT_FOUND_CODE,
            f"GET of {label} must carry {NOT_FOUND_CODE}, answered {read.describe()}",
            read,
        )
    return answer
