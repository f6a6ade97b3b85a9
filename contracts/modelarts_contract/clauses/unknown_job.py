"""T6: a job that does not exist is answered 400 ModelArts.2775."""

from __future__ import annotations

from ..spec import NOT_FOUND_CODE
from .context import ClauseContext, error_code_of
from .registry import clause


@clause("T6", "unknown_job")
def unknown_job(ctx: ClauseContext) -> None:
    """Terminating or reading an unknown job answers 400 ModelArts.2775 (404 tolerated), never 2xx."""
    job_id = ctx.random_job_id()
    answer = ctx.terminate(job_id)
    ctx.expect(
        not 200 <= answer.status < 300,
        f"terminate of unknown job {job_id} answered {answer.describe()}",
        answer,
    )
    ctx.expect_no_server_error(answer, f"terminate of unknown job {job_id}")
    if answer.status == 404:
        # The service answers 400 (seed document); a gateway in front may turn it into 404.
        ctx.note("an unknown job is answered 404, the service answers 400 ModelArts.2775")
    else:
        ctx.expect(
            answer.status == 400 and error_code_of(answer) == NOT_FOUND_CODE,
            f"terminate of unknown job {job_id} must answer 400 {NOT_FOUND_CODE}, answered {answer.describe()}",
            answer,
        )
    read = ctx.get_job(job_id)
    if read.status == 405:
        return
    ctx.expect(
        read.status in (400, 404), f"GET of unknown job {job_id} answered {read.describe()}", read
    )
    if read.status == 400:
        ctx.expect(
            error_code_of(read) == NOT_FOUND_CODE,
            f"GET of unknown job {job_id} must carry {NOT_FOUND_CODE}, answered {read.describe()}",
            read,
        )
