"""T10: every error answer is a JSON ModelArts error."""

from __future__ import annotations

from typing import Any, NamedTuple

import httpx

from ..credentials import no_credentials
from .context import TERMINATE_BODY, ClauseContext
from .registry import clause


class Probe(NamedTuple):
    """A request every server must refuse with a 4xx ModelArts error."""

    what: str
    method: str
    path: str
    json_body: Any = None
    content: bytes | None = None
    auth: httpx.Auth | None = None


@clause("T10", "error_format")
def error_format(ctx: ClauseContext) -> None:
    """Every error response (unknown paths and methods too) is JSON with error_code and error_msg."""
    job = f"/v2/{ctx.config.project_id}/training-jobs/{ctx.random_job_id()}"
    probes = [
        Probe("an unknown job", "GET", job),
        Probe("an unknown job", "POST", f"{job}/actions", TERMINATE_BODY),
        Probe("an unknown path", "GET", f"/v2/{ctx.config.project_id}/no-such-resource"),
        Probe("an unknown path", "POST", f"{job}/no-such-action", TERMINATE_BODY),
        Probe("a method the path does not have", "DELETE", f"{job}/actions"),
        Probe("a method the path does not have", "PUT", job),
        Probe("a request without credentials", "GET", job, auth=no_credentials()),
        Probe("malformed JSON", "POST", f"{job}/actions", content=b"{"),
    ]
    for probe in probes:
        answer = ctx.session.send(
            probe.method,
            probe.path,
            json_body=probe.json_body,
            content=probe.content,
            auth=probe.auth,
        )
        what = f"{probe.method} with {probe.what}"
        ctx.expect(400 <= answer.status < 500, f"{what} answered {answer.describe()}", answer)
        ctx.expect_error_body(answer, what)
    # Every error the run met so far, whichever clause caused it.
    for seen_in, exchange in list(ctx.session.error_exchanges):
        request = exchange.request
        ctx.expect_error_body(
            exchange, f"an error answer met in {seen_in} ({request.method} {request.url.path})"
        )
