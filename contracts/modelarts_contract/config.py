"""What one contract run is given: the server, the credentials and the run's budget."""

from __future__ import annotations

from dataclasses import dataclass

from .credentials import Credentials

#: Generated cases per operation and generation mode in T1 (the issue's default budget).
DEFAULT_MAX_EXAMPLES = 50
#: Seconds a single request may take; T4's wait for ``Terminated`` is bounded by it too.
DEFAULT_TIMEOUT = 10.0
#: Concurrent terminates T9 sends at one job.
DEFAULT_RACE_REQUESTS = 20


@dataclass(frozen=True)
class FrontDoor:
    """How a user starts a run — the CLI or the pytest plugin — so that hints speak its language."""

    #: The words that start a run through this door.
    command: tuple[str, ...]
    #: What comes before an option's name: ``--`` (``--seed``), ``--contract-`` (``--contract-seed``).
    flag_prefix: str

    def flag(self, name: str) -> str:
        """The option ``name`` as this door spells it (``--token``, ``--contract-token``)."""
        return f"{self.flag_prefix}{name}"


#: ``modelarts-contract run --seed N``.
CLI = FrontDoor(("modelarts-contract", "run"), "--")
#: ``pytest --pyargs modelarts_contract --contract-seed N``.
PYTEST_PLUGIN = FrontDoor(("pytest", "--pyargs", "modelarts_contract"), "--contract-")


@dataclass(frozen=True)
class ContractConfig:
    """Settings of one run of the contract against one server.

    ``state_url`` is the provider-state endpoint (Pact style); without it the clauses that need a
    job in a given phase are skipped. ``other_project_id`` names a second project whose jobs the
    credentials must not touch (T8). ``seed`` makes generated data and random ids reproducible.
    ``workers`` is how many independent cases of one clause run at the same time.
    """

    base_url: str
    project_id: str
    credentials: Credentials
    state_url: str | None = None
    other_project_id: str | None = None
    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int = 0
    timeout: float = DEFAULT_TIMEOUT
    workers: int = 1
    race_requests: int = DEFAULT_RACE_REQUESTS
    clauses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
