"""Emulators for the tests: in a thread for behaviour, in a subprocess for crashes and races."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from modelarts_contract.emulator import EmulatorConfig, RunningEmulator, serve_in_thread

PROJECT = "proj-1"
OTHER_PROJECT = "proj-2"
TOKEN = "tok-1"
OTHER_TOKEN = "tok-2"
ACCESS_KEY = "AK1"
SECRET_KEY = "SK1"


def config(**overrides: Any) -> EmulatorConfig:
    """The tests' emulator: one token and one AK/SK per project."""
    settings: dict[str, Any] = {
        "tokens": {TOKEN: (PROJECT,), OTHER_TOKEN: (OTHER_PROJECT,)},
        "aksk": {ACCESS_KEY: (SECRET_KEY, (PROJECT,))},
        "terminate_seconds": 60.0,
    }
    settings.update(overrides)
    return EmulatorConfig(**settings)


@pytest.fixture
def emulator_config() -> Any:
    """``config`` itself: the tests' credentials, with overrides."""
    return config


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    """One emulator per test module, jobs stay slow to finish terminating."""
    with serve_in_thread(config()) as server:
        yield server


@pytest.fixture
def client(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    """An httpx client for the emulator, with no credentials."""
    with httpx.Client(base_url=emulator.base_url) as http:
        yield http


@pytest.fixture(scope="session")
def states_client() -> Iterator[httpx.Client]:
    """One client for every provider-state call (a new httpx client per call costs ~40 ms)."""
    with httpx.Client() as http:
        yield http


#: The token the tests' provider-state requests carry for each project.
STATE_TOKENS = {PROJECT: TOKEN, OTHER_PROJECT: OTHER_TOKEN}


def create_job(
    http: httpx.Client, state_url: str, phase: str, project_id: str, **extra: str
) -> str:
    """Create a job in ``phase`` through the provider-state endpoint, as its project; its id."""
    params = {"project_id": project_id, "phase": phase, **extra}
    answer = http.post(
        state_url,
        json={"action": "setup", "state": "training job", "params": params},
        headers={"X-Auth-Token": STATE_TOKENS[project_id]},
    )
    assert answer.status_code == 201, answer.text
    job_id: str = answer.json()["training_job_id"]
    return job_id


@pytest.fixture
def new_job(emulator: RunningEmulator, states_client: httpx.Client) -> Any:
    """Create a job in a phase (in ``proj-1`` unless told) on the module's emulator; its id."""

    def _new_job(phase: str, project_id: str = PROJECT, **extra: str) -> str:
        return create_job(states_client, emulator.state_url, phase, project_id, **extra)

    return _new_job


@pytest.fixture
def make_job(states_client: httpx.Client) -> Any:
    """Create a job on any emulator, given its state URL: ``make_job(state_url, phase)``."""

    def _make_job(state_url: str, phase: str, project_id: str = PROJECT, **extra: str) -> str:
        return create_job(states_client, state_url, phase, project_id, **extra)

    return _make_job


@dataclass
class EmulatorProcess:
    """An emulator started with its CLI in a separate process."""

    process: subprocess.Popen[str]
    base_url: str

    @property
    def state_url(self) -> str:
        """The provider-state endpoint."""
        return self.base_url + "/_contract/states"

    def kill(self) -> None:
        """``kill -9``: no chance to flush or close anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it if still running."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_process(*args: str) -> EmulatorProcess:
    """Run ``python -m modelarts_contract.emulator --port 0 ARGS`` and wait for its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "modelarts_contract.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if "listening on " not in first:
        process.kill()
        raise AssertionError(f"the emulator did not start: {first}{process.stdout.read()}")
    return EmulatorProcess(process, first.rsplit("listening on ", 1)[1].strip())


@pytest.fixture
def spawn() -> Iterator[Any]:
    """Start emulator processes; every one is stopped after the test."""
    started: list[EmulatorProcess] = []

    def _spawn(*args: str) -> EmulatorProcess:
        running = start_process(*args)
        started.append(running)
        return running

    yield _spawn
    for running in started:
        running.stop()
