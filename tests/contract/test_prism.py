"""The Prism mock of the spec answers every request from the spec's examples: the suite fails it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from modelarts_contract.config import ContractConfig
from modelarts_contract.credentials import TokenCredentials
from modelarts_contract.runner import Status, run_contract
from modelarts_contract.states import HttpProviderStates, NoProviderStates

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    if not PRISM.exists() or shutil.which("node") is None:
        pytest.skip("Prism is not installed (npm ci)")
    port = free_port()
    process = subprocess.Popen(
        [
            str(PRISM),
            "mock",
            str(ROOT / "spec" / "openapi.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Prism did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_the_suite_fails_the_prism_mock(prism_url: str) -> None:
    config = ContractConfig(
        base_url=prism_url,
        project_id="proj-1",
        credentials=TokenCredentials("tok-1"),
        max_examples=5,
        seed=1,
        timeout=3.0,
        clauses=("T6", "T8", "T10"),
    )
    report = run_contract(config, NoProviderStates(), progress=None)
    verdicts = {result.clause.id: result for result in report.results}
    assert report.exit_code == 1
    # Prism answers the documented 202 example whatever the id and credentials.
    assert verdicts["T6"].status is Status.FAILED and "answered 202" in verdicts["T6"].message
    assert verdicts["T8"].status is Status.FAILED
    assert verdicts["T10"].status is Status.FAILED


@pytest.mark.slow
def test_prism_fails_even_when_its_missing_state_endpoint_is_named(prism_url: str) -> None:
    # Prism has no provider-state endpoint: setup fails (a run error), yet the clauses that
    # need no states still fail it, and a failed clause decides the exit code.
    config = ContractConfig(
        base_url=prism_url,
        project_id="proj-1",
        credentials=TokenCredentials("tok-1"),
        state_url=prism_url + "/_contract/states",
        max_examples=5,
        seed=1,
        timeout=3.0,
        clauses=("T2", "T6", "T10"),
    )
    states = HttpProviderStates(
        prism_url + "/_contract/states", config.timeout, credentials=config.credentials
    )
    try:
        report = run_contract(config, states, progress=None)
    finally:
        states.close()
    verdicts = {result.clause.id: result.status for result in report.results}
    assert report.aborted is not None
    assert verdicts == {"T2": Status.ERROR, "T6": Status.FAILED, "T10": Status.FAILED}
    assert report.exit_code == 1
