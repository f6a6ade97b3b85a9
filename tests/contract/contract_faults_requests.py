"""Single-fault servers that read a request unlike real clients and the spec write it, or that
change a stored job where no answer shows it.

The third batch of the corpus: a terminate refused because of how it is spelt (T11), a body
that is not JSON read as if it were (T7), a terminate or a refusal that changes more of the
stored job than the spec lets it (T2, T3, T4, T7), and a job found through a project that is not
its own (T8). Like the others, each is the real emulator behind an ASGI wrapper.
"""

from __future__ import annotations

import json
import re
from typing import Any

from contract_faults import _ACTIONS, _JOB, _TOKENS, Exchange, Fault, with_headers
from modelarts_contract.credentials import AkSkCredentials
from modelarts_training import signing

_TERMINATE = b'{"action_type": "terminate"}'


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    value = dict(scope["headers"]).get(name)
    return value.decode("latin-1") if value is not None else None


def _with_body(scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
    """``body`` in place of the request's, with its length declared."""
    return with_headers(scope, {b"content-length": str(len(body)).encode()}), body


def _is_terminate(scope: dict[str, Any]) -> bool:
    return scope["method"] == "POST" and _ACTIONS.match(scope["path"]) is not None


# --- T11: a terminate refused for how it is spelt --------------------------------------------


class _RefusesSpelling(Fault):
    """Refuses (400, nothing done) a terminate whose content type or body ``refuses`` names."""

    clause = "T11"

    def refuses(self, content_type: str, body: bytes) -> bool:
        raise NotImplementedError

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if _is_terminate(scope) and self.refuses(_header(scope, b"content-type") or "", body):
            # A content type the emulator refuses: 400 ModelArts.2787, the job untouched.
            return with_headers(scope, {b"content-type": b"text/plain"}), body
        return scope, body


class RefusesCharsetParameter(_RefusesSpelling):
    description = "a Content-Type with parameters (the SDK's ;charset=utf-8) is refused"

    def refuses(self, content_type: str, body: bytes) -> bool:
        return ";" in content_type


class MediaTypeCaseSensitive(_RefusesSpelling):
    description = "the media type is compared case-sensitively: Application/JSON is refused"

    def refuses(self, content_type: str, body: bytes) -> bool:
        return content_type.split(";", 1)[0].strip() != "application/json"


class RefusesQuotedCharset(_RefusesSpelling):
    description = 'charset is read without unquoting: charset="utf-8" is refused'

    def refuses(self, content_type: str, body: bytes) -> bool:
        found = re.search(r"charset=([^;]*)", content_type, re.IGNORECASE)
        return found is not None and found[1].strip().lower() != "utf-8"


class RefusesUnknownMembers(_RefusesSpelling):
    description = "a body with a member besides action_type is refused (additionalProperties)"

    def refuses(self, content_type: str, body: bytes) -> bool:
        try:
            value = json.loads(body)
        except ValueError:
            return False
        return isinstance(value, dict) and set(value) - {"action_type"} != set()


class ReadsBodyWithRegex(_RefusesSpelling):
    description = "the body is matched by a regular expression, not parsed: escapes, order differ"

    def refuses(self, content_type: str, body: bytes) -> bool:
        try:
            json.loads(body)
        except ValueError:
            return False
        return (
            re.fullmatch(rb'\{\s*"action_type"\s*:\s*"terminate"\s*[,}].*', body, re.DOTALL) is None
        )


class BodyIdOverridesPath(Fault):
    clause = "T11"
    description = "a training_job_id member in the body is the job terminated, not the path's"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        try:
            named = json.loads(body).get("training_job_id") if _is_terminate(scope) else None
        except (ValueError, AttributeError):
            named = None
        if not isinstance(named, str):
            return scope, body
        found = _ACTIONS.match(scope["path"])
        assert found is not None
        path = f"/v2/{found['project']}/training-jobs/{named}/actions"
        return {**scope, "path": path, "raw_path": path.encode()}, body


class RequiresSignedContentLength(Fault):
    clause = "T11"
    description = "the AK/SK verifier requires content-length among the signed headers"
    credentials = AkSkCredentials("AK1", "SK1")

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        authorization = _header(scope, b"authorization")
        if not authorization or not _is_terminate(scope):
            return scope, body
        try:
            header = signing.parse_authorization(authorization)
        except signing.SignatureError:
            return scope, body
        if "content-length" in header.signed_headers:
            return scope, body
        forged = authorization.replace(header.signature, "0" * len(header.signature))
        return with_headers(scope, {b"authorization": forged.encode("latin-1")}), body


class AcceptsByteOrderMark(Fault):
    """Not a fault: RFC 8259 lets a parser ignore a UTF-8 byte order mark (the emulator refuses it)."""

    clause = "T11"
    description = "a UTF-8 byte order mark before the body is skipped"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if _is_terminate(scope):
            return _with_body(scope, body.removeprefix(b"\xef\xbb\xbf"))
        return scope, body


# --- T7: a body that is not JSON read as if it were ------------------------------------------


class _LenientParser(Fault):
    """Reads terminate bodies with ``parse``; what it makes of one the emulator is given as JSON."""

    clause = "T7"

    def parse(self, body: bytes) -> Any:
        raise NotImplementedError

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if not _is_terminate(scope):
            return scope, body
        try:
            value = self.parse(body)
        except (ValueError, RecursionError):
            return scope, body
        if not isinstance(value, dict):
            return scope, body
        return _with_body(scope, json.dumps({"action_type": value.get("action_type")}).encode())


class AcceptsNaN(_LenientParser):
    description = "NaN and Infinity are read as numbers (Python's json.loads by default)"

    def parse(self, body: bytes) -> Any:
        return json.loads(body.decode("utf-8"))


class AcceptsTrailingData(_LenientParser):
    description = "the first JSON value is read and whatever follows it is ignored"

    def parse(self, body: bytes) -> Any:
        return json.JSONDecoder().raw_decode(body.decode("utf-8").lstrip())[0]


class GuessesUtf16(_LenientParser):
    description = "UTF-16 and UTF-32 bodies are decoded (json.loads of bytes guesses them)"

    def parse(self, body: bytes) -> Any:
        return json.loads(body, parse_constant=_refuse_constant)


class ReplacesBadUtf8(_LenientParser):
    description = "bytes that are not UTF-8 are replaced by U+FFFD instead of refused"

    def parse(self, body: bytes) -> Any:
        return json.loads(body.decode("utf-8", errors="replace"), parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


class DecodesJsonTwice(_LenientParser):
    description = "a body that is a JSON string is decoded again (a double-encoded object)"

    def parse(self, body: bytes) -> Any:
        value = json.loads(body)
        return json.loads(value) if isinstance(value, str) else value


class TakesFirstOfArray(_LenientParser):
    description = "a body that is an array is read as its first item"

    def parse(self, body: bytes) -> Any:
        value = json.loads(body)
        return value[0] if isinstance(value, list) and value else value


class TrimsNulFromActionType(_LenientParser):
    description = "action_type is read as a C string: what follows a NUL is ignored"

    def parse(self, body: bytes) -> Any:
        value = json.loads(body)
        action = value.get("action_type") if isinstance(value, dict) else None
        if isinstance(action, str):
            value["action_type"] = action.split("\0", 1)[0]
        return value


class ActionTypeFromQueryString(Fault):
    clause = "T7"
    description = "action_type missing from the body is taken from the query string"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        query = scope.get("query_string", b"")
        if _is_terminate(scope) and b"action_type=terminate" in query and body.strip() == b"{}":
            return _with_body(scope, _TERMINATE)
        return scope, body


class PostOfJobPathTerminates(Fault):
    clause = "T7"
    description = "POST of the job's own path (without /actions) terminates it"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if scope["method"] == "POST" and _JOB.match(scope["path"]):
            path = scope["path"] + "/actions"
            return {**scope, "path": path, "raw_path": path.encode()}, body
        return scope, body


class AnyMethodTerminates(Fault):
    clause = "T7"
    description = "PUT, PATCH and DELETE of …/actions terminate like POST"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        if scope["method"] in ("PUT", "PATCH", "DELETE") and _ACTIONS.match(scope["path"]):
            return {**scope, "method": "POST"}, body
        return scope, body


# --- T2, T3, T4, T7: a stored job changed where the spec does not let it change ---------------


class _ChangesStoredJob(Fault):
    """Keeps, per job, fields it changed (``changes``), and shows them in every GET of the job
    (and in the 202 body when ``in_body``), as a server that writes them would."""

    in_body = False

    def __init__(self, emulator: Any) -> None:
        super().__init__(emulator)
        self.changed: dict[str, dict[tuple[str, ...], Any]] = {}

    def changes(self, exchange: Exchange) -> dict[tuple[str, ...], Any]:
        """The fields (paths) this exchange writes, and their new values."""
        raise NotImplementedError

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target() or exchange.get_target()
        if target is None:
            return
        job = target[1]
        written = self.changes(exchange) if exchange.terminate_target() else {}
        self.changed.setdefault(job, {}).update(written)
        shown = exchange.get_target() is not None or (self.in_body and exchange.status == 202)
        body = exchange.json()
        if shown and self.changed.get(job) and isinstance(body, dict) and "metadata" in body:
            for path, value in self.changed[job].items():
                _put(body, path, value)
            exchange.set_json(body)


def _put(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        document = document.setdefault(key, {})
    document[path[-1]] = value


class TerminateResetsStartTime(_ChangesStoredJob):
    clause, description = "T3", "a terminate resets status.start_time to 0 (body and store)"
    in_body = True

    def changes(self, exchange: Exchange) -> dict[tuple[str, ...], Any]:
        return {("status", "start_time"): 0} if exchange.status == 202 else {}


class TerminateRewritesStoredDescription(_ChangesStoredJob):
    clause = "T3"
    description = "a terminate writes metadata.description in the store; the 202 body hides it"

    def changes(self, exchange: Exchange) -> dict[tuple[str, ...], Any]:
        return {("metadata", "description"): "terminated"} if exchange.status == 202 else {}


class ConflictStampsAnnotation(_ChangesStoredJob):
    clause = "T2"
    description = "a terminate refused with 409 stamps metadata.annotations on the job"

    def changes(self, exchange: Exchange) -> dict[tuple[str, ...], Any]:
        stamp = {"last_refused_action": "terminate"}
        return {("metadata", "annotations"): stamp} if exchange.status == 409 else {}


class BadRequestClearsTasks(_ChangesStoredJob):
    clause, description = "T7", "a terminate refused with 400 clears the job's status.tasks"

    def changes(self, exchange: Exchange) -> dict[tuple[str, ...], Any]:
        return {("status", "tasks"): []} if exchange.status == 400 else {}


class TerminatedJobLosesAlgorithm(Fault):
    clause, description = "T4", "once Terminated, a job reads without its algorithm.engine"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if (
            exchange.get_target()
            and exchange.status == 200
            and body["status"]["phase"] == "Terminated"
        ):
            body["algorithm"].pop("engine", None)
            exchange.set_json(body)


class AcceptedBodyIsSummary(Fault):
    clause, description = "T3", "the 202 body is a summary: metadata and status only"

    async def after(self, exchange: Exchange) -> None:
        if exchange.terminate_target() and exchange.status == 202:
            job = exchange.json()
            exchange.set_json(
                {"kind": job["kind"], "metadata": job["metadata"], "status": job["status"]}
            )


# --- T2, T4: the phase gate and a terminated job's phases --------------------------------------


class GatesOnSecondaryPhase(Fault):
    clause = "T2"
    description = "the gate reads the secondary phase: a Failed job that CreateFailed is accepted"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        job = await self.stored(*target) if target and exchange.status == 409 else None
        refused = ("Failed", "Completed", "Terminating", "Terminated", "Unknown")
        if job is not None and job["status"]["secondary_phase"] not in refused:
            job["status"].update(phase="Terminating", secondary_phase="Terminating")
            exchange.status = 202
            exchange.set_json(job)


class TerminatingAgainIsBadRequest(Fault):
    clause = "T4"
    description = "a second terminate of a job it terminated is 400 'already terminating', not 409"

    def __init__(self, emulator: Any) -> None:
        super().__init__(emulator)
        self.accepted: set[str] = set()

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if target is None:
            return
        if exchange.status == 202:
            self.accepted.add(target[1])
        elif exchange.status == 409 and target[1] in self.accepted:
            exchange.status = 400
            exchange.set_json({"error_code": "ModelArts.2788", "error_msg": "Already terminating."})


class TerminatingReadsSecondaryRunning(Fault):
    clause = "T4"
    description = "GET of a Terminating job shows secondary_phase Running"

    async def after(self, exchange: Exchange) -> None:
        body = exchange.json()
        if (
            exchange.get_target()
            and exchange.status == 200
            and body["status"]["phase"] == "Terminating"
        ):
            body["status"]["secondary_phase"] = "Running"
            exchange.set_json(body)


# --- T8: a job found through a project that is not its own -----------------------------------


class FindsJobInAnyProject(Fault):
    clause = "T8"
    description = "GET finds a job by id in any project: P's path shows Q's job"

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        found = _JOB.match(scope["path"])
        if not found or scope["method"] != "GET":
            return scope, body
        project, job = found["project"], found["job"]
        owner = next((p for p, jobs in self.jobs.items() if job in jobs), None)
        if owner is None or owner == project or owner not in _TOKENS:
            return scope, body
        path = f"/v2/{owner}/training-jobs/{job}"
        moved = {**scope, "path": path, "raw_path": path.encode()}
        return with_headers(moved, {b"x-auth-token": _TOKENS[owner].encode()}), body


class ForeignJobForbidden(Fault):
    clause = "T8"
    description = "Q's job under P's own path is answered 403 'not your job' (it tells it exists)"

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target() or exchange.get_target()
        if target is None or exchange.status != 400:
            return
        project, job = target
        if any(job in jobs for owner, jobs in self.jobs.items() if owner != project):
            exchange.status = 403
            exchange.set_json(
                {"error_code": "ModelArts.0210", "error_msg": "The job belongs to another project."}
            )


class TrustsSignedProjectHeader(Fault):
    clause = "T8"
    description = "with AK/SK, a terminate's signed X-Project-Id decides the project, not the keys"
    credentials = AkSkCredentials("AK1", "SK1")

    def before(self, scope: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        found = _ACTIONS.match(scope["path"]) if scope["method"] == "POST" else None
        claimed = _header(scope, b"x-project-id")
        if found is None or claimed is None or claimed == "proj-1" or claimed not in _TOKENS:
            return scope, body
        if found["project"] != claimed or not _header(scope, b"authorization"):
            return scope, body
        # The signature is valid for AK1; the broken server lets it act as the claimed project.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
        return with_headers(
            {**scope, "headers": headers}, {b"x-auth-token": _TOKENS[claimed].encode()}
        ), body


REQUEST_FAULTS: tuple[type[Fault], ...] = (
    RefusesCharsetParameter,
    MediaTypeCaseSensitive,
    RefusesQuotedCharset,
    RefusesUnknownMembers,
    ReadsBodyWithRegex,
    BodyIdOverridesPath,
    RequiresSignedContentLength,
    AcceptsNaN,
    AcceptsTrailingData,
    GuessesUtf16,
    ReplacesBadUtf8,
    AnyMethodTerminates,
    DecodesJsonTwice,
    TakesFirstOfArray,
    TrimsNulFromActionType,
    ActionTypeFromQueryString,
    PostOfJobPathTerminates,
    TerminateResetsStartTime,
    TerminateRewritesStoredDescription,
    ConflictStampsAnnotation,
    BadRequestClearsTasks,
    TerminatedJobLosesAlgorithm,
    AcceptedBodyIsSummary,
    GatesOnSecondaryPhase,
    TerminatingAgainIsBadRequest,
    TerminatingReadsSecondaryRunning,
    FindsJobInAnyProject,
    ForeignJobForbidden,
    TrustsSignedProjectHeader,
)

#: Servers that differ from the emulator in ways the contract allows: the suite must pass them.
REQUEST_VARIANTS: tuple[type[Fault], ...] = (AcceptsByteOrderMark,)
