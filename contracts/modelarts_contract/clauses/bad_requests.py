"""T7: malformed terminate requests are answered 400 and change nothing."""

from __future__ import annotations

from typing import Any

from .context import ClauseContext
from .registry import clause

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
    ("malformed JSON", b'{"action_type": "terminate"'),
    ("a JSON array", ["terminate"]),
    ("a JSON string", "terminate"),
    ("JSON null", b"null"),
    ("a JSON number", b"1"),
    ("an empty body", b""),
)


@clause("T7", "bad_requests", needs_states=True)
def bad_requests(ctx: ClauseContext) -> None:
    """Bad action_type, malformed or non-object JSON → 400 with an error body; the job unchanged."""
    with ctx.prepared_job("Running") as job:
        for what, body in BAD_BODIES:
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
            ctx.expect_still_running(job.id, f"a terminate with {what} was refused", answer)
        ctx.expect_still_terminable(job.id, "the bad requests")
