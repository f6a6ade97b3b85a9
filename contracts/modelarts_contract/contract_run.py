"""The one way to build a run, for every front door (the CLI, the pytest plugin, ``replay``).

:class:`RunOptions` is what a user gave, as given; :func:`build_run` checks it, reads the
credentials (options first, then the environment), picks the seed and opens the provider
states; :class:`ContractRun` runs the contract and closes what it opened.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self, TextIO

from .config import CLI, DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, ContractConfig, FrontDoor
from .credentials import Credentials, credentials_from
from .errors import UsageError
from .runner import RunReport, run_contract, select_clauses
from .states import HttpProviderStates, NoProviderStates, ProviderStates


@dataclass(frozen=True)
class RunOptions:
    """A run as a user described it, through ``door`` (whose spelling of options errors use)."""

    base_url: str | None
    project_id: str | None
    token: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    state_url: str | None = None
    other_project_id: str | None = None
    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    workers: int = 1
    clauses: tuple[str, ...] = ()
    strict: bool = False
    replay_dir: str | None = None
    door: FrontDoor = CLI

    def flag(self, name: str) -> str:
        """The option ``name`` as this front door spells it (``--token``, ``--contract-token``)."""
        return self.door.flag(name)


@dataclass
class ContractRun:
    """A checked, ready run: its configuration and provider states; close it when done."""

    config: ContractConfig
    states: ProviderStates
    strict: bool = False
    replay_dir: Path | None = None
    door: FrontDoor = CLI
    _closers: list[HttpProviderStates] = field(default_factory=list)

    def execute(self, progress: TextIO | None = sys.stderr) -> RunReport:
        """Run the contract."""
        report = run_contract(self.config, self.states, progress, strict=self.strict)
        report.door = self.door
        return report

    def replay_directory(self) -> Path:
        """Where replay files go: the chosen folder, or a new private temporary one."""
        if self.replay_dir is None:
            self.replay_dir = Path(tempfile.mkdtemp(prefix="modelarts-contract-replays-"))
        return self.replay_dir

    def close(self) -> None:
        """Close the provider-state connections."""
        for states in self._closers:
            states.close()
        self._closers.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def build_run(
    options: RunOptions,
    environ: Mapping[str, str],
    *,
    credentials: Credentials | None = None,
) -> ContractRun:
    """Check ``options`` and assemble the run; :class:`UsageError` says what is wrong.

    ``credentials`` replaces the ones the options and the environment give (the demo's own).
    """
    if not options.base_url:
        raise UsageError(f"{options.flag('base-url')} is required")
    if not options.base_url.startswith(("http://", "https://")):
        raise UsageError(f"{options.flag('base-url')} {options.base_url!r} is not an http(s) URL")
    if not options.project_id:
        raise UsageError(f"{options.flag('project-id')} is required")
    if options.state_url and not options.state_url.startswith(("http://", "https://")):
        raise UsageError(f"{options.flag('state-url')} {options.state_url!r} is not an http(s) URL")
    if options.max_examples < 1:
        raise UsageError(f"{options.flag('max-examples')} must be at least 1")
    if options.workers < 1:
        raise UsageError(f"{options.flag('workers')} must be at least 1")
    if not options.timeout > 0:
        raise UsageError(f"{options.flag('timeout')} must be above 0")
    select_clauses(options.clauses)
    if credentials is None:
        credentials = credentials_from(
            options.token,
            options.access_key,
            options.secret_key,
            environ,
            flag_names=(options.flag("token"), options.flag("ak"), options.flag("sk")),
        )
    config = ContractConfig(
        base_url=options.base_url,
        project_id=options.project_id,
        credentials=credentials,
        state_url=options.state_url,
        other_project_id=options.other_project_id,
        max_examples=options.max_examples,
        seed=options.seed if options.seed is not None else random.randrange(2**31),
        timeout=options.timeout,
        workers=options.workers,
        clauses=options.clauses,
    )
    run = ContractRun(
        config,
        NoProviderStates(),
        strict=options.strict,
        replay_dir=Path(options.replay_dir) if options.replay_dir else None,
        door=options.door,
    )
    if config.state_url:
        states = provider_states(config.state_url, config)
        run.states = states
        run._closers.append(states)
    return run


def provider_states(state_url: str, config: ContractConfig) -> HttpProviderStates:
    """The provider states at ``state_url`` for a run (or a replay) with ``config``."""
    return HttpProviderStates(state_url, config.timeout, credentials=config.credentials)
