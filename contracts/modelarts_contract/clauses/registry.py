"""Clauses are plain functions registered by a decorator with their id, name and needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..session import RunObserver
    from ..spec import ContractSchema
    from .context import ClauseContext

ClauseFunction = Callable[["ClauseContext"], None]
#: Makes the observer of a clause that judges every exchange of the run (given the spec).
ObserverFactory = Callable[["ContractSchema"], "RunObserver"]


@dataclass(frozen=True)
class Clause:
    """One named promise of the contract, e.g. ``T2 phase_gate``."""

    id: str
    name: str
    summary: str
    needs_states: bool
    function: ClauseFunction
    observer: ObserverFactory | None = None

    @property
    def observes_run(self) -> bool:
        """Whether the clause judges every exchange of the run: it then runs after the others."""
        return self.observer is not None

    @property
    def number(self) -> int:
        """The clause's number, for ordering ``T2`` before ``T10``."""
        return int(self.id[1:])


_CLAUSES: dict[str, Clause] = {}


def clause(
    clause_id: str,
    name: str,
    *,
    needs_states: bool = False,
    observes_run: ObserverFactory | None = None,
) -> Callable[[ClauseFunction], ClauseFunction]:
    """Register the decorated function as clause ``clause_id``; its docstring is the summary.

    ``observes_run`` makes the observer that sees every exchange of the run; the clause's
    function finds it as ``ctx.observer`` and runs after every other clause.
    """

    def register(function: ClauseFunction) -> ClauseFunction:
        summary = (function.__doc__ or name).strip().splitlines()[0]
        _CLAUSES[clause_id] = Clause(clause_id, name, summary, needs_states, function, observes_run)
        return function

    return register


def registered_clauses() -> list[Clause]:
    """Every registered clause, ordered T1 … T10."""
    return sorted(_CLAUSES.values(), key=lambda c: c.number)
