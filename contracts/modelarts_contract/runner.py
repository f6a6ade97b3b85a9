"""Runs the selected clauses against one server and collects a result per clause."""

from __future__ import annotations

import random
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO

from .clauses import Clause, registered_clauses
from .clauses.context import ClauseContext
from .config import CLI, ContractConfig, FrontDoor
from .errors import (
    ClauseFailure,
    PreflightRefused,
    ProviderStateError,
    ServerUnreachable,
    UsageError,
)
from .preflight import preflight
from .redaction import Redactor
from .reproduction import Replay
from .session import ContractSession, Exchange, RunObserver
from .spec import ContractSchema
from .states import NoProviderStates, ProviderStates


class Status(str, Enum):
    """The verdict on one clause."""

    PASSED = "passed"
    #: The clause checked only part of its claim (no GET, no other project, no provider states).
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class ClauseResult:
    """What happened to one clause: its verdict, why, and how to reproduce a failure.

    ``message`` is the failure, the error, why the clause was skipped, or what a ``partial``
    verdict left unchecked. ``rerun_clauses`` are the clauses a rerun must select.
    """

    clause: Clause
    status: Status
    message: str = ""
    replay: Replay | None = None
    seed: int | None = None
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    rerun_clauses: tuple[str, ...] = ()
    #: The error came from the provider states (the stateful clauses after it are skipped).
    states_failed: bool = False


@dataclass
class RunReport:
    """The results of a run, in clause order, and what stopped or broke the run.

    ``stopped`` is the sentence that ended the run before any clause (an unreachable server,
    refused credentials, a server that does not speak this API); ``aborted`` the provider-state
    error after which the stateful clauses were skipped.
    """

    config: ContractConfig
    results: list[ClauseResult] = field(default_factory=list)
    aborted: str | None = None
    stopped: str | None = None
    seconds: float = 0.0
    #: Whether anything short of a full pass makes the exit code 1.
    strict: bool = False
    #: The replay file written for each failed clause, by clause id (see ``report.write_replays``).
    replay_files: dict[str, Path] = field(default_factory=dict)
    #: How the run was started: rerun hints name this door's command and options.
    door: FrontDoor = CLI

    @property
    def exit_code(self) -> int:
        """1 when a clause failed, else 2 when the run was stopped or broke, else 0.

        A clause that failed is a verdict on the server whatever else went wrong, so it wins
        over a provider-state error (which says only that the run could not prepare jobs).
        With ``strict``, a ``partial`` or ``skipped`` clause is a failure too.
        """
        if any(r.status is Status.FAILED for r in self.results):
            return 1
        if self.stopped is not None or any(r.status is Status.ERROR for r in self.results):
            return 2
        if self.strict and any(r.status is not Status.PASSED for r in self.results):
            return 1
        return 0

    def count(self, status: Status) -> int:
        """How many clauses got ``status``."""
        return sum(r.status is status for r in self.results)

    @cached_property
    def _redactor(self) -> Redactor:
        # Built once: it derives every look-alike of every secret.
        return Redactor(self.config.credentials.secrets())

    def redact(self, text: str) -> str:
        """``text`` without any of the run's secrets."""
        return self._redactor(text)

    def excerpt(self, text: str, limit: int) -> str:
        """``text`` without any of the run's secrets, then cut to ``limit`` characters."""
        return self._redactor.excerpt(text, limit)


def select_clauses(wanted: tuple[str, ...] = ()) -> list[Clause]:
    """The clauses named by id (``T3``) or name (``terminate_body``); all of them when none are named.

    :class:`UsageError` names the unknown ones.
    """
    clauses = registered_clauses()
    if not wanted:
        return clauses
    keys = {c.id.lower(): c for c in clauses} | {c.name.lower(): c for c in clauses}
    unknown = [name for name in wanted if name.lower() not in keys]
    if unknown:
        known = ", ".join(f"{c.id} ({c.name})" for c in clauses)
        raise UsageError(f"unknown clause(s) {', '.join(unknown)}; known: {known}")
    chosen = {keys[name.lower()].id for name in wanted}
    return [c for c in clauses if c.id in chosen]


def run_contract(
    config: ContractConfig,
    states: ProviderStates,
    progress: TextIO | None = sys.stderr,
    *,
    strict: bool = False,
) -> RunReport:
    """Run the clauses ``config.clauses`` names (all by default) and report on each.

    Raises :class:`UsageError` (unknown clause) before anything runs. A preflight that shows
    the server cannot be judged ends the run in :attr:`RunReport.stopped`; a provider-state
    failure is recorded in :attr:`RunReport.aborted`, and the clauses after it that need
    provider states are skipped while the others still run.
    """
    clauses = select_clauses(config.clauses)
    report = RunReport(config, strict=strict)
    started = time.monotonic()
    try:
        preflight(config)
    except (ServerUnreachable, PreflightRefused) as error:
        report.stopped = str(error)
        report.seconds = time.monotonic() - started
        return report
    schema = ContractSchema(config.base_url)
    observers: dict[str, RunObserver] = {
        c.id: c.observer(schema) for c in clauses if c.observer is not None
    }
    timed = {clause_id: _TimedObserver(observer) for clause_id, observer in observers.items()}
    session = ContractSession(config, schema, list(timed.values()))
    # Clauses that judge the whole run go last, so that they see every other clause's traffic.
    order = [c for c in clauses if not c.observes_run] + [c for c in clauses if c.observes_run]
    results: dict[str, ClauseResult] = {}
    try:
        for position, clause in enumerate(order, 1):
            _say(progress, f"[{position}/{len(order)}] {clause.id} {clause.name} … ")
            result = _run_one(clause, config, session, states, observers.get(clause.id))
            results[clause.id] = result
            _say(progress, f"{result.status.value} ({result.seconds:.1f} s)\n")
            if result.states_failed and report.aborted is None:
                report.aborted = result.message
                states = NoProviderStates(f"provider states failed earlier: {result.message}")
    finally:
        session.close()
    report.results = [_own_time(results[c.id], timed) for c in clauses if c.id in results]
    report.seconds = time.monotonic() - started
    return report


@dataclass
class _TimedObserver:
    """An observer, and the time it spent judging other clauses' exchanges, by sending clause."""

    inner: RunObserver
    spent: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, exchange: Exchange) -> None:
        started = time.monotonic()
        try:
            self.inner.observe(exchange)
        finally:
            elapsed = time.monotonic() - started
            with self._lock:
                self.spent[exchange.clause_id] = self.spent.get(exchange.clause_id, 0.0) + elapsed


def _own_time(result: ClauseResult, timed: dict[str, _TimedObserver]) -> ClauseResult:
    """``result`` with the time its observers spent moved to the clauses that own them.

    An observer judges an exchange in the thread of the clause that sent it: that time is the
    observing clause's (T1's checks, T10's), not the sender's.
    """
    lent = sum(observer.spent.get(result.clause.id, 0.0) for observer in timed.values())
    own = timed.get(result.clause.id)
    borrowed = sum(own.spent.values()) if own is not None else 0.0
    return replace(result, seconds=max(0.0, result.seconds - lent) + borrowed)


def _run_one(
    clause: Clause,
    config: ContractConfig,
    session: ContractSession,
    states: ProviderStates,
    observer: RunObserver | None,
) -> ClauseResult:
    if clause.needs_states and states.unavailable_reason is not None:
        return ClauseResult(clause, Status.SKIPPED, states.unavailable_reason)
    ctx = ClauseContext(
        clause.id,
        config,
        session,
        states,
        random.Random(f"{config.seed}-{clause.id}"),
        observer=observer,
    )
    started = time.monotonic()

    def result(status: Status, message: str = "", **extra: Any) -> ClauseResult:
        return ClauseResult(
            clause,
            status,
            message,
            notes=tuple(ctx.notes),
            seconds=time.monotonic() - started,
            **extra,
        )

    try:
        clause.function(ctx)
    except ClauseFailure as failure:
        return result(
            Status.FAILED,
            failure.message,
            replay=failure.replay,
            seed=failure.seed,
            rerun_clauses=failure.rerun_clauses or (clause.id,),
        )
    except ProviderStateError as error:
        return result(Status.ERROR, str(error), states_failed=True)
    except Exception as error:  # noqa: BLE001 — whatever breaks a clause, the run goes on
        return result(Status.ERROR, f"the suite could not judge this clause: {error!r:.300}")
    if ctx.unchecked:
        return result(Status.PARTIAL, "; ".join(ctx.unchecked))
    return result(Status.PASSED)


def _say(progress: TextIO | None, text: str) -> None:
    if progress is not None:
        progress.write(text)
        progress.flush()
