"""Single-fault servers: the emulator wrapped so that exactly one promise of the contract breaks.

Each fault is an ASGI app around a real emulator app; ``clause`` names the clause the suite must
report failed against it.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from contract_servers import OTHER_PROJECT, OTHER_TOKEN, PROJECT, STATES_PATH, TOKEN
from modelarts_contract.credentials import AkSkCredentials, Credentials, TokenCredentials
from modelarts_contract.emulator import EmulatorApp
from modelarts_training import signing

_ACTIONS = re.compile(r"^/v2/(?P<project>[^/]+)/training-jobs/(?P<job>[^/]+)/actions$")
_JOB = re.compile(r"^/v2/(?P<project>[^/]+)/training-jobs/(?P<job>[^/]+)$")


@dataclass
class Exchange:
    """The request a fault sees and the answer the emulator gave (which the fault may change)."""

    scope: dict[str, Any]
    body: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    answer: bytes

    @property
    def path(self) -> str:
        return str(self.scope["path"])

    @property
    def method(self) -> str:
        return str(self.scope["method"])

    def json(self) -> Any:
        try:
            return json.loads(self.answer)
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        self.answer = json.dumps(value).encode()
        self.headers = [(k, v) for k, v in self.headers if k != b"content-length"]
        self.headers.append((b"content-length", str(len(self.answer)).encode()))

    def terminate_target(self) -> tuple[str, str] | None:
        found = _ACTIONS.match(self.path)
        return (found["project"], found["job"]) if found and self.method == "POST" else None

    def get_target(self) -> tuple[str, str] | None:
        found = _JOB.match(self.path)
        return (found["project"], found["job"]) if found and self.method == "GET" else None


async def read_body(receive: Any) -> bytes:
    """The whole body of the request an ASGI ``receive`` gives."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def call(
    app: Any, scope: dict[str, Any], body: bytes
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Send one request to ``app`` and collect its whole answer."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    answer: dict[str, Any] = {"headers": [], "body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]


def resigned(scope: dict[str, Any], body: bytes, **changes: Any) -> dict[str, Any]:
    """``scope`` signed afresh with AK1/SK1 (the headers it signed, now dated), as a broken
    server that decided to let the request in hands it to the emulator. ``changes`` replace
    scope entries (``query_string``, ``raw_path``) before signing."""
    scope = {**scope, **changes}
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    headers[signing.DATE_HEADER.lower()] = signing.format_date(datetime.now(UTC))
    header = signing.parse_authorization(headers.get("authorization", "") or _EMPTY_SIGNATURE)
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    signed = {name: headers.get(name, "") for name in header.signed_headers}
    signed[signing.DATE_HEADER.lower()] = headers[signing.DATE_HEADER.lower()]
    headers["authorization"] = signing.sign(
        access_key="AK1",
        secret_key="SK1",
        method=scope["method"],
        path=scope["raw_path"].decode("latin-1").split("?", 1)[0],
        query=query,
        headers={name: headers[name] for name in signed if name in headers},
        body=body,
    ).render()
    return {
        **scope,
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
    }


_EMPTY_SIGNATURE = "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=0"


def with_headers(scope: dict[str, Any], replace: dict[bytes, bytes]) -> dict[str, Any]:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in replace]
    return {**scope, "headers": headers + list(replace.items())}


class Fault:
    """Passes every request to the emulator, and lets a subclass change the request or answer."""

    clause = ""
    description = ""
    #: How the suite authenticates against this server.
    credentials: Credentials = TokenCredentials(TOKEN)

    def __init__(self, emulator: EmulatorApp) -> None:
        self.emulator = emulator
        #: The jobs provider states made, by project, oldest first (what a broken server mixes up).
        self.jobs: dict[str, list[str]] = {}
        #: The phase each of them was made in.
        self.made_in: dict[str, str] = {}

    def _track_jobs(self, exchange: Exchange) -> None:
        if exchange.path != STATES_PATH or exchange.status >= 300:
            return
        request = json.loads(exchange.body)
        params = request.get("params", {})
        project = params.get("project_id")
        if request.get("action") == "setup":
            job_id = exchange.json()["training_job_id"]
            self.jobs.setdefault(project, []).append(job_id)
            self.made_in[job_id] = params.get("phase")
        elif request.get("action") == "teardown" and params.get("training_job_id") in self.jobs.get(
            project, []
        ):
            self.jobs[project].remove(params["training_job_id"])

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        scope, body = self.before(scope, body)
        status, headers, answer = await call(self.emulator, scope, body)
        exchange = Exchange(scope, body, status, headers, answer)
        self._track_jobs(exchange)
        await self.after(exchange)
        await send(
            {"type": "http.response.start", "status": exchange.status, "headers": exchange.headers}
        )
        await send({"type": "http.response.body", "body": exchange.answer})

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        return scope, body

    async def after(self, exchange: Exchange) -> None:
        return None

    async def stored(self, project: str, job: str) -> dict[str, Any] | None:
        """The job as the emulator shows it, read through its own API (not its storage)."""
        if project not in _TOKENS:
            return None
        status, _, answer = await call(self.emulator, _scope("GET", project, job), b"")
        return json.loads(answer) if status == 200 else None

    async def terminate_inside(self, project: str, job: str) -> None:
        """Terminate the job through the emulator's own API."""
        if project not in _TOKENS:
            return
        await call(self.emulator, _scope("POST", project, job), b'{"action_type": "terminate"}')


_TOKENS = {PROJECT: TOKEN, OTHER_PROJECT: OTHER_TOKEN}


def _scope(method: str, project: str, job: str) -> dict[str, Any]:
    path = f"/v2/{project}/training-jobs/{job}" + ("/actions" if method == "POST" else "")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"x-auth-token", _TOKENS[project].encode()),
            (b"content-type", b"application/json"),
        ],
    }


class TerminatesCompletedJob(Fault):
    clause, description = "T2", "terminating a Completed job answers 202"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        job = await self.stored(*target) if target and exchange.status == 409 else None
        if job is not None and job["status"]["phase"] == "Completed":
            job["status"].update(phase="Terminating", secondary_phase="Terminating")
            exchange.status = 202
            exchange.set_json(job)


class WrongConflictCode(Fault):
    clause, description = "T2", "a refused terminate carries ModelArts.2797 instead of 2796"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 409:
            exchange.set_json({**exchange.json(), "error_code": "ModelArts.2797"})


class AnswersAnotherJob(Fault):
    clause, description = "T3", "the 202 body has another job's id"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 202:
            job = exchange.json()
            job["metadata"]["id"] = str(uuid.uuid4())
            exchange.set_json(job)


class RenamesJob(Fault):
    clause, description = "T3", "the 202 body changes the job's name"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 202:
            job = exchange.json()
            job["metadata"]["name"] = "renamed-on-terminate"
            exchange.set_json(job)


class SecondaryPhaseLeftRunning(Fault):
    clause, description = "T3", "the 202 body keeps secondary_phase Running"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 202:
            job = exchange.json()
            job["status"]["secondary_phase"] = "Running"
            exchange.set_json(job)


class AcceptsWithoutTerminating(Fault):
    clause, description = "T4", "answers 202 but never changes the job"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        found = _ACTIONS.match(scope.get("path", "")) if scope["type"] == "http" else None
        if found and scope["method"] == "POST":
            job = await self.stored(found["project"], found["job"])
            if job is not None and job["status"]["phase"] == "Running":
                job["status"].update(phase="Terminating", secondary_phase="Terminating")
                answer = json.dumps(job).encode()
                await receive()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 202,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": answer})
                return
        await super().__call__(scope, receive, send)


class TerminatingAcceptedAgain(Fault):
    clause, description = "T4", "a job already Terminating is answered 202 again"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        job = await self.stored(*target) if target and exchange.status == 409 else None
        if job is not None and job["status"]["phase"] == "Terminating":
            exchange.status = 202
            exchange.set_json(job)


class _RewritesTerminatedReads(Fault):
    """A GET of a Terminated job shows ``shown_as`` instead."""

    shown_as = ""

    async def after(self, exchange: Exchange) -> None:
        job = exchange.json()
        if (
            exchange.get_target()
            and exchange.status == 200
            and job["status"]["phase"] == "Terminated"
        ):
            job["status"].update(phase=self.shown_as, secondary_phase=self.shown_as)
            exchange.set_json(job)


class TerminatedGoesBackToRunning(_RewritesTerminatedReads):
    clause, description = "T4", "a Terminated job reads as Running again"
    shown_as = "Running"


class NeverTerminated(_RewritesTerminatedReads):
    clause, description = "T4", "a job stays Terminating for ever"
    shown_as = "Terminating"


class RefusedRequestStillTerminates(Fault):
    clause, description = "T5", "a terminate refused with 400 still terminates the job"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if (
            target
            and exchange.status == 400
            and exchange.json().get("error_code") == "ModelArts.2812"
        ):
            await self.terminate_inside(*target)


class UnknownJobAccepted(Fault):
    clause, description = "T6", "an unknown job is answered 202"

    async def after(self, exchange: Exchange) -> None:
        if exchange.terminate_target() and exchange.json().get("error_code") == "ModelArts.2775":
            exchange.status = 202
            exchange.set_json(
                {
                    "metadata": {"id": exchange.terminate_target()[1]},
                    "status": {"phase": "Terminating"},
                }
            )


class UnknownJobWrongCode(Fault):
    clause, description = "T6", "an unknown job is answered 400 ModelArts.2788"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if isinstance(body, dict) and body.get("error_code") == "ModelArts.2775":
            exchange.set_json({**body, "error_code": "ModelArts.2788"})


class UnknownJobBareNotFound(Fault):
    clause, description = "T10", "an unknown job is answered 404 without a body"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if isinstance(body, dict) and body.get("error_code") == "ModelArts.2775":
            exchange.status = 404
            exchange.headers = [
                (k, v) for k, v in exchange.headers if k not in (b"content-type", b"content-length")
            ]
            exchange.answer = b""


class MalformedJsonCrashes(Fault):
    clause, description = "T7", "malformed JSON is answered 500"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if isinstance(body, dict) and body.get("error_code") == "ModelArts.2787":
            exchange.status = 500
            exchange.set_json({"error_code": "ModelArts.2950", "error_msg": "Unknown error."})


class MissingActionTypeAccepted(Fault):
    clause, description = "T7", "a body without action_type terminates the job"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        try:
            payload = json.loads(body)
        except ValueError:
            return scope, body
        if payload == {}:
            return scope, b'{"action_type": "terminate"}'
        return scope, body


class ActionTypeCaseInsensitive(Fault):
    clause, description = "T7", "action_type 'Terminate' is accepted"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        return scope, body.replace(b'"Terminate"', b'"terminate"')


class IgnoresCredentials(Fault):
    clause, description = "T8", "any request is let in as project proj-1"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if scope["path"] == STATES_PATH:
            return scope, body  # the broken part is the API; provider states still check
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
        return with_headers({**scope, "headers": headers}, {b"x-auth-token": TOKEN.encode()}), body


class AcceptsStaleSignatures(Fault):
    clause, description = "T8", "an AK/SK signature dated an hour ago is accepted (replay)"
    #: The suite signs with these, so the forged stale signature reaches this fault.
    credentials = AkSkCredentials("AK1", "SK1")

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        date = headers.get(signing.DATE_HEADER.lower())
        if date is None or "authorization" not in headers:
            return scope, body
        signed_at = datetime.strptime(date, signing.DATE_FORMAT).replace(tzinfo=UTC)
        if abs(datetime.now(UTC) - signed_at) <= signing.MAX_CLOCK_SKEW:
            return scope, body
        # The broken server skips the date check: it re-signs the request as if it were fresh.
        return resigned(scope, body), body


class CrossProjectWrites(Fault):
    clause, description = "T8", "proj-1's token may terminate proj-2's jobs"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        found = _ACTIONS.match(scope["path"]) or _JOB.match(scope["path"])
        tokens = dict(scope["headers"])
        if found and found["project"] == "proj-2" and tokens.get(b"x-auth-token") == TOKEN.encode():
            return with_headers(scope, {b"x-auth-token": OTHER_TOKEN.encode()}), body
        return scope, body


class CheckThenActRace(Fault):
    clause, description = "T9", "concurrent terminates are all accepted (check, then act)"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        found = _ACTIONS.match(scope.get("path", "")) if scope["type"] == "http" else None
        if found and scope["method"] == "POST":
            job = await self.stored(found["project"], found["job"])
            seen = job["status"]["phase"] if job else None
            # The window between reading the phase and writing the new one.
            await asyncio.sleep(0.05)
            if seen == "Running":
                await receive()
                # The fault: the phase read above decides, whatever the store says now.
                await self.terminate_inside(found["project"], found["job"])
                job = await self.stored(found["project"], found["job"])
                await send(
                    {
                        "type": "http.response.start",
                        "status": 202,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": json.dumps(job).encode()})
                return
        await super().__call__(scope, receive, send)


class ErrorsWithoutCode(Fault):
    clause, description = "T10", "error bodies are {'message': …}"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if exchange.status >= 400 and isinstance(body, dict):
            exchange.set_json({"message": body.get("error_msg")})


class HtmlNotFoundPage(Fault):
    clause, description = "T10", "unknown paths get an HTML 404 page"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 404:
            exchange.answer = b"<html><body><h1>404 Not Found</h1></body></html>"
            exchange.headers = [
                (b"content-type", b"text/html"),
                (b"content-length", str(len(exchange.answer)).encode()),
            ]


class PlainTextContentType(Fault):
    clause, description = "T1", "every answer says text/plain"

    async def after(self, exchange: Exchange) -> None:
        exchange.headers = [(k, v) for k, v in exchange.headers if k != b"content-type"]
        exchange.headers.append((b"content-type", b"text/plain"))


class CreateTimeAsString(Fault):
    clause, description = "T1", "the 202 body's metadata.create_time is a string"

    async def after(self, exchange: Exchange) -> None:
        if exchange.status == 202:
            job = exchange.json()
            job["metadata"]["create_time"] = str(job["metadata"]["create_time"])
            exchange.set_json(job)


class HangsOnTerminate(Fault):
    clause, description = "T2", "a terminate of an existing job never answers"

    async def after(self, exchange: Exchange) -> None:
        if exchange.terminate_target() and exchange.status in (202, 409):
            await asyncio.sleep(5)


FAULTS: tuple[type[Fault], ...] = (
    TerminatesCompletedJob,
    WrongConflictCode,
    AnswersAnotherJob,
    RenamesJob,
    SecondaryPhaseLeftRunning,
    AcceptsWithoutTerminating,
    TerminatingAcceptedAgain,
    TerminatedGoesBackToRunning,
    NeverTerminated,
    RefusedRequestStillTerminates,
    UnknownJobAccepted,
    UnknownJobWrongCode,
    UnknownJobBareNotFound,
    MalformedJsonCrashes,
    MissingActionTypeAccepted,
    ActionTypeCaseInsensitive,
    IgnoresCredentials,
    AcceptsStaleSignatures,
    CrossProjectWrites,
    CheckThenActRace,
    ErrorsWithoutCode,
    HtmlNotFoundPage,
    PlainTextContentType,
    CreateTimeAsString,
    HangsOnTerminate,
)
