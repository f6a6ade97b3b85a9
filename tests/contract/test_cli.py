"""The ``modelarts-contract`` command: verdicts and exit codes against the emulator."""

from __future__ import annotations

import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from contract_servers import OTHER_PROJECT, PROJECT, TOKEN, Served, emulator_config, serve
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.cli import main
from modelarts_contract.emulator import create_app

#: How many clauses a full run reports.
CLAUSES = len(registered_clauses())


@pytest.fixture(scope="module")
def emulator() -> Iterator[Served]:
    with serve(create_app(emulator_config())) as server:
        yield server


def run_args(server: Served, *extra: str) -> list[str]:
    return [
        "run",
        "--base-url",
        server.base_url,
        "--project-id",
        PROJECT,
        *extra,
        "--max-examples",
        "5",
        "--seed",
        "3",
        "--timeout",
        "5",
    ]


def test_emulator_passes_every_clause(
    emulator: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "reports" / "contract.xml"
    code = main(
        run_args(
            emulator,
            "--token",
            TOKEN,
            "--state-url",
            emulator.state_url,
            "--other-project-id",
            OTHER_PROJECT,
            "--junit-xml",
            str(junit),
        )
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{CLAUSES} passed, 0 partial, 0 failed, 0 skipped" in out
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == str(CLAUSES) and suite.get("failures") == "0"
    assert junit.stat().st_mode & 0o044 == 0o044, "CI's other steps must be able to read it"


def test_an_unwritable_junit_path_is_exit_2_without_a_traceback(
    emulator: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(
        run_args(
            emulator, "--token", TOKEN, "--clause", "T6", "--junit-xml", str(blocker / "x.xml")
        )
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot write JUnit XML" in err and "Traceback" not in err


def test_aksk_signed_requests_pass(emulator: Served, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        run_args(
            emulator,
            "--ak",
            "AK1",
            "--sk",
            "SK1",
            "--state-url",
            emulator.state_url,
            "--clause",
            "T8",
            "--clause",
            "T2",
            "--clause",
            "schema",
        )
    )
    assert code == 0, capsys.readouterr().out


def test_without_state_url_stateful_clauses_are_skipped(
    emulator: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(run_args(emulator, "--token", TOKEN))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "T2   phase_gate" in out and "skipped: needs provider states" in out
    assert "2 passed, 2 partial, 0 failed, 7 skipped" in out


def test_a_failed_provider_state_is_a_run_error(
    emulator: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        run_args(emulator, "--token", TOKEN, "--state-url", emulator.base_url + "/no-states")
    )
    captured = capsys.readouterr()
    assert code == 2
    assert "provider state setup" in captured.out


def test_unreachable_server_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = main(
        ["run", "--base-url", f"http://127.0.0.1:{port}", "--project-id", "p", "--token", "t"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot be reached" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--base-url", "http://127.0.0.1:9", "--project-id", "p"],
        ["run", "--base-url", "http://127.0.0.1:9", "--project-id", "p", "--ak", "A"],
        [
            "run",
            "--base-url",
            "http://127.0.0.1:9",
            "--project-id",
            "p",
            "--token",
            "t",
            "--ak",
            "A",
            "--sk",
            "S",
        ],
        ["run", "--base-url", "127.0.0.1:9", "--project-id", "p", "--token", "t"],
        [
            "run",
            "--base-url",
            "http://127.0.0.1:9",
            "--project-id",
            "p",
            "--token",
            "t",
            "--clause",
            "T11",
        ],
        [
            "run",
            "--base-url",
            "http://127.0.0.1:9",
            "--project-id",
            "p",
            "--token",
            "t",
            "--max-examples",
            "0",
        ],
        ["run", "--project-id", "p", "--token", "t"],
        ["launch"],
    ],
    ids=[
        "no-credentials",
        "ak-without-sk",
        "token-and-aksk",
        "not-a-url",
        "unknown-clause",
        "zero-examples",
        "no-base-url",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2_without_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_installed_command_exit_codes(emulator: Served) -> None:
    command = Path(sys.executable).with_name("modelarts-contract")
    passing = subprocess.run(
        [str(command), *run_args(emulator, "--token", TOKEN, "--state-url", emulator.state_url)],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert f"[1/{CLAUSES}]" in passing.stderr
    refused = subprocess.run(
        [str(command), *run_args(emulator, "--token", "not-a-token", "--clause", "T6")],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "the server refused these credentials" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_wrong_token_is_exit_2_not_clause_failures(
    emulator: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "contract.xml"
    code = main(
        run_args(
            emulator,
            "--token",
            "wrong-token-value",
            "--state-url",
            emulator.state_url,
            "--junit-xml",
            str(junit),
        )
    )
    captured = capsys.readouterr()
    assert code == 2
    assert "the server refused these credentials" in captured.err and "401" in captured.err
    assert "FAIL" not in captured.out
    assert "wrong-token-value" not in captured.out + captured.err + junit.read_text()
    (case,) = ET.parse(junit).getroot().iter("testcase")
    assert case.get("name") == "preflight" and case.find("error") is not None


def test_demo_starts_the_emulator_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--max-examples", "5", "--seed", "1"]) == 0
    assert f"{CLAUSES} passed" in capsys.readouterr().out


def test_serve_starts_the_emulator_until_interrupted() -> None:
    command = Path(sys.executable).with_name("modelarts-contract")
    server = subprocess.Popen(
        [str(command), "serve", "--port", "0", "--db", ":memory:", "--token", f"{TOKEN}={PROJECT}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        base_url = first.rsplit(" ", 1)[-1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert main(run_args(Served(base_url), "--token", TOKEN, "--clause", "T6")) == 0
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--no-such-option"]) == 2
    assert "Traceback" not in capsys.readouterr().err
