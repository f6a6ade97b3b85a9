"""What a clause works with: the session, the provider states, and small helpers to judge answers."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from ..config import ContractConfig
from ..errors import ClauseFailure, ProviderStateError
from ..reproduction import (
    MAX_REPLAY_REQUESTS,
    UNCOPIED_HEADERS,
    PreparedState,
    Replay,
    ReplayRequest,
    placeholder,
)
from ..session import ContractSession, Exchange
from ..spec import JOB_PATH, TERMINATE_PATH, job_url_path
from ..states import PreparedJob, ProviderStates
from .changes import unprompted_changes

TERMINATE_BODY = {"action_type": "terminate"}


@dataclass
class ClauseContext:
    """The run's shared pieces as seen by one clause, and the notes and limits it reports.

    One context serves every thread of its clause: it is the explicit "who sends this" of each
    request, and it records them so that a failure can be replayed.
    """

    clause_id: str
    config: ContractConfig
    session: ContractSession
    states: ProviderStates
    rng: random.Random
    #: What the clause declared in the registry to watch the whole run, when it did.
    observer: Any = None
    notes: list[str] = field(default_factory=list)
    #: Parts of the claim that could not be checked; any makes the verdict ``partial``.
    unchecked: list[str] = field(default_factory=list)
    _prepared: dict[str, PreparedState] = field(default_factory=dict)
    _history: dict[str, list[tuple[int, ReplayRequest]]] = field(default_factory=dict)
    _sequence: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, text: str) -> None:
        """Keep a remark that does not change the verdict."""
        with self._lock:
            if text not in self.notes:
                self.notes.append(text)

    def partial(self, reason: str) -> None:
        """Say that part of the clause's claim could not be checked, and why."""
        with self._lock:
            if reason not in self.unchecked:
                self.unchecked.append(reason)

    def fail(
        self, message: str, exchange: Exchange | None = None, *, also: tuple[str, ...] = ()
    ) -> ClauseFailure:
        """A failure of this clause, reproduced by ``exchange``'s replay.

        ``also`` names other clauses a rerun needs (the one whose request drew the answer).
        """
        rerun = (self.clause_id, *(c for c in also if c != self.clause_id))
        return ClauseFailure(
            self.clause_id,
            message,
            exchange.replay if exchange else None,
            self.config.seed,
            rerun,
        )

    def expect(self, condition: bool, message: str, exchange: Exchange | None = None) -> None:
        """Fail the clause with ``message`` unless ``condition`` holds."""
        if not condition:
            raise self.fail(message, exchange)

    def random_job_id(self) -> str:
        """A job id no server has, reproducible from the run's seed."""
        with self._lock:
            bits = self.rng.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))

    def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | None = None,
        project_id: str | None = None,
    ) -> Exchange:
        """Send one request for this clause (see :meth:`ContractSession.send`)."""
        return self.session.send(
            self,
            method,
            path,
            json_body=json_body,
            content=content,
            headers=headers,
            auth=auth,
            project_id=project_id,
        )

    def send_case(self, case: Any) -> Exchange:
        """Send a schemathesis case for this clause."""
        return self.session.send_case(self, case)

    def record(
        self,
        request: httpx.Request,
        auth: str | None,
        auth_project_id: str,
        status: int | None,
        seen: dict[str, Any] | None = None,
    ) -> Replay:
        """Keep ``request`` in the history of the prepared jobs it addresses; its replay.

        ``seen`` is what the answer was, as the replay compares it.
        """
        url = str(request.url)
        base = self.config.base_url
        path = url.removeprefix(base)
        body = request.content
        with self._lock:
            # In the path a job's id is percent-encoded (spec.job_url_path); in a body, raw.
            addressed = [
                (job_id, state)
                for job_id, state in self._prepared.items()
                if quote(job_id, safe="") in path or job_id.encode() in body
            ]
            for job_id, state in addressed:
                path = path.replace(quote(job_id, safe=""), placeholder(state.key))
                body = body.replace(job_id.encode(), placeholder(state.key).encode())
            headers = tuple(
                (name, value)
                for name, value in request.headers.items()
                if name.lower() not in UNCOPIED_HEADERS
                and not name.lower().startswith("x-schemathesis")
            )
            replayed = ReplayRequest(
                request.method, path, headers, body, auth, auth_project_id, status, seen
            )
            self._sequence += 1
            for job_id, _ in addressed:
                history = self._history.setdefault(job_id, [])
                if len(history) < MAX_REPLAY_REQUESTS:
                    history.append((self._sequence, replayed))
            if not addressed:
                return Replay((), (replayed,))
            steps = sorted(
                {step for job_id, _ in addressed for step in self._history[job_id]},
                key=lambda step: step[0],
            )
            return Replay(
                tuple(state for _, state in addressed), tuple(request for _, request in steps)
            )

    @contextmanager
    def prepared_job(
        self, phase: str, *, project_id: str | None = None, secondary_phase: str | None = None
    ) -> Iterator[PreparedJob]:
        """A job in ``phase`` for the length of the block, torn down afterwards."""
        project = project_id or self.config.project_id
        job = self.states.setup(project, phase, secondary_phase)
        with self._lock:
            key = f"job{len(self._prepared) + 1}"
            self._prepared[job.id] = PreparedState(key, project, phase, secondary_phase)
        try:
            yield job
        finally:
            try:
                self.states.teardown(project, job.id)
            except ProviderStateError as error:
                # A leftover job costs the provider a row; it must not hide the clause's verdict.
                self.note(str(error))

    def terminate(
        self,
        job_id: str,
        *,
        project_id: str | None = None,
        body: Any = TERMINATE_BODY,
        content: bytes | None = None,
        auth: httpx.Auth | None = None,
    ) -> Exchange:
        """``POST …/actions`` on ``job_id`` (any string: it is encoded as one path segment);
        ``content`` sends raw bytes instead of ``body``."""
        project = project_id or self.config.project_id
        path = job_url_path(TERMINATE_PATH, project, job_id)
        return self.send(
            "POST",
            path,
            json_body=None if content is not None else body,
            content=content,
            auth=auth,
            project_id=project,
        )

    def get_job(
        self, job_id: str, *, project_id: str | None = None, auth: httpx.Auth | None = None
    ) -> Exchange:
        """``GET`` the job ``job_id`` (encoded as one path segment)."""
        project = project_id or self.config.project_id
        return self.send(
            "GET",
            job_url_path(JOB_PATH, project, job_id),
            project_id=project,
            auth=auth,
        )

    def read_job(self, job_id: str, *, needed: bool = True) -> Mapping[str, Any] | None:
        """The job as GET shows it, or ``None`` when the server has no GET (404/405).

        Without GET a clause that ``needed`` it checked only part of its claim: it says so.
        """
        exchange = self.get_job(job_id)
        if exchange.status in (404, 405):
            remark = (
                f"the server has no GET for a job (answered {exchange.status}): "
                "what GET would show was not checked"
            )
            if needed:
                self.partial(remark)
            else:
                self.note(remark)
            return None
        self.expect(
            exchange.status == 200,
            f"GET of an existing job answered {exchange.describe()}",
            exchange,
        )
        job = exchange.json()
        if not isinstance(job, dict):
            raise self.fail("GET of a job answered a body that is not an object", exchange)
        return job

    def expect_unchanged(
        self, job_id: str, before: Mapping[str, Any] | None, after: str, cause: Exchange
    ) -> None:
        """Fail unless GET shows ``job_id`` as ``before`` showed it, ``after`` a refusal.

        The whole job is compared, but for the fields that change by themselves (and a
        Terminating job's move to Terminated). Says nothing without GET (``before`` is then
        ``None``); :meth:`expect_still_terminable` works without.
        """
        if before is None:
            return
        seen = self.read_job(job_id)
        if seen is not None:
            changes = unprompted_changes(before, seen)
            self.expect(
                not changes,
                f"after {after}, job {job_id} changed: {'; '.join(changes)}",
                cause,
            )

    def expect_still_terminable(self, job_id: str, after: str) -> None:
        """Fail unless a terminate of the Running job ``job_id`` is accepted ``after`` refusals."""
        probe = self.terminate(job_id)
        self.expect(
            probe.status == 202,
            f"after {after}, terminating the Running job {job_id} answered {probe.describe()}: "
            "a refused request changed it",
            probe,
        )

    def expect_no_server_error(self, exchange: Exchange, what: str) -> None:
        """Fail when the server answered 5xx."""
        self.expect(exchange.status < 500, f"{what}: answered {exchange.describe()}", exchange)

    def expect_error_body(self, exchange: Exchange, what: str) -> None:
        """Fail unless the answer is a JSON object with ``error_code`` and ``error_msg`` strings."""
        self.expect(
            has_error_body(exchange),
            f"{what}: the error body has no error_code/error_msg: {exchange.describe()}",
            exchange,
        )


def has_error_body(exchange: Exchange) -> bool:
    """Whether the answer is a JSON object with non-empty ``error_code`` and ``error_msg`` strings."""
    body = exchange.json()
    return isinstance(body, dict) and all(
        isinstance(body.get(key), str) and body.get(key) for key in ("error_code", "error_msg")
    )


def phase_of(job: Any, field_name: str = "phase") -> str | None:
    """``status.phase`` (or another status field) of a job body, or ``None`` when it has none."""
    if isinstance(job, Mapping) and isinstance(job.get("status"), Mapping):
        phase = job["status"].get(field_name)
        return phase if isinstance(phase, str) else None
    return None


def error_code_of(exchange: Exchange) -> str | None:
    """The ``error_code`` of an error answer, when it has one."""
    body = exchange.json()
    return body.get("error_code") if isinstance(body, dict) else None
