"""Runs the selected clauses against one server and collects a result per clause."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import TextIO

import httpx

from .clauses import Clause, registered_clauses
from .clauses.context import ClauseContext
from .config import ContractConfig
from .errors import ClauseFailure, ProviderStateError, ServerUnreachable
from .session import ContractSession
from .spec import ContractSchema
from .states import NoProviderStates, ProviderStates

#: T1 judges every response the run receives, and T10 every error: they run after the others.
_RUN_LAST = ("T1", "T10")


class Status(str, Enum):
    """The verdict on one clause."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class ClauseResult:
    """What happened to one clause: its verdict, why, and how to reproduce a failure."""

    clause: Clause
    status: Status
    message: str = ""
    curl: str | None = None
    seed: int | None = None
    notes: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass
class RunReport:
    """The results of a run, in clause order, and the provider-state error if one happened."""

    config: ContractConfig
    results: list[ClauseResult] = field(default_factory=list)
    aborted: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """1 when a clause failed, else 2 when provider states broke, else 0.

        A clause that failed is a verdict on the server whatever else went wrong, so it wins
        over a provider-state error (which says only that the run could not prepare jobs).
        """
        if any(r.status is Status.FAILED for r in self.results):
            return 1
        return 2 if self.aborted is not None else 0


def select_clauses(wanted: tuple[str, ...] = ()) -> list[Clause]:
    """The clauses named by id (``T3``) or name (``terminate_body``); all of them when none are named.

    :class:`ValueError` names the unknown ones.
    """
    clauses = registered_clauses()
    if not wanted:
        return clauses
    keys = {c.id.lower(): c for c in clauses} | {c.name.lower(): c for c in clauses}
    unknown = [name for name in wanted if name.lower() not in keys]
    if unknown:
        known = ", ".join(f"{c.id} ({c.name})" for c in clauses)
        raise ValueError(f"unknown clause(s) {', '.join(unknown)}; known: {known}")
    chosen = {keys[name.lower()].id for name in wanted}
    return [c for c in clauses if c.id in chosen]


def check_reachable(config: ContractConfig) -> None:
    """:class:`ServerUnreachable` unless some HTTP server answers at the base URL."""
    try:
        httpx.get(config.base_url + "/", timeout=config.timeout)
    except (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.UnsupportedProtocol,
        httpx.InvalidURL,
    ) as error:
        raise ServerUnreachable(config.base_url, f"{type(error).__name__}: {error}") from None
    except httpx.HTTPError:
        # Something accepted the connection: a server that hangs or garbles its answers is
        # judged clause by clause, not turned away as unreachable.
        pass


def run_contract(
    config: ContractConfig, states: ProviderStates, progress: TextIO | None = sys.stderr
) -> RunReport:
    """Run the clauses ``config.clauses`` names (all by default) and report on each.

    Raises :class:`ServerUnreachable` and :class:`ValueError` (unknown clause) before anything runs;
    a provider-state failure is recorded in :attr:`RunReport.aborted`, and the clauses after it
    that need provider states are skipped while the others still run.
    """
    clauses = select_clauses(config.clauses)
    check_reachable(config)
    report = RunReport(config)
    started = time.monotonic()
    session = ContractSession(config, ContractSchema(config.base_url))
    order = [c for c in clauses if c.id not in _RUN_LAST] + [
        c for last in _RUN_LAST for c in clauses if c.id == last
    ]
    results: dict[str, ClauseResult] = {}
    try:
        for position, clause in enumerate(order, 1):
            _say(progress, f"[{position}/{len(order)}] {clause.id} {clause.name} … ")
            result = _run_one(clause, config, session, states)
            results[clause.id] = result
            _say(progress, f"{result.status.value} ({result.seconds:.1f} s)\n")
            if result.status is Status.ERROR and report.aborted is None:
                report.aborted = result.message
                states = NoProviderStates(f"provider states failed earlier: {result.message}")
    finally:
        session.close()
    report.results = [results[c.id] for c in clauses if c.id in results]
    report.seconds = time.monotonic() - started
    return report


def _run_one(
    clause: Clause, config: ContractConfig, session: ContractSession, states: ProviderStates
) -> ClauseResult:
    if clause.needs_states and states.unavailable_reason is not None:
        return ClauseResult(clause, Status.SKIPPED, states.unavailable_reason)
    ctx = ClauseContext(
        clause.id, config, session, states, random.Random(f"{config.seed}-{clause.id}")
    )
    session.set_clause(clause.id)
    started = time.monotonic()
    try:
        clause.function(ctx)
    except ClauseFailure as failure:
        return ClauseResult(
            clause,
            Status.FAILED,
            failure.message,
            failure.curl,
            failure.seed,
            tuple(ctx.notes),
            time.monotonic() - started,
        )
    except ProviderStateError as error:
        return ClauseResult(
            clause,
            Status.ERROR,
            str(error),
            notes=tuple(ctx.notes),
            seconds=time.monotonic() - started,
        )
    return ClauseResult(
        clause, Status.PASSED, notes=tuple(ctx.notes), seconds=time.monotonic() - started
    )


def _say(progress: TextIO | None, text: str) -> None:
    if progress is not None:
        progress.write(text)
        progress.flush()
