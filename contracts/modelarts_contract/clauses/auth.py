"""T8: requests without valid credentials (or with look-alikes), or for another project: refused."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..credentials import (
    AkSkCredentials,
    LabelledAuth,
    bad_signature,
    bad_token,
    forged,
    no_credentials,
)
from ..errors import ProviderStateError, ProviderStateNotOffered
from ..reproduction import Replay, StateRead
from ..session import Exchange
from .changes import describe, unprompted_fields
from .context import ClauseContext
from .lookalikes import ForgedCredential, lookalike_credentials
from .registry import clause
from .unknown_job import expect_unknown

#: Why T8 is partial when the provider states offer no ``read``.
NO_READ_REASON = (
    "Q's job could not be read through the provider states: its being unchanged was not checked"
)


@clause("T8", "auth")
def auth(ctx: ClauseContext) -> None:
    """Bad or look-alike credentials → 401, no change; P's on Q's job → 403/404, it unchanged.

    Look-alikes are the run's own credentials altered slightly: a token one character off, cut
    short, extended or re-cased, an empty header, a signature for another request. Q's job
    under P's own path is an unknown job to GET and terminate (400 ModelArts.2775, 404
    tolerated), never 403: the lookup is scoped to the path's project. With AK/SK, P's keys
    signing for ``X-Project-Id: Q`` are refused on Q's job too. Q's job, which P's credentials
    cannot read, is read through the provider states (``read``) before and after each of these
    requests and must be unchanged, all of it; a provider without ``read`` makes this partial.
    """
    forgeries = [
        ForgedCredential("no credentials", no_credentials),
        ForgedCredential("an unknown token", bad_token),
        ForgedCredential(
            "a wrong signature",
            lambda: bad_signature(ctx.config.credentials, ctx.config.project_id),
        ),
    ]
    credentials = ctx.config.credentials
    if isinstance(credentials, AkSkCredentials):
        # Outside the 15 minutes of clock skew the spec allows, either way.
        for dated in ("a signature dated an hour ago", "a signature dated an hour ahead"):
            forgeries.append(
                ForgedCredential(dated, partial(forged, dated, credentials, ctx.config.project_id))
            )
    lookalikes = lookalike_credentials(credentials, ctx.config.project_id)
    if ctx.states.unavailable_reason is None:
        # A Running job: a server that skips authentication, or takes a look-alike for the real
        # credentials, answers 202 (or terminates it behind a refusal, which GET and the probe see).
        with ctx.prepared_job("Running") as job:
            before = ctx.read_job(job.id)
            for forgery in forgeries:
                _expect_unauthorized(ctx, job.id, forgery, (401,), before)
            for lookalike in lookalikes:
                _expect_unauthorized(ctx, job.id, lookalike, (401, 403), before)
            ctx.expect_still_terminable(job.id, "requests with forged credentials")
    else:
        ctx.partial(
            "without provider states the forged requests address an unknown job: "
            "that they change nothing was not checked"
        )
        job_id = ctx.random_job_id()
        for forgery in forgeries:
            _expect_unauthorized(ctx, job_id, forgery, (401,), None)
        for lookalike in lookalikes:
            _expect_unauthorized(ctx, job_id, lookalike, (401, 403), None)
    if ctx.config.other_project_id is None:
        ctx.partial("no other project id given: cross-project isolation was not checked")
    elif ctx.states.unavailable_reason is not None:
        ctx.partial(
            "cross-project isolation needs provider states to prepare the other project's job: "
            "not checked"
        )
    else:
        _cross_project(ctx, ctx.config.other_project_id)


def _expect_unauthorized(
    ctx: ClauseContext,
    job_id: str,
    forgery: ForgedCredential,
    refusals: tuple[int, ...],
    before: Mapping[str, Any] | None,
) -> None:
    """The forged credentials are refused (``refusals``) on a terminate and a GET of the job."""
    what, make_auth, reads = forgery
    expected = " or ".join(str(status) for status in refusals)
    # Labelled with what it is, so that a replay can forge it again from the credentials it has.
    answer = ctx.terminate(job_id, auth=LabelledAuth(make_auth(), what, ctx.config.project_id))
    ctx.expect(
        answer.status in refusals,
        f"terminate with {what} must answer {expected}, answered {answer.describe()}",
        answer,
    )
    if reads:
        read = ctx.get_job(job_id, auth=LabelledAuth(make_auth(), what, ctx.config.project_id))
        ctx.expect(
            read.status in (*refusals, 404, 405),
            f"GET with {what} must answer {expected}, answered {read.describe()}",
            read,
        )
    ctx.expect_unchanged(job_id, before, f"a terminate with {what} was refused", answer)


def _cross_project(ctx: ClauseContext, other: str) -> None:
    own = ctx.config.credentials.auth(ctx.config.project_id)
    with ctx.prepared_job("Running", project_id=other) as job:
        # P's credentials cannot read Q's job: the provider states read it for the suite.
        before = _read_other_job(ctx, other, job.id)
        # Through the caller's own path, Q's job is a job P does not have: the lookup is scoped
        # to the path's project, and the answer tells nothing of the job existing elsewhere.
        label = f"project Q's job {job.id} under project P's own path"
        answer = expect_unknown(ctx, job.id, label)
        _expect_other_unchanged(
            ctx, other, job.id, before, f"a terminate and a GET of {label}", answer
        )
        # The server cannot be told apart from a caller whose credentials may act on Q too,
        # so the failure says which of the two to rule out.
        mistaken = f" (or these credentials may act on {other}: name a project they may not)"
        answer = ctx.terminate(job.id, project_id=other, auth=own)
        ctx.expect(
            answer.status in (400, 403, 404),
            f"terminate of another project's job with project P's credentials on project Q's "
            f"path answered {answer.describe()}{mistaken}",
            answer,
        )
        _expect_other_unchanged(
            ctx, other, job.id, before, "a terminate with P's credentials on Q's path", answer
        )
        read = ctx.get_job(job.id, project_id=other)
        ctx.expect(
            read.status in (400, 403, 404, 405),
            f"GET of another project's job with project P's credentials answered {read.describe()}",
            read,
        )
        _expect_other_unchanged(
            ctx, other, job.id, before, "a GET with P's credentials on Q's path", read
        )
        if isinstance(ctx.config.credentials, AkSkCredentials):
            # P's keys signing a request that claims project Q (X-Project-Id: Q, signed): the
            # keys decide which projects a request may act on, not the header they sign.
            # (The GET above is signed so already: the run signs for the path's project.)
            answer = ctx.terminate(
                job.id, project_id=other, auth=ctx.config.credentials.auth(other)
            )
            ctx.expect(
                answer.status in (400, 403, 404),
                f"terminate of project Q's job signed with P's keys for X-Project-Id {other} "
                f"answered {answer.describe()}{mistaken}",
                answer,
            )
            _expect_other_unchanged(
                ctx,
                other,
                job.id,
                before,
                f"a terminate signed with P's keys for X-Project-Id {other}",
                answer,
            )


def _read_other_job(ctx: ClauseContext, other: str, job_id: str) -> Mapping[str, Any] | None:
    """Q's job as the provider states read it, or ``None`` (and partial) when they cannot.

    Only a provider without ``read`` makes this partial; any other failure of the read is the
    provider states' failure (:class:`ProviderStateError`), as for a setup.
    """
    try:
        return ctx.states.read(other, job_id)
    except ProviderStateNotOffered:
        ctx.partial(NO_READ_REASON)
        return None


def _expect_other_unchanged(
    ctx: ClauseContext,
    other: str,
    job_id: str,
    before: Mapping[str, Any] | None,
    after: str,
    cause: Exchange,
) -> None:
    """Fail unless Q's job reads as ``before`` did (but for what changes by itself)."""
    if before is None:
        return
    # It answered a moment ago: a read refused now is the provider states' failure, not "no read".
    try:
        seen = ctx.states.read(other, job_id)
    except ProviderStateNotOffered as error:
        raise ProviderStateError(
            error.action, error.state, f"{error.detail}, after {after}"
        ) from None
    changed = unprompted_fields(before, seen)
    if not changed:
        return
    failure = ctx.fail(
        f"after {after}, project Q's job {job_id} changed (read through the provider states): "
        f"{'; '.join(describe(before, seen, changed))}",
        cause,
    )
    if failure.replay is not None:
        failure.replay = _with_reads(failure.replay, other, changed)
    raise failure


def _with_reads(replay: Replay, other: str, changed: list[str]) -> Replay:
    """``replay`` with Q's job read before its requests and after, where the change showed."""
    keys = [state.key for state in replay.states if state.project_id == other]
    if len(keys) != 1:
        return replay
    return Replay(
        replay.states,
        (
            StateRead(keys[0], other),
            *replay.requests,
            StateRead(keys[0], other, tuple(changed)),
        ),
    )
