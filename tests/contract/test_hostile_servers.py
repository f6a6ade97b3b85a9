"""Against a server that attacks its client, a run still ends: in time, in bounded memory, with
exit 1 or 2, its JUnit file, no traceback, and the token never printed."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import ExitStack
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


#: Starts the command given after it with its address space limited (no preexec_fn: the
#: servers' threads make forking with one unsafe).
LIMITED = (
    "import os, resource, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE})); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


#: Each hostile server and the exit codes a run against it may end with.
HOSTILE: tuple[tuple[Answer, tuple[int, ...]], ...] = (
    (dripped_body, (1,)),
    (endless_chunked_body, (1,)),
    (deeply_nested_json, (1,)),
    (unauthorized_echoing_token, (2,)),
)


@pytest.mark.slow
def test_each_hostile_server_gets_a_verdict(tmp_path: Path) -> None:
    # The four runs at once: most of their time is spent waiting out the dripped answers.
    command = Path(sys.executable).with_name("modelarts-contract")
    with ExitStack() as stack:
        runs = []
        for answer, exit_codes in HOSTILE:
            folder = tmp_path / answer.__name__
            folder.mkdir()
            base_url = stack.enter_context(hostile_server(answer))
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    LIMITED,
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
                    str(folder / "contract.xml"),
                    "--replay-dir",
                    str(folder / "replays"),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "MODELARTS_TOKEN": SECRET_TOKEN},
                cwd=folder,
            )
            stack.callback(process.kill)
            runs.append((answer.__name__, exit_codes, folder, process))
        for name, exit_codes, folder, process in runs:
            stdout, stderr = process.communicate(timeout=RUN_SECONDS)
            output = stdout + stderr
            assert process.returncode in exit_codes, f"{name}: {output}"
            assert "Traceback" not in output, name
            junit = folder / "contract.xml"
            assert junit.exists(), f"{name}: {output}"
            ET.parse(junit)
            written = [junit, *(folder / "replays").glob("*.json")]
            assert SECRET_TOKEN not in output + "".join(path.read_text() for path in written), name


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
