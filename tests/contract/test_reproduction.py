"""Failures come with a replay that shows them again, run as printed, and never holds a secret."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from contract_faults import TerminatesCompletedJob
from contract_servers import PROJECT, TOKEN, emulator_config, serve
from modelarts_contract.cli import main
from modelarts_contract.emulator import create_app


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
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "prepared a Completed job" in replayed.stdout
    assert "/actions → 202" in replayed.stdout, replayed.stdout
    assert TOKEN not in replayed.stdout


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
