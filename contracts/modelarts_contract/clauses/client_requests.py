"""T11: a terminate is served however a real client writes it, the official SDK's first.

The spec's request body is JSON, as ``application/json``, with an open schema: parameters of the
media type, members besides ``action_type``, whitespace, member order and escapes change nothing
(RFC 9110, section 8.3.1: media types and ``charset`` values are case-insensitive, a quoted
value is the same value; RFC 8259: whitespace, member order and escapes are not meaning). One
spelling is the server's to refuse: RFC 8259 (section 8.1) lets a parser refuse a UTF-8 byte
order mark; a refusal must then be the malformed-body 400, changing nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime
from typing import NamedTuple

import httpx
from modelarts_training.signing import DATE_HEADER, format_date, sign

from ..credentials import RUN_CREDENTIALS, AkSkCredentials, LabelledAuth
from ..session import Exchange
from ..spec import TERMINATE_PATH, job_url_path
from .context import ClauseContext
from .fanout import for_each
from .registry import clause
from .terminate_body import expect_terminated

#: What huaweicloudsdkmodelarts' ``stop_training_job`` sends (3.1.x): its body, serialised with
#: ``json.dumps``' default separators, and the headers it sets itself. Its ``Content-Type`` is
#: declared ``application/json;charset=UTF-8`` and lower-cased by the SDK before it is sent.
SDK_BODY = b'{"action_type": "terminate"}'
SDK_CONTENT_TYPE = "application/json;charset=utf-8"
SDK_HEADERS = {
    "User-Agent": "huaweicloud-usdk-python/3.0; os/Linux#6.1.0#x86_64 python/3.11.7 impl/CPython",
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate",
    "Content-Type": SDK_CONTENT_TYPE,
}
#: The headers the SDK signs on it: every header it sets, not those its HTTP library adds.
SDK_SIGNED_HEADERS = ("content-type", "host", "user-agent", "x-project-id", "x-sdk-date")
PROJECT_HEADER = "X-Project-Id"


class Spelling(NamedTuple):
    """A terminate as some client writes it: its body, ``Content-Type`` and how it is sent."""

    what: str
    body: bytes
    content_type: str = "application/json"
    #: Sent with the official SDK's headers, and signed as it signs (with AK/SK credentials).
    sdk: bool = False
    #: RFC 8259 lets a server refuse it (400, with the job unchanged).
    may_refuse: bool = False


SPELLINGS: tuple[Spelling, ...] = (
    Spelling("the official SDK's stop_training_job request", SDK_BODY, SDK_CONTENT_TYPE, sdk=True),
    Spelling(
        "Content-Type application/json;charset=UTF-8", SDK_BODY, "application/json;charset=UTF-8"
    ),
    Spelling(
        "Content-Type application/json; charset=utf-8", SDK_BODY, "application/json; charset=utf-8"
    ),
    Spelling(
        'Content-Type application/json; charset="utf-8"',
        SDK_BODY,
        'application/json; charset="utf-8"',
    ),
    Spelling(
        "Content-Type Application/JSON; Charset=UTF-8", SDK_BODY, "Application/JSON; Charset=UTF-8"
    ),
    Spelling("an unknown member", b'{"action_type": "terminate", "reason": "contract check"}'),
    Spelling(
        "unknown members of every JSON type",
        b'{"action_type":"terminate","options":{"force":true,"grace":[1,2.5]},'
        b'"comment":null,"count":0,"dry":false}',
    ),
    Spelling(
        "non-ASCII text in an unknown member",
        '{"action_type": "terminate", "note": "终止 ✓"}'.encode(),
    ),
    Spelling(
        "members named like the path's parameters, naming another job",
        b'{"action_type": "terminate", "training_job_id": "00000000-0000-4000-8000-000000000000",'
        b' "project_id": "contract-other-project"}',
    ),
    Spelling("action_type after another member", b'{"reason": "x", "action_type": "terminate"}'),
    Spelling("no whitespace at all", b'{"action_type":"terminate"}'),
    Spelling(
        "CRLF line breaks, tabs and a final newline",
        b'{\r\n\t"action_type" :\t"terminate"\r\n}\r\n',
    ),
    Spelling("whitespace before the value", b' \n\t{"action_type": "terminate"}'),
    Spelling("action_type's value with a \\u escape", b'{"action_type": "\\u0074erminate"}'),
    Spelling("action_type's name with a \\u escape", b'{"\\u0061ction_type": "terminate"}'),
    Spelling("a UTF-8 byte order mark", b"\xef\xbb\xbf" + SDK_BODY, may_refuse=True),
)


@clause("T11", "client_requests", needs_states=True)
def client_requests(ctx: ClauseContext) -> None:
    """A terminate as real clients write it (the official SDK's, charset, extra members…) is a 202.

    Each spelling, on a Running job of its own, is answered as the plain terminate: 202 with the
    job terminating, the rest of it unchanged. The spellings: the official SDK's request
    (``Content-Type: application/json;charset=utf-8``, its headers, its signature), the charset
    parameter in other spellings, unknown members (one naming another job: the path decides),
    other member order, whitespace and escapes.
    A UTF-8 byte order mark may be refused (RFC 8259), with 400 and the job unchanged.
    """

    def case(spelling: Spelling) -> None:
        with ctx.prepared_job("Running") as job:
            before = ctx.read_job(job.id) or job.job
            answer = _send(ctx, job.id, spelling)
            what = f"a terminate with {spelling.what}"
            ctx.expect_no_server_error(answer, what)
            if spelling.may_refuse and answer.status == 400:
                ctx.expect_error_body(answer, what)
                ctx.expect_unchanged(job.id, before, f"{what} was refused", answer)
                ctx.expect_still_terminable(job.id, f"{what} was refused")
                return
            ctx.expect(
                answer.status == 202,
                f"{what} must be served as the plain terminate (202), answered {answer.describe()}",
                answer,
            )
            expect_terminated(ctx, job.id, f"the Running job ({what})", before, answer)

    for_each(ctx, SPELLINGS, case)


def _send(ctx: ClauseContext, job_id: str, spelling: Spelling) -> Exchange:
    project = ctx.config.project_id
    path = job_url_path(TERMINATE_PATH, project, job_id)
    headers = {"Content-Type": spelling.content_type}
    auth = None
    if spelling.sdk:
        headers = {**SDK_HEADERS, PROJECT_HEADER: project}
        credentials = ctx.config.credentials
        if isinstance(credentials, AkSkCredentials):
            auth = LabelledAuth(
                SdkSignature(credentials.access_key, credentials.secret_key, project),
                RUN_CREDENTIALS,
                project,
            )
    return ctx.send("POST", path, content=spelling.body, headers=headers, auth=auth)


class SdkSignature(httpx.Auth):
    """Signs as huaweicloudsdkcore signs a terminate: over the headers the SDK sets, no others."""

    requires_request_body = True

    def __init__(self, access_key: str, secret_key: str, project_id: str) -> None:
        self._access_key = access_key
        self._secret_key = secret_key
        self._project_id = project_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Date, project and host the request, then sign the SDK's headers."""
        request.headers[DATE_HEADER] = format_date(datetime.now(UTC))
        request.headers[PROJECT_HEADER] = self._project_id
        request.headers["Host"] = request.url.netloc.decode("ascii")
        request.headers["Authorization"] = sign(
            access_key=self._access_key,
            secret_key=self._secret_key,
            method=request.method,
            path=request.url.raw_path.split(b"?", 1)[0].decode("ascii"),
            query=request.url.params.multi_items(),
            headers={name: request.headers[name] for name in SDK_SIGNED_HEADERS},
            body=request.content,
        ).render()
        yield request
