"""Single-fault servers that act on more, or other, than the one job a terminate addresses.

The second batch of the corpus: a terminate that reaches a job whose id only resembles the one
in the path (T6), one that also changes the addressed job's siblings (T3) or, refused, changes
them (T5), credentials that only
resemble valid ones let in (T8), and terminates of different jobs at the same moment not all
served (T9). Like the first batch, each is the real emulator behind an ASGI wrapper.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from contract_faults import _TOKENS, Exchange, Fault, resigned, with_headers
from contract_servers import TOKEN
from modelarts_contract.credentials import AkSkCredentials
from modelarts_training import signing

# --- T6: an id that resembles an existing job's reaches that job ---------------------------


def _job_segments(scope: dict[str, Any]) -> list[str] | None:
    """The raw path's segments when it addresses a job (``/v2/P/training-jobs/ID[/actions]``)."""
    raw = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    segments = raw.split("/")
    if len(segments) in (5, 6) and segments[1] == "v2" and segments[3] == "training-jobs":
        return segments
    return None


class _LooseIdMatch(Fault):
    """Looks a job up by a looser rule than equality: ``same(requested, known)``.

    ``segment`` is the path segment compared (4, the job id; 2, the project id) and ``known``
    the values it is compared with.
    """

    clause = "T6"
    segment = 4

    def same(self, requested: str, known: str) -> bool:
        raise NotImplementedError

    def known(self, segments: list[str]) -> list[str]:
        return self.jobs.get(segments[2], [])

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        segments = _job_segments(scope)
        if segments is None:
            return scope, body
        requested, known = unquote(segments[self.segment]), self.known(segments)
        match = next((value for value in known if self.same(requested, value)), None)
        if match is None or requested in known:
            return scope, body
        segments[self.segment] = quote(match, safe="")
        raw = "/".join(segments)
        return {**scope, "path": unquote(raw), "raw_path": raw.encode()}, body


class MatchesIdByPrefix(_LooseIdMatch):
    description = "a job id is looked up with LIKE 'id%': a prefix of an id reaches that job"

    def same(self, requested: str, known: str) -> bool:
        return known.startswith(requested)


class MatchesIdBySubstring(_LooseIdMatch):
    description = "a job id is looked up with LIKE '%id%': part of an id reaches that job"

    def same(self, requested: str, known: str) -> bool:
        return requested in known


class MatchesIdIgnoringCase(_LooseIdMatch):
    description = "job ids are compared case-insensitively"

    def same(self, requested: str, known: str) -> bool:
        return requested.lower() == known.lower()


class StripsIdWhitespace(_LooseIdMatch):
    description = "whitespace around a job id is stripped before the lookup"

    def same(self, requested: str, known: str) -> bool:
        return requested.strip() == known


class StripsIdTrailingSlash(_LooseIdMatch):
    description = "a trailing (encoded) slash on a job id is ignored"

    def same(self, requested: str, known: str) -> bool:
        return requested.rstrip("/") == known


class ReadsIdFromTheStart(_LooseIdMatch):
    description = "an id with characters added (suffix, file extension) reaches the job"

    def same(self, requested: str, known: str) -> bool:
        return requested.startswith(known)


class ParsesIdAsUuid(_LooseIdMatch):
    description = (
        "lower-case ids go through uuid.UUID(): no hyphens, braces, urn:uuid: reach the job"
    )

    def same(self, requested: str, known: str) -> bool:
        if requested != requested.lower():
            return False
        try:
            return str(uuid.UUID(requested)) == known
        except ValueError:
            return False


class ToleratesOneTypoInId(_LooseIdMatch):
    description = "an id one character off reaches the job (a fuzzy lookup)"

    def same(self, requested: str, known: str) -> bool:
        return len(requested) == len(known) and sum(a != b for a, b in zip(requested, known)) == 1


class _LooseProjectMatch(_LooseIdMatch):
    """Takes a project id in the path for a known project when ``same(requested, known)``."""

    segment = 2

    def known(self, segments: list[str]) -> list[str]:
        return list(_TOKENS)


class MatchesProjectIgnoringCase(_LooseProjectMatch):
    description = "project ids in the path are compared case-insensitively"

    def same(self, requested: str, known: str) -> bool:
        return requested.lower() == known.lower()


class MatchesProjectByPrefix(_LooseProjectMatch):
    description = "a project id that is the start of a known one is that project"

    def same(self, requested: str, known: str) -> bool:
        return bool(requested) and known.startswith(requested)


# --- T3: a terminate changes other jobs than the addressed one ----------------------------


class _TerminatesMore(Fault):
    """After a successful terminate, also terminates the jobs ``victims`` names."""

    clause = "T3"

    def victims(self, project: str, job: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if target and exchange.status == 202:
            for project, job in self.victims(*target):
                await self.terminate_inside(project, job)

    def _siblings(self, project: str, job: str) -> list[str]:
        return [other for other in self.jobs.get(project, []) if other != job]


class TerminatesWholeProject(_TerminatesMore):
    description = "a terminate terminates every terminable job of the project (no id in WHERE)"

    def victims(self, project: str, job: str) -> list[tuple[str, str]]:
        return [(project, other) for other in self._siblings(project, job)]


class TerminatesRunningJobsOfProject(_TerminatesMore):
    description = "a terminate of a Running job terminates every Running job of the project"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if target and exchange.status == 202:
            for other in self._siblings(*target):
                job = await self.stored(target[0], other)
                if job is not None and job["status"]["phase"] == "Running":
                    await self.terminate_inside(target[0], other)


class FlushesPendingQueue(_TerminatesMore):
    description = (
        "terminating a Pending job terminates every Pending job of the project (the queue)"
    )

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if not target or exchange.status != 202 or self.made_in.get(target[1]) != "Pending":
            return
        for other in self._siblings(*target):
            job = await self.stored(target[0], other)
            if job is not None and job["status"]["phase"] == "Pending":
                await self.terminate_inside(target[0], other)


class SweepsSiblingsWhenTerminated(_TerminatesMore):
    clause = "T4"
    description = "once a job reads Terminated, the project's other jobs are terminated too (late)"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.get_target()
        body = exchange.json() if target and exchange.status == 200 else None
        if target and isinstance(body, dict) and body["status"]["phase"] == "Terminated":
            for other in self._siblings(*target):
                await self.terminate_inside(target[0], other)


class TerminatesNextJob(_TerminatesMore):
    description = "a terminate also terminates the job created right after (off by one row)"

    def victims(self, project: str, job: str) -> list[tuple[str, str]]:
        known = self.jobs.get(project, [])
        at = known.index(job) if job in known else -1
        return [(project, known[at + 1])] if 0 <= at < len(known) - 1 else []


class TerminatesPreviousJob(_TerminatesMore):
    description = "a terminate also terminates the job created right before"

    def victims(self, project: str, job: str) -> list[tuple[str, str]]:
        known = self.jobs.get(project, [])
        at = known.index(job) if job in known else 0
        return [(project, known[at - 1])] if at > 0 else []


class TerminatesEveryProjectsJobs(_TerminatesMore):
    description = "a terminate terminates the jobs of every project"

    def victims(self, project: str, job: str) -> list[tuple[str, str]]:
        return [
            (owner, other)
            for owner, jobs in self.jobs.items()
            for other in jobs
            if other != job and owner in _TOKENS
        ]


class _RefusalTerminatesAnother(Fault):
    """Refuses a terminate with ``refused_status`` but terminates another job of the project."""

    clause = "T5"
    refused_status = 0

    async def after(self, exchange: Exchange) -> None:
        segments = _job_segments(exchange.scope)
        if not exchange.terminate_target() or exchange.status != self.refused_status:
            return
        assert segments is not None
        project, job = segments[2], unquote(segments[4])
        known = self.jobs.get(project, [])
        victim = self.victim(known, job)
        if victim is not None:
            await self.terminate_inside(project, victim)

    def victim(self, known: list[str], job: str) -> str | None:
        raise NotImplementedError


class ConflictTerminatesNewestJob(_RefusalTerminatesAnother):
    description = "a terminate refused with 409 terminates the project's newest job instead"
    refused_status = 409

    def victim(self, known: list[str], job: str) -> str | None:
        others = [other for other in known if other != job]
        return others[-1] if others else None


class UnauthorizedTerminatesPreviousJob(_RefusalTerminatesAnother):
    description = (
        "a terminate refused with 401 still terminates the job made before the addressed one"
    )
    refused_status = 401

    def victim(self, known: list[str], job: str) -> str | None:
        at = known.index(job) if job in known else 0
        return known[at - 1] if at > 0 else None


# --- T8: credentials that resemble valid ones are let in ----------------------------------


class _LooseToken(Fault):
    """Takes a token for a known one when ``same(given, known)``."""

    clause = "T8"

    def same(self, given: str, known: str) -> bool:
        raise NotImplementedError

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        raw = dict(scope["headers"]).get(b"x-auth-token")
        given = raw.decode("latin-1") if raw is not None else None
        if given is None or given in _TOKENS.values():
            return scope, body
        for known in _TOKENS.values():
            if self.same(given, known):
                return with_headers(scope, {b"x-auth-token": known.encode()}), body
        return scope, body


class TokenComparedUpToItsLength(_LooseToken):
    description = "a token that is the start of a valid one is accepted (compares len(given))"

    def same(self, given: str, known: str) -> bool:
        return bool(given) and known.startswith(given)


class TokenLastCharIgnored(_LooseToken):
    description = "tokens are compared without their last character"

    def same(self, given: str, known: str) -> bool:
        return len(given) == len(known) and given[:-1] == known[:-1]


class TokenWithTrailingExtraAccepted(_LooseToken):
    description = "a valid token with characters appended is accepted"

    def same(self, given: str, known: str) -> bool:
        return given.startswith(known)


class TokenCaseInsensitive(_LooseToken):
    description = "tokens are compared case-insensitively"

    def same(self, given: str, known: str) -> bool:
        return given.lower() == known.lower()


class TokenSpacesIgnored(_LooseToken):
    description = "spaces inside a token are removed before the comparison"

    def same(self, given: str, known: str) -> bool:
        return given.replace(" ", "") == known


class TokenStripped(_LooseToken):
    description = "tokens are str.strip()ped (which takes a no-break space too) before the lookup"

    def same(self, given: str, known: str) -> bool:
        return given.strip() == known


class EmptyTokenAccepted(_LooseToken):
    description = "an empty X-Auth-Token header counts as the default project's token"

    def same(self, given: str, known: str) -> bool:
        return given == "" and known == TOKEN


class _LooseSignature(Fault):
    """Lets some AK/SK requests with a signature that does not verify in, re-signed."""

    clause = "T8"
    credentials = AkSkCredentials("AK1", "SK1")

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        raise NotImplementedError

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        authorization = dict(scope["headers"]).get(b"authorization")
        if authorization is None or not _job_segments(scope):
            return scope, body
        value = authorization.decode("latin-1")
        if _verifies(scope, body, value):
            return scope, body
        try:
            lets_in = self.lets_in(scope, body, value)
        except signing.SignatureError:
            lets_in = False
        return (resigned(scope, body), body) if lets_in else (scope, body)


def _verifies(scope: dict[str, Any], body: bytes, authorization: str) -> bool:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    try:
        header = signing.parse_authorization(authorization)
        if header.access_key != "AK1":
            return False
        signing.verify(
            secret_key="SK1",
            header=header,
            method=scope["method"],
            path=scope["raw_path"].decode("latin-1"),
            query=_query(scope),
            headers=headers,
            body=body,
        )
    except signing.SignatureError:
        return False
    return True


def _query(scope: dict[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


class _RemembersSignatures(_LooseSignature):
    """Caches the signatures it verified, under ``key``, and lets a cached one in unverified."""

    def __init__(self, emulator: Any) -> None:
        super().__init__(emulator)
        self.verified: set[tuple[Any, ...]] = set()

    def key(self, scope: dict[str, Any], body: bytes, authorization: str) -> tuple[Any, ...]:
        raise NotImplementedError

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return self.key(scope, body, authorization) in self.verified

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        authorization = dict(scope["headers"]).get(b"authorization")
        if authorization is not None and _verifies(scope, body, authorization.decode("latin-1")):
            self.verified.add(self.key(scope, body, authorization.decode("latin-1")))
        return super().before(scope, body)


class CachesSignatures(_RemembersSignatures):
    description = "a signature verified once is accepted again on any request (a cache by value)"

    def key(self, scope: dict[str, Any], body: bytes, authorization: str) -> tuple[Any, ...]:
        return (authorization,)


class CachesSignaturesPerPath(_RemembersSignatures):
    description = "verified signatures are cached per method and path: the body is not re-checked"

    def key(self, scope: dict[str, Any], body: bytes, authorization: str) -> tuple[Any, ...]:
        return (authorization, scope["method"], scope["raw_path"])


class CachesSignaturesPerBody(_RemembersSignatures):
    description = "verified signatures are cached per body: the path is not re-checked"

    def key(self, scope: dict[str, Any], body: bytes, authorization: str) -> tuple[Any, ...]:
        return (authorization, scope["method"], body)


class SignatureComparedByPrefix(_LooseSignature):
    description = "only the first 16 hex digits of a signature are compared"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        header = signing.parse_authorization(authorization)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        canonical = signing.canonical_request(
            scope["method"],
            scope["raw_path"].decode("latin-1"),
            _query(scope),
            headers,
            header.signed_headers,
            body,
        )
        to_sign = signing.string_to_sign(canonical, headers.get("x-sdk-date", ""))
        fresh = _is_fresh(headers.get("x-sdk-date", ""))
        return fresh and header.signature[:16] == signing.signature("SK1", to_sign)[:16]


def _is_fresh(sdk_date: str) -> bool:
    try:
        signed_at = datetime.strptime(sdk_date, signing.DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return False
    return abs(datetime.now(UTC) - signed_at) <= signing.MAX_CLOCK_SKEW


class AccessKeyCaseInsensitive(_LooseSignature):
    description = "access keys are looked up case-insensitively"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        header = signing.parse_authorization(authorization)
        return header.access_key != "AK1" and header.access_key.upper() == "AK1"


class SignatureIgnoresQuery(_LooseSignature):
    description = "the query string is left out of the signed request"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return bool(scope.get("query_string")) and _verifies(
            {**scope, "query_string": b""}, body, authorization
        )


class SignatureFallsBackToEmptyBody(_LooseSignature):
    description = "a signature that fails is tried again over an empty body (body read too late)"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return _verifies(scope, b"", authorization)


class SignatureFallsBackToRootPath(_LooseSignature):
    description = "a signature that fails is tried again over the path / (a proxy's view)"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return _verifies({**scope, "raw_path": b"/"}, body, authorization)


class EmptyAuthorizationAccepted(_LooseSignature):
    description = "an empty Authorization header counts as the default access key"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return authorization == ""


# --- T9: terminates of different jobs at the same moment are not all served --------------


class _ConcurrencyFault(Fault):
    """Terminates of one job queue behind each other (so the same-job race is served); a
    terminate that overlaps more than ``tolerated`` other jobs' is answered ``status`` with
    ``error`` and ``headers`` (or as ``overlapping`` decides)."""

    clause = "T9"
    #: Seconds a terminate holds its job, so that terminates of different jobs overlap.
    work_seconds = 0.02
    tolerated = 0
    status = 500
    error = ("ModelArts.2950", "Unknown error.")
    headers: tuple[tuple[bytes, bytes], ...] = ()

    def __init__(self, emulator: Any) -> None:
        super().__init__(emulator)
        self.job_locks: dict[str, asyncio.Lock] = {}
        self.in_flight: set[str] = set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        segments = _job_segments(scope) if scope["type"] == "http" else None
        if segments is None or len(segments) != 6 or scope["method"] != "POST":
            await super().__call__(scope, receive, send)
            return
        job = segments[4]
        async with self.job_locks.setdefault(job, asyncio.Lock()):
            others = self.in_flight - {job}
            self.in_flight.add(job)
            try:
                await asyncio.sleep(self.work_seconds)
                if len(others) > self.tolerated and await self.overlapping(scope, receive, send):
                    return
                await super().__call__(scope, receive, send)
            finally:
                self.in_flight.discard(job)

    async def overlapping(self, scope: dict[str, Any], receive: Any, send: Any) -> bool:
        """Answer a terminate that overlaps other jobs'; ``False`` to serve it normally."""
        await receive()
        code, message = self.error
        await _answer(send, self.status, {"error_code": code, "error_msg": message}, self.headers)
        return True


async def _answer(
    send: Any, status: int, body: Any, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": raw})


class DifferentJobsCollide(_ConcurrencyFault):
    description = "a terminate that overlaps another job's fails with 500 (database is locked)"


class BusyWhileTerminating(_ConcurrencyFault):
    description = "terminates are serialised: another job's terminate meanwhile gets 503 (busy)"
    status = 503
    error = ("ModelArts.0503", "Service busy.")


class WorkerPoolExhausted(_ConcurrencyFault):
    description = "more than 8 terminates of different jobs at once: the extra ones get 502"
    tolerated = 8
    status = 502
    error = ("APIG.0502", "Bad gateway.")


class LosesOverlappingTerminates(_ConcurrencyFault):
    description = "a terminate that overlaps another job's answers 202 but is lost"

    async def overlapping(self, scope: dict[str, Any], receive: Any, send: Any) -> bool:
        segments = _job_segments(scope)
        assert segments is not None
        job = await self.stored(segments[2], segments[4])
        if job is None or job["status"]["phase"] != "Running":
            return False
        await receive()
        job["status"].update(phase="Terminating", secondary_phase="Terminating")
        await _answer(send, 202, job)
        return True


_THROTTLED = ("APIG.0308", "The request is throttled.")


class RateLimitsWithRetryAfter(_ConcurrencyFault):
    """Not a fault: a documented 429 with Retry-After, which the suite must honour."""

    description = "more than 4 terminates of different jobs at once: 429 with Retry-After: 1"
    tolerated, status, error, headers = 4, 429, _THROTTLED, ((b"retry-after", b"1"),)


class RateLimitsWithoutRetryAfter(_ConcurrencyFault):
    """Not a fault either: 429 without Retry-After ("when present", says the spec)."""

    description = "more than 4 terminates of different jobs at once: 429 without Retry-After"
    tolerated, status, error = 4, 429, _THROTTLED


ONE_JOB_FAULTS: tuple[type[Fault], ...] = (
    MatchesIdByPrefix,
    MatchesIdBySubstring,
    MatchesIdIgnoringCase,
    StripsIdWhitespace,
    StripsIdTrailingSlash,
    ReadsIdFromTheStart,
    ToleratesOneTypoInId,
    ParsesIdAsUuid,
    MatchesProjectIgnoringCase,
    MatchesProjectByPrefix,
    TerminatesWholeProject,
    TerminatesRunningJobsOfProject,
    FlushesPendingQueue,
    SweepsSiblingsWhenTerminated,
    TerminatesNextJob,
    TerminatesPreviousJob,
    TerminatesEveryProjectsJobs,
    ConflictTerminatesNewestJob,
    UnauthorizedTerminatesPreviousJob,
    TokenComparedUpToItsLength,
    TokenLastCharIgnored,
    TokenWithTrailingExtraAccepted,
    TokenCaseInsensitive,
    TokenSpacesIgnored,
    TokenStripped,
    EmptyTokenAccepted,
    CachesSignatures,
    CachesSignaturesPerPath,
    CachesSignaturesPerBody,
    SignatureComparedByPrefix,
    AccessKeyCaseInsensitive,
    SignatureIgnoresQuery,
    SignatureFallsBackToEmptyBody,
    SignatureFallsBackToRootPath,
    EmptyAuthorizationAccepted,
    DifferentJobsCollide,
    BusyWhileTerminating,
    WorkerPoolExhausted,
    LosesOverlappingTerminates,
)

#: Servers that differ from the emulator in ways the contract allows: the suite must pass them.
ALLOWED_VARIANTS: tuple[type[Fault], ...] = (RateLimitsWithRetryAfter, RateLimitsWithoutRetryAfter)
