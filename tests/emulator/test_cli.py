"""``serve`` from the command line: options, credentials, and the no-configuration start."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import httpx
import pytest
from modelarts_contract.emulator.cli import (
    CredentialError,
    configure_parser,
    parse_aksk,
    parse_token,
    run,
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    configure_parser(parser)
    return parser.parse_args(argv)


def test_token_and_aksk_options_name_their_projects() -> None:
    assert parse_token("tok=proj-1,proj-2") == ("tok", ("proj-1", "proj-2"))
    assert parse_aksk("AK:S/K+=x=proj-1") == ("AK", ("S/K+=x", ("proj-1",)))


@pytest.mark.parametrize("value", ["tok", "=proj", "tok=", "tok= , "])
def test_a_malformed_token_option_is_a_credential_error(value: str) -> None:
    with pytest.raises(CredentialError):
        parse_token(value)


@pytest.mark.parametrize("value", ["AK=proj", "AK:=proj", ":SK=proj", "AK:SK="])
def test_a_malformed_aksk_option_is_a_credential_error(value: str) -> None:
    with pytest.raises(CredentialError):
        parse_aksk(value)


def test_a_bad_option_exits_2_with_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(parse("--aksk", "no-secret=proj", "--db", ":memory:")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --aksk") and "Traceback" not in err


def test_an_unopenable_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("--db", str(tmp_path / "missing-dir" / "jobs.db"), "--port", "0")
    assert run(args) == 2
    assert "cannot open the database" in capsys.readouterr().err


def test_with_no_credentials_it_prints_a_working_token(spawn: Any, tmp_path: Path) -> None:
    server = spawn("--db", str(tmp_path / "jobs.db"))
    lines = [server.process.stdout.readline() for _ in range(2)]
    assert lines[0].startswith("provider states: ")
    assert lines[1].startswith("token for project default-project: ")
    token = lines[1].rsplit(": ", 1)[1].strip()
    setup = {
        "action": "setup",
        "state": "training job",
        "params": {"project_id": "default-project", "phase": "Running"},
    }
    job_id = httpx.post(server.state_url, json=setup, headers={"X-Auth-Token": token}).json()[
        "training_job_id"
    ]
    answer = httpx.post(
        f"{server.base_url}/v2/default-project/training-jobs/{job_id}/actions",
        json={"action_type": "terminate"},
        headers={"X-Auth-Token": token},
    )
    assert answer.status_code == 202, answer.text


def test_the_file_database_outlives_the_server(spawn: Any, tmp_path: Path) -> None:
    args = ("--db", str(tmp_path / "jobs.db"), "--token", "tok-1=proj-1")
    first = spawn(*args)
    setup = {
        "action": "setup",
        "state": "training job",
        "params": {"project_id": "proj-1", "phase": "Failed"},
    }
    job_id = httpx.post(first.state_url, json=setup, headers={"X-Auth-Token": "tok-1"}).json()[
        "training_job_id"
    ]
    first.stop()
    second = spawn(*args)
    answer = httpx.get(
        f"{second.base_url}/v2/proj-1/training-jobs/{job_id}", headers={"X-Auth-Token": "tok-1"}
    )
    assert answer.json()["status"]["phase"] == "Failed"


@pytest.mark.parametrize("argv", [("--port", "70000"), ("--host", "nonexistent.invalid")])
def test_an_address_it_cannot_listen_on_exits_2(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parse(*argv, "--db", ":memory:")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot listen on") and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--terminate-seconds", "nan"), "--terminate-seconds must be a number from 0 to 86400"),
        (("--terminate-seconds", "inf"), "--terminate-seconds must be a number from 0 to 86400"),
        (("--terminate-seconds", "-1"), "--terminate-seconds must be a number from 0 to 86400"),
        (("--terminate-seconds", "1e12"), "--terminate-seconds must be a number from 0 to 86400"),
        (("--fault-retry-after", "-5"), "--fault-retry-after must be a number from 0 to 3600"),
        (("--fault", "429=nan"), "must be a finite number"),
        (("--fault", "429=2"), "must be from 0 to 1"),
        (("--fault", "delay=-1=0.5"), "above 0"),
        (("--fault", "teapot=0.5"), "unknown fault kind 'teapot'"),
        (("--fault", "429=0.7", "--fault", "500=0.7"), "add up to more than 1"),
    ],
)
def test_numbers_out_of_range_exit_2_with_one_line(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parse(*argv, "--db", ":memory:", "--port", "0")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_a_port_or_seed_that_is_not_an_integer_is_an_argparse_error(value: str) -> None:
    for option in ("--port", "--fault-seed"):
        with pytest.raises(SystemExit) as exited:
            parse(option, value)
        assert exited.value.code == 2


def test_binding_beyond_loopback_with_states_on_warns(spawn: Any, tmp_path: Path) -> None:
    server = spawn("--host", "0.0.0.0", "--db", str(tmp_path / "jobs.db"), "--token", "t=p")
    lines = [server.process.stdout.readline() for _ in range(2)]
    assert lines[0].startswith("provider states: ")
    assert lines[1].startswith("warning: the provider-state endpoint is reachable")


def test_fault_options_are_announced_and_applied(spawn: Any, tmp_path: Path) -> None:
    server = spawn("--db", str(tmp_path / "jobs.db"), "--token", "t=p", "--fault", "429=1")
    lines = [server.process.stdout.readline() for _ in range(2)]
    assert lines[1].strip() == "faults: 429=1"
    answer = httpx.get(f"{server.base_url}/v2/p/training-jobs/x", headers={"X-Auth-Token": "t"})
    assert answer.status_code == 429
    assert answer.json()["error_code"] == "ModelArts.2799"
