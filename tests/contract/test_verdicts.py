"""Verdicts say exactly what was checked: partial where only part could be, and which clauses a
rerun needs."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from contract_faults import CreateTimeAsString, Exchange, Fault
from contract_servers import OTHER_PROJECT, PROJECT, emulator_config, serve
from contract_servers import run_clauses as _run
from modelarts_contract.clauses import registered_clauses
from modelarts_contract.emulator import create_app
from modelarts_contract.report import render_table
from modelarts_contract.runner import Status


class WithoutGet(Fault):
    """A server that implements only the documented terminate: GET of a job is 405."""

    async def after(self, exchange: Exchange) -> None:
        if exchange.get_target():
            exchange.status = 405
            exchange.set_json({"error_code": "APIG.0102", "error_msg": "method not allowed"})


def test_without_get_state_change_is_partial_not_pass() -> None:
    report = _run(WithoutGet(create_app(emulator_config())), "T4")
    (result,) = report.results
    assert result.status is Status.PARTIAL, result
    assert "no GET" in result.message
    assert "0 passed, 1 partial" in render_table(report)


def test_without_get_the_clauses_that_compare_stored_jobs_are_partial_never_failed() -> None:
    report = _run(WithoutGet(create_app(emulator_config())), "T2", "T3", "T7", "T11")
    for result in report.results:
        assert result.status is Status.PARTIAL, result
        assert "no GET" in result.message
    assert report.exit_code == 0


def test_without_another_project_auth_is_partial_and_strict_fails_it() -> None:
    report = _run(create_app(emulator_config()), "T8", other_project=None)
    (result,) = report.results
    assert result.status is Status.PARTIAL
    assert "cross-project isolation was not checked" in result.message
    assert report.exit_code == 0
    report.strict = True
    assert report.exit_code == 1


def test_a_schema_violation_drawn_by_another_clause_names_both_for_a_rerun() -> None:
    report = _run(CreateTimeAsString(create_app(emulator_config())), "T1", "T3")
    t1 = next(r for r in report.results if r.clause.id == "T1")
    assert t1.status is Status.FAILED
    assert t1.rerun_clauses == ("T1", "T3")
    assert "--clause T1 --clause T3" in render_table(report)


def test_aksk_from_the_environment_passes_and_the_secret_is_never_written(tmp_path: Path) -> None:
    secret = "SK-environment-secret-31f9"
    access_key = "AK-environment-7c2e"
    config = emulator_config()
    config.aksk[access_key] = (secret, (PROJECT,))
    junit = tmp_path / "contract.xml"
    command = Path(sys.executable).with_name("modelarts-contract")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MODELARTS_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
    }
    environment |= {"HUAWEICLOUD_SDK_AK": access_key, "HUAWEICLOUD_SDK_SK": secret}
    with serve(create_app(config)) as server:
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
                "--other-project-id",
                OTHER_PROJECT,
                "--max-examples",
                "5",
                "--seed",
                "2",
                "--strict",
                "--junit-xml",
                str(junit),
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=240,
            env=environment,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(registered_clauses())} passed, 0 partial, 0 failed, 0 skipped" in run.stdout
    ET.parse(junit)
    assert secret not in run.stdout + run.stderr + junit.read_text()
