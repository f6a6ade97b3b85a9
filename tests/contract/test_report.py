"""The report as a person reads it: each clause with its promise, hints in the run's own options."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.cli import main
from modelarts_contract.config import CLI, PYTEST_PLUGIN, ContractConfig, FrontDoor
from modelarts_contract.credentials import TokenCredentials
from modelarts_contract.report import render_table, rerun_hint, write_junit
from modelarts_contract.runner import ClauseResult, RunReport, Status

CLAUSES = {clause.id: clause for clause in registered_clauses()}


def _report() -> RunReport:
    config = ContractConfig(
        "http://127.0.0.1:9", "p1", TokenCredentials("secret-token-9c1e"), seed=4
    )
    return RunReport(
        config,
        [
            ClauseResult(CLAUSES["T5"], Status.PASSED, seconds=1.25),
            ClauseResult(
                CLAUSES["T6"],
                Status.FAILED,
                "terminate of an unknown job answered 200",
                seed=4,
                seconds=0.5,
                rerun_clauses=("T6",),
            ),
            ClauseResult(CLAUSES["T2"], Status.SKIPPED, "needs provider states", seconds=0.0),
        ],
    )


def test_each_clause_line_carries_its_promise_and_what_kept_it_from_passing() -> None:
    lines = render_table(_report()).splitlines()
    t5 = next(line for line in lines if line.lstrip().startswith("T5 "))
    assert t5.split()[:3] == ["T5", "refusal_changes_nothing", "pass"]
    assert t5.endswith(CLAUSES["T5"].summary)
    t6 = lines.index(next(line for line in lines if line.lstrip().startswith("T6 ")))
    assert lines[t6].endswith(CLAUSES["T6"].summary)
    assert lines[t6 + 1].strip() == "↳ terminate of an unknown job answered 200"
    assert any(line.strip() == "↳ skipped: needs provider states" for line in lines)


@pytest.mark.parametrize(
    ("door", "hint"),
    [(CLI, "--seed 4 --clause T6"), (PYTEST_PLUGIN, "--contract-seed 4 --contract-clause T6")],
    ids=["cli", "pytest-plugin"],
)
def test_hints_speak_the_options_of_the_door_the_run_came_through(
    door: FrontDoor, hint: str
) -> None:
    report = _report()
    report.door = door
    failed = report.results[1]
    assert rerun_hint(failed, report.door) == hint
    assert f"(rerun with {hint})" in render_table(report)
    assert f"{report.door.flag('base-url')} http://127.0.0.1:9" in render_table(report)


def test_junit_times_each_clause_by_its_own_duration(tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    write_junit(_report(), junit)
    times = {case.get("name"): case.get("time") for case in ET.parse(junit).iter("testcase")}
    assert times == {
        "T5 refusal_changes_nothing": "1.250",
        "T6 unknown_job": "0.500",
        "T2 phase_gate": "0.000",
    }


def test_running_out_of_memory_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def exhausted(args: object) -> int:
        raise MemoryError

    monkeypatch.setattr("modelarts_contract.cli._run", exhausted)
    code = main(["run", "--base-url", "http://127.0.0.1:9", "--project-id", "p1"])
    assert code == 2
    assert capsys.readouterr().err == "modelarts-contract: error: out of memory\n"
