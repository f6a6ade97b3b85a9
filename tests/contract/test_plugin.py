"""The pytest plugin: ``pytest --pyargs modelarts_contract`` runs one test per clause."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from contract_faults import UnknownJobAccepted
from contract_servers import OTHER_PROJECT, PROJECT, TOKEN, emulator_config, serve
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.emulator import create_app


def pytest_run(
    tmp_path: Path, *options: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # A separate folder, so that only the contract's own test module is collected.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--pyargs",
            "modelarts_contract",
            "-p",
            "no:cacheprovider",
            "-q",
            *options,
        ],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        env={**os.environ, **(environment or {})},
    )


def test_one_junit_test_per_clause_against_the_emulator(tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    with serve(create_app(emulator_config())) as server:
        result = pytest_run(
            tmp_path,
            "--contract-base-url",
            server.base_url,
            "--contract-project-id",
            PROJECT,
            "--contract-token",
            TOKEN,
            "--contract-state-url",
            server.state_url,
            "--contract-other-project-id",
            OTHER_PROJECT,
            "--contract-max-examples",
            "5",
            f"--junitxml={junit}",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    root = ET.parse(junit).getroot()
    cases = list(root.iter("testcase"))
    # Each clause's own time, not the whole run on the first test (whose setup ran it) and a
    # test's bare bookkeeping on the rest: every clause sends requests, none is that quick.
    times = {case.get("name", ""): float(case.get("time", "0")) for case in cases}
    assert all(seconds >= 0.005 for seconds in times.values()), times
    suite = root.find("testsuite")
    assert suite is not None and sum(times.values()) <= float(suite.get("time", "0")), times
    assert sorted(case.get("name", "") for case in cases) == sorted(
        f"test_clause[T{n}-{name}]"
        for n, name in enumerate(
            [
                "schema",
                "phase_gate",
                "terminate_body",
                "state_change",
                "refusal_changes_nothing",
                "unknown_job",
                "bad_requests",
                "auth",
                "races",
                "error_format",
                "client_requests",
            ],
            1,
        )
    )


def test_a_failing_clause_fails_its_test(tmp_path: Path) -> None:
    with serve(UnknownJobAccepted(create_app(emulator_config()))) as server:
        result = pytest_run(
            tmp_path,
            "--contract-base-url",
            server.base_url,
            "--contract-project-id",
            PROJECT,
            "--contract-token",
            TOKEN,
            "--contract-clause",
            "T6",
            "--contract-replay-dir",
            str(tmp_path / "replays"),
        )
    assert result.returncode == 1
    assert "FAILED" in result.stdout and "T6-unknown_job" in result.stdout
    assert "reproduce: modelarts-contract replay" in result.stdout
    # The rerun hint speaks the plugin's options, not the CLI's.
    assert "(rerun with --contract-seed " in result.stdout
    assert "--contract-clause T6)" in result.stdout and " --clause T6" not in result.stdout


def test_refused_credentials_fail_every_test_with_one_sentence(tmp_path: Path) -> None:
    with serve(create_app(emulator_config())) as server:
        result = pytest_run(
            tmp_path,
            "--contract-base-url",
            server.base_url,
            "--contract-project-id",
            PROJECT,
            "--contract-max-examples",
            "5",
            # The token from the environment, as CI sets it.
            environment={"MODELARTS_TOKEN": "wrong-token-value"},
        )
    assert result.returncode == 1
    assert "the server refused these credentials" in result.stdout
    assert "wrong-token-value" not in result.stdout + result.stderr


def test_partial_clauses_skip_and_fail_with_strict(tmp_path: Path) -> None:
    with serve(create_app(emulator_config())) as server:
        options = [
            "--contract-base-url",
            server.base_url,
            "--contract-project-id",
            PROJECT,
            "--contract-clause",
            "T8",
            "-rs",
        ]
        lenient = pytest_run(tmp_path, *options, environment={"MODELARTS_TOKEN": TOKEN})
        strict = pytest_run(
            tmp_path, *options, "--contract-strict", environment={"MODELARTS_TOKEN": TOKEN}
        )
    assert lenient.returncode == 0, lenient.stdout
    assert "partial: " in lenient.stdout and "cross-project isolation" in lenient.stdout
    assert strict.returncode == 1, strict.stdout


def test_without_a_base_url_the_contract_tests_skip(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "-rs")
    assert result.returncode == 0, result.stdout
    assert f"{len(registered_clauses())} skipped" in result.stdout
