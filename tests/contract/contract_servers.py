"""Serving an ASGI app with real uvicorn on 127.0.0.1 for one test, and the emulator's settings."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import Credentials, TokenCredentials
from modelarts_contract.emulator import EmulatorConfig
from modelarts_contract.runner import RunReport, run_contract
from modelarts_contract.states import HttpProviderStates

TOKEN, PROJECT = "tok-1", "proj-1"
OTHER_TOKEN, OTHER_PROJECT = "tok-2", "proj-2"
STATES_PATH = "/_contract/states"


def emulator_config(terminate_seconds: float = 0.3) -> EmulatorConfig:
    """Two projects with a token each, provider states on, jobs that terminate quickly."""
    return EmulatorConfig(
        db_path=":memory:",
        tokens={TOKEN: (PROJECT,), OTHER_TOKEN: (OTHER_PROJECT,)},
        aksk={"AK1": ("SK1", (PROJECT,))},
        terminate_seconds=terminate_seconds,
        states_enabled=True,
    )


@dataclass(frozen=True)
class Served:
    """Where a served app answers."""

    base_url: str

    @property
    def state_url(self) -> str:
        """The provider-state endpoint, when the app has the emulator's."""
        return self.base_url + STATES_PATH


@contextmanager
def serve(app: Any, *, backlog: int = 128) -> Iterator[Served]:
    """Serve ``app`` in a thread on a free loopback port until the block ends.

    ``backlog`` is the listening socket's accept queue: a small one resets connections that
    arrive together, as a busy server does.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it an answer's body waits for the client's delayed ACK (~40 ms a request).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="critical",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,
            backlog=backlog,
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the test server stopped while starting")
            time.sleep(0.01)
        yield Served(f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def run_clauses(
    app: Any,
    *clauses: str,
    other_project: str | None = OTHER_PROJECT,
    credentials: Credentials | None = None,
    seed: int = 1,
    timeout: float = 5.0,
) -> RunReport:
    """Run ``clauses`` on ``app`` as project P (its token unless ``credentials`` are given),
    with its provider states and a fixed seed."""
    with serve(app) as server:
        config = ContractConfig(
            base_url=server.base_url,
            project_id=PROJECT,
            credentials=credentials or TokenCredentials(TOKEN),
            state_url=server.state_url,
            other_project_id=other_project,
            max_examples=5,
            seed=seed,
            timeout=timeout,
            clauses=clauses,
        )
        states = HttpProviderStates(
            server.state_url, config.timeout, credentials=config.credentials
        )
        try:
            return run_contract(config, states, progress=None)
        finally:
            states.close()
