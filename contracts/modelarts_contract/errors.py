"""Errors of a contract run, as typed values.

- :class:`ClauseFailure` — the server broke a clause: reported in the table, exit 1.
- :class:`ExchangeError` — one exchange could not be completed (no whole answer in time, an
  answer too large or too deeply nested, connections dropped); inside a clause it becomes that
  clause's failure.
- :class:`ProviderStateError` — the provider-state endpoint could not prepare a job: an error of
  the run, not of the server under test, exit 2.
- :class:`ProviderStateNotOffered` — the provider has no such provider-state action (an optional
  one, such as ``read``): what needed it is reported partial, never failed.
- :class:`ServerUnreachable` — nothing answers at the base URL: exit 2.
- :class:`PreflightRefused` — the first request showed the run cannot judge this server (the
  credentials are refused, or the server does not speak this API): exit 2.
- :class:`UsageError` — options that cannot be run as given: exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reproduction import Replay


@dataclass
class ClauseFailure(Exception):
    """The server broke clause ``clause_id``; ``replay`` sends the requests that showed it again.

    ``rerun_clauses`` are the clauses a rerun must select to see the failure again (a clause
    that judges the whole run reports answers other clauses' requests drew).
    """

    clause_id: str
    message: str
    replay: Replay | None = None
    seed: int | None = None
    rerun_clauses: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.message}"


@dataclass
class ExchangeError(Exception):
    """An exchange that ended without a usable answer; ``kind`` names how, for callers that care."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class ProviderStateError(Exception):
    """A provider-state setup or teardown did not succeed."""

    action: str
    state: str
    detail: str

    def __str__(self) -> str:
        return f"provider state {self.action} of {self.state!r} failed: {self.detail}"


class ProviderStateNotOffered(ProviderStateError):
    """The provider answered that it has no such action (an optional one: ``read``)."""


@dataclass
class ServerUnreachable(Exception):
    """No HTTP server answers at ``base_url``."""

    base_url: str
    detail: str

    def __str__(self) -> str:
        return f"the server at {self.base_url} cannot be reached: {self.detail}"


@dataclass
class PreflightRefused(Exception):
    """The run's first request showed that no clause can be judged; ``sentence`` says why."""

    sentence: str

    def __str__(self) -> str:
        return self.sentence


class UsageError(ValueError):
    """Options that cannot be run as given (a missing credential, an unknown clause …)."""
