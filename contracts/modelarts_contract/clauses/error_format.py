"""T10: every error answer is a JSON ModelArts error."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx

from ..credentials import no_credentials
from ..session import Exchange
from ..spec import ContractSchema
from .context import TERMINATE_BODY, ClauseContext, has_error_body
from .registry import clause

#: Error answers without a ModelArts error body kept in full; more are only counted.
MAX_KEPT_BAD_ERRORS = 20


class Probe(NamedTuple):
    """A request every server must refuse with a 4xx ModelArts error."""

    what: str
    method: str
    path: str
    json_body: Any = None
    content: bytes | None = None
    auth: httpx.Auth | None = None


@dataclass
class ErrorBodyObserver:
    """Checks the body of every error answer of the run as it arrives; keeps the first bad ones."""

    kept: list[Exchange] = field(default_factory=list)
    total: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, exchange: Exchange) -> None:
        """Keep ``exchange`` when it is an error answer without error_code and error_msg."""
        if exchange.status < 400 or has_error_body(exchange):
            return
        with self._lock:
            self.total += 1
            if len(self.kept) < MAX_KEPT_BAD_ERRORS:
                self.kept.append(exchange)


def _observer(schema: ContractSchema) -> ErrorBodyObserver:
    return ErrorBodyObserver()


@clause("T10", "error_format", observes_run=_observer)
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
        answer = ctx.send(
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
    log: ErrorBodyObserver = ctx.observer
    if log.kept:
        exchange = log.kept[0]
        request = exchange.request
        raise ctx.fail(
            f"{log.total} error answer(s) of the run have no error_code/error_msg, first met in "
            f"{exchange.clause_id} ({request.method} {request.url.path}): {exchange.describe()}",
            exchange,
            also=(exchange.clause_id,),
        )
