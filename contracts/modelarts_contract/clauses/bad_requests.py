"""T7: malformed terminate requests and bodies that are not JSON are answered 400; nothing changes."""

from __future__ import annotations

from typing import Any

from ..spec import JOB_PATH, TERMINATE_PATH, job_url_path
from .context import TERMINATE_BODY, ClauseContext
from .registry import clause

_TERMINATE_TEXT = '{"action_type": "terminate"}'

#: (what, JSON body or raw bytes) — each must be answered 400 with an error body.
BAD_BODIES: tuple[tuple[str, Any], ...] = (
    ("action_type missing", {}),
    ("action_type another value", {"action_type": "restart"}),
    ("action_type in the wrong case", {"action_type": "Terminate"}),
    ("action_type in upper case", {"action_type": "TERMINATE"}),
    ("action_type in a list", {"action_type": ["terminate"]}),
    ("action_type not a string", {"action_type": 1}),
    ("action_type null", {"action_type": None}),
    ("action_type padded with spaces", {"action_type": " terminate "}),
    ("action_type with a trailing NUL", {"action_type": "terminate\u0000"}),
    ("the terminate object in a one-item array", [{"action_type": "terminate"}]),
    ("the terminate object encoded again as a JSON string", '{"action_type": "terminate"}'),
    ("malformed JSON", b'{"action_type": "terminate"'),
    ("a JSON array", ["terminate"]),
    ("a JSON string", "terminate"),
    ("JSON null", b"null"),
    ("a JSON number", b"1"),
    ("an empty body", b""),
)

#: Bodies that a lenient parser reads as a terminate but that are not JSON (RFC 8259): each must
#: be answered 400 like malformed JSON. The terminate is whole in each, so a server that reads
#: past the flaw terminates the job.
NOT_JSON: tuple[tuple[str, bytes], ...] = (
    ("data after the JSON value", _TERMINATE_TEXT.encode() + b"garbage"),
    ("a second JSON value after the first", _TERMINATE_TEXT.encode() + b"{}"),
    ("NaN in a member", b'{"action_type": "terminate", "priority": NaN}'),
    ("Infinity in a member", b'{"action_type": "terminate", "priority": Infinity}'),
    ("-Infinity in a member", b'{"action_type": "terminate", "priority": -Infinity}'),
    ("a byte that is not UTF-8", b'{"action_type": "terminate", "note": "\xff"}'),
    ("an overlong UTF-8 sequence", b'{"action_type": "terminate", "note": "\xc0\xaf"}'),
    ("a UTF-8-encoded surrogate", b'{"action_type": "terminate", "note": "\xed\xa0\x80"}'),
    ("UTF-16 with a byte order mark", _TERMINATE_TEXT.encode("utf-16")),
    ("UTF-16LE without a byte order mark", _TERMINATE_TEXT.encode("utf-16-le")),
    ("UTF-16BE without a byte order mark", _TERMINATE_TEXT.encode("utf-16-be")),
    ("UTF-32", _TERMINATE_TEXT.encode("utf-32")),
)

#: Requests the spec does not define, with a terminate body: (method, the job's path or its
#: terminate path). Each is refused (405, or 404 from a gateway) and terminates nothing.
OTHER_REQUESTS = (
    ("PUT", TERMINATE_PATH),
    ("PATCH", TERMINATE_PATH),
    ("DELETE", TERMINATE_PATH),
    ("GET", TERMINATE_PATH),
    ("POST", JOB_PATH),
)


@clause("T7", "bad_requests", needs_states=True)
def bad_requests(ctx: ClauseContext) -> None:
    """Bad action_type, non-object or non-JSON bodies → 400; other methods → 405; the job unchanged.

    Not JSON: data after the value, NaN/Infinity, bytes that are not UTF-8, UTF-16 or UTF-32.
    Bad: action_type missing, re-cased, padded, NUL-terminated, of another type, in the query
    string only; the object in an array or in a string. Other methods: PUT/PATCH/DELETE/GET of
    ``…/actions``, POST of the job's own path. Every refusal carries an error body (T10), and
    the Running job stays as it was, all of it.
    """
    with ctx.prepared_job("Running") as job:
        before = ctx.read_job(job.id)
        for what, body in (*BAD_BODIES, *NOT_JSON):
            if isinstance(body, bytes):
                answer = ctx.terminate(job.id, content=body)
            else:
                answer = ctx.terminate(job.id, body=body)
            ctx.expect_no_server_error(answer, f"terminate with {what}")
            ctx.expect(
                answer.status == 400,
                f"terminate with {what} must answer 400, answered {answer.describe()}",
                answer,
            )
            ctx.expect_error_body(answer, f"terminate with {what}")
            ctx.expect_unchanged(job.id, before, f"a terminate with {what} was refused", answer)
        for method, template in OTHER_REQUESTS:
            path = job_url_path(template, ctx.config.project_id, job.id)
            answer = ctx.send(method, path, json_body=TERMINATE_BODY)
            ctx.expect(
                answer.status in (404, 405),
                f"{method} {template} with a terminate body must answer 405 (or 404), "
                f"answered {answer.describe()}",
                answer,
            )
            ctx.expect_unchanged(job.id, before, f"a {method} {template}", answer)
        # A query string is no body: the body still lacks action_type.
        answer = ctx.send(
            "POST",
            job_url_path(TERMINATE_PATH, ctx.config.project_id, job.id) + "?action_type=terminate",
            json_body={},
        )
        ctx.expect(
            answer.status == 400,
            f"a terminate whose action_type is in the query string, not the body, must answer "
            f"400, answered {answer.describe()}",
            answer,
        )
        ctx.expect_unchanged(job.id, before, "a terminate with action_type in the query", answer)
        ctx.expect_still_terminable(job.id, "the bad requests")
