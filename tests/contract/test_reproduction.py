"""Failures come with a replay that shows them again, run as printed, and never holds a secret."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from contract_faults import TerminatesCompletedJob
from contract_servers import PROJECT, TOKEN, emulator_config, serve
from hostile_servers import hostile_server
from modelarts_contract.cli import main
from modelarts_contract.emulator import create_app
from modelarts_contract.errors import UsageError
from modelarts_contract.replay import ReplayTarget, replay_target
from modelarts_contract.reproduction import REPLAY_FORMAT


def test_the_reproduce_command_shows_the_wrong_202_again(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("modelarts-contract")
    environment = {**os.environ, "MODELARTS_TOKEN": TOKEN}
    with serve(TerminatesCompletedJob(create_app(emulator_config()))) as server:
        run = subprocess.run(
            [
                str(command),
                "run",
                "--base-url",
                server.base_url,
                "--project-id",
                PROJECT,
                "--state-url",
                server.state_url,
                "--clause",
                "T2",
                "--seed",
                "5",
                "--replay-dir",
                str(tmp_path / "replays"),
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=120,
            env=environment,
            cwd=tmp_path,
        )
        assert run.returncode == 1, run.stdout + run.stderr
        (line,) = [line for line in run.stdout.splitlines() if "reproduce:" in line]
        reproduce = line.split("reproduce:", 1)[1].strip()
        assert reproduce.startswith("modelarts-contract replay ")
        replay_file = Path(shlex.split(reproduce)[-1])
        assert TOKEN not in replay_file.read_text() and TOKEN not in run.stdout + run.stderr
        document = json.loads(replay_file.read_text())
        assert document["states"][0]["phase"] == "Completed"
        # As printed, with the credentials in the environment (the command is on the venv's PATH).
        path = f"{command.parent}{os.pathsep}{environment.get('PATH', '')}"
        replayed = subprocess.run(
            reproduce,
            shell=True,
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
            env={**environment, "PATH": path},
            cwd=tmp_path,
        )
        assert replayed.returncode == 1, replayed.stdout + replayed.stderr
        assert "prepared a Completed job" in replayed.stdout
        assert "/actions → 202" in replayed.stdout, replayed.stdout
        assert replayed.stdout.splitlines()[-1].startswith("reproduced: T2 fails again")
        assert TOKEN not in replayed.stdout
        # The same file against a server without the fault: the failure is gone.
        with serve(create_app(emulator_config())) as fixed:
            retargeted = subprocess.run(
                [
                    str(command),
                    "replay",
                    str(replay_file),
                    "--base-url",
                    fixed.base_url,
                ],
                capture_output=True,
                check=False,
                text=True,
                timeout=60,
                env=environment,
                cwd=tmp_path,
            )
    assert retargeted.returncode == 0, retargeted.stdout + retargeted.stderr
    assert f"replaying T2 against {fixed.base_url}" in retargeted.stdout
    verdict = retargeted.stdout.splitlines()[-1]
    assert re.match(r"not reproduced: request \d+ \(POST ", verdict) and "status 409" in verdict


def test_replaying_what_is_not_a_replay_file_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)
    other = tmp_path / "contract.xml"
    other.write_text("<testsuites/>")
    assert main(["replay", str(other)]) == 2
    assert main(["replay", str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert "is not JSON" in err and "cannot read" in err and "Traceback" not in err


def _replay_document(base_url: str, path: str, state_url: str | None = None) -> dict[str, object]:
    return {
        "format": REPLAY_FORMAT,
        "clause": "T6",
        "failure": "an unknown job answered 200",
        "seed": 1,
        "base_url": base_url,
        "state_url": state_url,
        "states": [],
        "requests": [
            {
                "method": "GET",
                "path": path,
                "headers": [["X-Auth-Token", "from-the-file"]],
                "auth": "run",
                "auth_project_id": PROJECT,
                "status_seen": 200,
            }
        ],
    }


@pytest.mark.parametrize(
    ("path", "base_path"),
    [
        ("{elsewhere}/v2/p/training-jobs/j", ""),
        ("//{elsewhere_host}/v2/p/training-jobs/j", ""),
        ("/../v2/p/training-jobs/j", "/api"),
        ("v2/p/training-jobs/j", ""),
    ],
    ids=["absolute-url", "scheme-relative", "dot-segments", "not-a-path"],
)
def test_a_replay_file_that_leaves_its_base_url_sends_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    base_path: str,
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)
    received: list[bytes] = []

    def record(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
        received.append(request)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    with hostile_server(record) as base_url, hostile_server(record) as elsewhere:
        target = path.format(elsewhere=elsewhere, elsewhere_host=elsewhere.removeprefix("http://"))
        replay = tmp_path / "T6.json"
        replay.write_text(json.dumps(_replay_document(base_url + base_path, target)))
        assert main(["replay", str(replay)]) == 2
    out, err = capsys.readouterr()
    assert received == [] and out == ""
    (line,) = err.splitlines()
    assert "does not stay on" in line and TOKEN not in line


def test_replay_sends_provider_states_only_where_the_run_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)
    replay = tmp_path / "T6.json"
    replay.write_text(
        json.dumps(
            _replay_document(
                "http://127.0.0.1:9/api",
                "/v2/p/training-jobs/j",
                state_url="http://127.0.0.1:10/_contract/states",
            )
        )
    )
    assert main(["replay", str(replay)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "state_url" in line and "pass --state-url" in line


def test_replay_target_moves_the_state_url_with_the_base_url() -> None:
    document = _replay_document(
        "http://127.0.0.1:9/api", "/x", state_url="http://127.0.0.1:9/api/_contract/states"
    )
    target = replay_target(document, "http://127.0.0.1:8/other", None)
    assert target == ReplayTarget(
        "http://127.0.0.1:8/other", "http://127.0.0.1:8/other/_contract/states"
    )
    assert replay_target(document, None, "http://s/st").state_url == "http://s/st"
    with pytest.raises(UsageError, match="not an http"):
        replay_target(document, "file:///etc", None)


@pytest.mark.parametrize(("status_seen", "code"), [(200, 1), (404, 0)], ids=["same", "changed"])
def test_replay_says_whether_the_recorded_answer_comes_again(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    status_seen: int,
    code: int,
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)

    def unknown_job_found(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    with hostile_server(unknown_job_found) as base_url:
        # A file written before answers were recorded: its statuses alone are compared.
        document = _replay_document(base_url, "/v2/p/training-jobs/j")
        document["requests"][0]["status_seen"] = status_seen  # type: ignore[index]
        replay = tmp_path / "T6.json"
        replay.write_text(json.dumps(document))
        assert main(["replay", str(replay)]) == code
    verdict = capsys.readouterr().out.splitlines()[-1]
    expected = "reproduced: T6 fails again" if code else "not reproduced: request 1 (GET "
    assert verdict.startswith(expected), verdict


def test_a_replay_file_with_a_malformed_entry_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)
    document = _replay_document("http://127.0.0.1:9", "/v2/p/training-jobs/j")
    del document["requests"][0]["auth_project_id"]  # type: ignore[index]
    replay = tmp_path / "T6.json"
    replay.write_text(json.dumps(document))
    assert main(["replay", str(replay)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "requests entry 1 needs method, path, auth_project_id" in line
