"""Servers that answer a cross-project request as the contract asks, yet change the other
project's job (T8 fails them), and providers without the optional provider-state ``read``.

Each is the real emulator behind an ASGI wrapper (:class:`contract_faults.Fault`).
"""

from __future__ import annotations

import json
from typing import Any

from contract_faults import Exchange, Fault, call, read_body
from contract_servers import STATES_PATH
from modelarts_contract.credentials import AkSkCredentials


class _ChangesForeignJob(Fault):
    """A terminate answered ``answered`` by the emulator, of a job another project set up,
    terminates that job all the same (through the owner's own credentials, inside)."""

    clause = "T8"
    answered = 0
    #: Whether the path names the caller's own project (``False``: the job's, Q's).
    through_own_path = True

    async def after(self, exchange: Exchange) -> None:
        target = exchange.terminate_target()
        if target is None or exchange.status != self.answered:
            return
        project, job = target
        owner = next((p for p, jobs in self.jobs.items() if job in jobs), None)
        if owner is None or (owner == project) == self.through_own_path:
            return
        await self.terminate_inside(owner, job)


class UnknownAnswerTerminatesForeignJob(_ChangesForeignJob):
    description = (
        "terminate through P's path with Q's job id answers 400 ModelArts.2775 (unknown job) "
        "but terminates Q's job"
    )
    answered = 400


class ForbiddenStillTerminatesForeignJob(_ChangesForeignJob):
    description = (
        "terminate of Q's job on Q's path with P's credentials answers 403 but terminates it"
    )
    answered = 403
    through_own_path = False


class ForbiddenStillTerminatesForeignJobAkSk(ForbiddenStillTerminatesForeignJob):
    description = ForbiddenStillTerminatesForeignJob.description + " (AK/SK)"
    credentials = AkSkCredentials("AK1", "SK1")


class _StateReadAnswers(Fault):
    """Answers every provider-state ``read`` with ``status`` (and ``body``), before the emulator."""

    clause = "T8"
    status = 404
    body = b'{"error_code": "ModelArts.0000", "error_msg": "No such action."}'

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != STATES_PATH:
            await super().__call__(scope, receive, send)
            return
        body = await read_body(receive)
        if json.loads(body).get("action") == "read":
            status, headers, answer = (
                self.status,
                [(b"content-type", b"application/json")],
                self.body,
            )
        else:
            status, headers, answer = await call(self.emulator, scope, body)
            self._track_jobs(Exchange(scope, body, status, headers, answer))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})


class StatesWithoutRead(_StateReadAnswers):
    description = "the provider states have no read (404)"


class StatesWithoutReadNotImplemented(_StateReadAnswers):
    description = "the provider states have no read (501)"
    status = 501


class StateReadBreaks(_StateReadAnswers):
    description = "the provider states' read answers 500"
    status = 500
    body = b'{"error_code": "ModelArts.2950", "error_msg": "Unknown error."}'


class StateReadNotJson(_StateReadAnswers):
    description = "the provider states' read answers 200 with a body that is not a job"
    status = 200
    body = b'{"training_job_id": "x"}'


ISOLATION_FAULTS: tuple[type[Fault], ...] = (
    UnknownAnswerTerminatesForeignJob,
    ForbiddenStillTerminatesForeignJob,
    ForbiddenStillTerminatesForeignJobAkSk,
)
