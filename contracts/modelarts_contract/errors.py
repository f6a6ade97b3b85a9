"""Errors of a contract run, as typed values.

- :class:`ClauseFailure` — the server broke a clause: reported in the table, exit 1.
- :class:`ProviderStateError` — the provider-state endpoint could not prepare a job: an error of
  the run, not of the server under test, exit 2.
- :class:`ServerUnreachable` — nothing answers at the base URL: exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ClauseFailure(Exception):
    """The server broke clause ``clause_id``; ``curl`` reproduces the request that showed it."""

    clause_id: str
    message: str
    curl: str | None = None
    seed: int | None = None

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.message}"


@dataclass
class ProviderStateError(Exception):
    """A provider-state setup or teardown did not succeed."""

    action: str
    state: str
    detail: str

    def __str__(self) -> str:
        return f"provider state {self.action} of {self.state!r} failed: {self.detail}"


@dataclass
class ServerUnreachable(Exception):
    """No HTTP server answers at ``base_url``."""

    base_url: str
    detail: str

    def __str__(self) -> str:
        return f"the server at {self.base_url} cannot be reached: {self.detail}"
