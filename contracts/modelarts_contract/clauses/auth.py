"""T8: requests without valid credentials, or for another project, are refused."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ..credentials import (
    AkSkCredentials,
    bad_signature,
    bad_token,
    no_credentials,
    stale_signature,
)
from .context import ClauseContext
from .registry import clause


@clause("T8", "auth")
def auth(ctx: ClauseContext) -> None:
    """No credentials, a bad token or a bad signature → 401; project P's credentials on Q's job → 403/404."""
    forged: list[tuple[str, Callable[[], httpx.Auth]]] = [
        ("no credentials", no_credentials),
        ("an unknown token", bad_token),
        ("a wrong signature", lambda: bad_signature(ctx.config.credentials, ctx.config.project_id)),
    ]
    credentials = ctx.config.credentials
    if isinstance(credentials, AkSkCredentials):
        forged.append(
            (
                "a signature dated an hour ago",
                lambda: stale_signature(credentials, ctx.config.project_id),
            )
        )
    prepared = ctx.states.unavailable_reason is None
    if not prepared:
        ctx.note("without provider states the forged requests address an unknown job")
    for what, make_auth in forged:
        if prepared:
            # A Running job: a server that skips authentication would answer 202.
            with ctx.prepared_job("Running") as job:
                _expect_unauthorized(ctx, job.id, what, make_auth)
                probe = ctx.terminate(job.id)
                ctx.expect(
                    probe.status == 202,
                    f"after a request with {what} was refused, terminating the Running job answered "
                    f"{probe.describe()}",
                    probe,
                )
        else:
            _expect_unauthorized(ctx, ctx.random_job_id(), what, make_auth)
    if ctx.config.other_project_id is None:
        ctx.note("no --other-project-id: cross-project isolation not checked")
    elif not prepared:
        ctx.note("cross-project isolation needs provider states to prepare the other project's job")
    else:
        _cross_project(ctx, ctx.config.other_project_id)


def _expect_unauthorized(
    ctx: ClauseContext, job_id: str, what: str, make_auth: Callable[[], httpx.Auth]
) -> None:
    answer = ctx.terminate(job_id, auth=make_auth())
    ctx.expect(
        answer.status == 401,
        f"terminate with {what} must answer 401, answered {answer.describe()}",
        answer,
    )
    read = ctx.get_job(job_id, auth=make_auth())
    ctx.expect(
        read.status in (401, 404, 405),
        f"GET with {what} must answer 401, answered {read.describe()}",
        read,
    )


def _cross_project(ctx: ClauseContext, other: str) -> None:
    own = ctx.config.credentials.auth(ctx.config.project_id)
    with ctx.prepared_job("Running", project_id=other) as job:
        attempts = [
            (
                "project P's credentials on project Q's path",
                ctx.terminate(job.id, project_id=other, auth=own),
            ),
            ("project Q's job id under project P's path", ctx.terminate(job.id)),
        ]
        for what, answer in attempts:
            ctx.expect(
                answer.status in (400, 403, 404),
                f"terminate of another project's job with {what} answered {answer.describe()}",
                answer,
            )
        read = ctx.get_job(job.id, project_id=other)
        ctx.expect(
            read.status in (400, 403, 404, 405),
            f"GET of another project's job with project P's credentials answered {read.describe()}",
            read,
        )
