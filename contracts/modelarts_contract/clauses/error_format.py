"""T10: every error answer is a JSON ModelArts error."""

from __future__ import annotations

from .context import ClauseContext
from .registry import clause


@clause("T10", "error_format")
def error_format(ctx: ClauseContext) -> None:
    """Every error response (unknown paths and methods too) is JSON with error_code and error_msg."""
    project = ctx.config.project_id
    job_id = ctx.random_job_id()
    probes = [
        ("an unknown job", "GET", f"/v2/{project}/training-jobs/{job_id}"),
        ("an unknown job", "POST", f"/v2/{project}/training-jobs/{job_id}/actions"),
        ("an unknown path", "GET", f"/v2/{project}/no-such-resource/{job_id}"),
        ("an unknown path", "POST", f"/v2/{project}/training-jobs/{job_id}/no-such-action"),
        (
            "a method the path does not have",
            "DELETE",
            f"/v2/{project}/training-jobs/{job_id}/actions",
        ),
        ("a method the path does not have", "PUT", f"/v2/{project}/training-jobs/{job_id}"),
    ]
    for what, method, path in probes:
        body = {"action_type": "terminate"} if method == "POST" else None
        answer = ctx.session.send(method, path, json_body=body)
        ctx.expect(
            400 <= answer.status < 500, f"{method} on {what} answered {answer.describe()}", answer
        )
        ctx.expect_error_body(answer, f"{method} on {what}")
    # Every error the run met so far, whichever clause caused it.
    for seen_in, exchange in list(ctx.session.error_exchanges):
        ctx.expect_error_body(
            exchange,
            f"an error answer met in {seen_in} ({exchange.request.method} {exchange.request.url.path})",
        )
