"""Against a server that attacks its client, a run still ends: in time, in bounded memory, with
exit 1 or 2, its JUnit file, no traceback, and the token never printed."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostile_servers import (
    STATES_PATH,
    Answer,
    deeply_nested_json,
    dripped_body,
    endless_chunked_body,
    hostile_server,
    unauthorized_echoing_token,
)
from modelarts_contract.bounded_http import json_too_deep

SECRET_TOKEN = "hostile-test-token-6f1d2c"
#: The issue's bounds for a run against a hostile server.
RUN_SECONDS = 150
ADDRESS_SPACE = 4 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answer", "exit_codes"),
    [
        (dripped_body, (1,)),
        (endless_chunked_body, (1,)),
        (deeply_nested_json, (1,)),
        (unauthorized_echoing_token, (2,)),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_hostile_server_gets_a_verdict(
    answer: Answer, exit_codes: tuple[int, ...], tmp_path: Path
) -> None:
    junit = tmp_path / "contract.xml"
    command = Path(sys.executable).with_name("modelarts-contract")
    with hostile_server(answer) as base_url:
        run = subprocess.run(
            [
                str(command),
                "run",
                "--base-url",
                base_url,
                "--project-id",
                "p1",
                "--state-url",
                base_url + STATES_PATH,
                "--timeout",
                "3",
                "--max-examples",
                "5",
                "--seed",
                "1",
                "--junit-xml",
                str(junit),
                "--replay-dir",
                str(tmp_path / "replays"),
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=RUN_SECONDS,
            env={**os.environ, "MODELARTS_TOKEN": SECRET_TOKEN},
            preexec_fn=_limit_memory,
            cwd=tmp_path,
        )
    output = run.stdout + run.stderr
    assert run.returncode in exit_codes, output
    assert "Traceback" not in output
    assert junit.exists(), output
    ET.parse(junit)
    written = [junit, *(tmp_path / "replays").glob("*.json")]
    assert SECRET_TOKEN not in output + "".join(path.read_text() for path in written)


def test_nesting_is_measured_outside_strings() -> None:
    assert json_too_deep(b"[" * 100_000 + b"]" * 100_000)
    assert not json_too_deep(b'{"a": "' + b"[" * 1000 + b'"}')
    assert not json_too_deep(b'{"a": [[[1]]]}')
    # An unterminated string is measured in one pass, not once per quote.
    assert not json_too_deep(b'"' + b'\\"' * 200_000 + b"[" * 70)


def test_junit_carries_no_character_xml_forbids(tmp_path: Path) -> None:
    from modelarts_contract.clauses import registered_clauses
    from modelarts_contract.config import ContractConfig
    from modelarts_contract.credentials import TokenCredentials
    from modelarts_contract.report import write_junit
    from modelarts_contract.runner import ClauseResult, RunReport, Status

    config = ContractConfig("http://127.0.0.1:9", "p", TokenCredentials(SECRET_TOKEN))
    clause = registered_clauses()[0]
    report = RunReport(
        config,
        [ClauseResult(clause, Status.FAILED, f"answered 400 \x00\x1b[31m {SECRET_TOKEN}", seed=1)],
    )
    junit = tmp_path / "contract.xml"
    write_junit(report, junit)
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.text is not None
    assert "\x00" not in failure.text and SECRET_TOKEN not in junit.read_text()
