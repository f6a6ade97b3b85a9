"""A job's id is whatever string the server gives: the run puts it in a path as one segment."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from contract_faults import TerminatesCompletedJob
from contract_servers import PROJECT, TOKEN, emulator_config, run_clauses, serve
from modelarts_contract.cli import main
from modelarts_contract.emulator import create_app, jobs
from modelarts_contract.runner import Status
from modelarts_contract.spec import TERMINATE_PATH, job_url_path

# After the UUID, so the emulator's job name (the id's first 8 characters) stays valid.
ODD_TAILS = ("/a/b", "%2F", "%", " sp ace", "?q=1", "#frag", ";semi", "+plus", "-ünï-ß", "/")


def test_an_id_is_one_percent_encoded_segment_as_the_official_sdk_puts_it() -> None:
    assert job_url_path(TERMINATE_PATH, "p", "a/b %2F?#ü") == (
        "/v2/p/training-jobs/a%2Fb%20%252F%3F%23%C3%BC/actions"
    )


@pytest.fixture
def odd_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    tails = itertools.cycle(ODD_TAILS)
    monkeypatch.setattr(jobs, "uuid", SimpleNamespace(uuid4=lambda: f"{uuid.uuid4()}{next(tails)}"))


def test_a_server_whose_ids_hold_slashes_percents_and_more_passes(odd_ids: Any) -> None:
    # Before: ids went into paths raw, so a correct server failed T2–T9 and T11 with 404s.
    clauses = ("T2", "T3", "T6", "T7", "T8", "T11")
    report = run_clauses(create_app(emulator_config()), *clauses)
    assert [(r.clause.id, r.status) for r in report.results] == [
        (clause, Status.PASSED) for clause in clauses
    ], report.results


def test_a_failure_on_such_an_id_is_replayed_on_a_new_job_of_the_kind(
    odd_ids: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # In-process: the odd ids come from this process's emulator.
    monkeypatch.setenv("MODELARTS_TOKEN", TOKEN)
    replays = tmp_path / "replays"
    with serve(TerminatesCompletedJob(create_app(emulator_config()))) as server:
        flags = ["--base-url", server.base_url, "--project-id", PROJECT]
        flags += ["--state-url", server.state_url]
        assert main(["run", *flags, "--clause", "T2", "--replay-dir", str(replays)]) == 1
        (replay,) = replays.iterdir()
        recorded = json.loads(replay.read_text())["requests"]
        assert all("{" in step["path"] for step in recorded), recorded
        capsys.readouterr()
        assert main(["replay", str(replay)]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("reproduced: T2 fails again")
