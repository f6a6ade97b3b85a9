"""Against a server that attacks its client, a run still ends: in time, in bounded memory, with
exit 1 or 2, its JUnit file, no traceback, and no 20 characters of the token printed, however
the server re-encoded it."""

from __future__ import annotations

import base64
import os
import random
import string
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
    echoing_token_in_forms,
    endless_chunked_body,
    hostile_server,
    stacked_gzip_bomb,
    unauthorized_echoing_token,
)
from modelarts_contract.bounded_http import json_too_deep

SECRET_TOKEN = "hostile-test-token-6f1d2c"
#: A long token with what encodings change (a slash, a plus, a space), as a server echoes it.
LONG_TOKEN = (
    "tk/"
    + "".join(random.Random(14).choices(string.ascii_letters + string.digits + "/+= -_.", k=1994))
    + "+end"
)
#: Characters of a secret in a row that count as leaking it.
LEAK_LENGTH = 20
#: The issue's bounds for a run against a hostile server.
RUN_SECONDS = 150
ADDRESS_SPACE = 4 * 1024**3
PEAK_RSS = 1024**3


#: Runs the command given after the output file with its address space limited, then writes the
#: command's peak resident memory (bytes) to that file. No preexec_fn: the servers' threads make
#: forking with one unsafe.
LIMITED = (
    "import resource, subprocess, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE})); "
    "code = subprocess.call(sys.argv[2:]); "
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024; "
    "open(sys.argv[1], 'w').write(str(peak)); "
    "sys.exit(code)"
)


#: Each hostile server, the exit codes a run against it may end with, and the token it is given.
HOSTILE: tuple[tuple[Answer, tuple[int, ...], str], ...] = (
    (dripped_body, (1,), SECRET_TOKEN),
    (endless_chunked_body, (1,), SECRET_TOKEN),
    (deeply_nested_json, (1,), SECRET_TOKEN),
    (unauthorized_echoing_token, (2,), LONG_TOKEN),
    (echoing_token_in_forms, (1, 2), LONG_TOKEN),
    (stacked_gzip_bomb, (1,), SECRET_TOKEN),
)


def leaked(secret: str, text: str) -> str | None:
    """The first run of :data:`LEAK_LENGTH` characters of ``secret`` found in ``text``, or of
    its bytes in base64 (at each alignment in a longer base64 text) or hex."""
    data = secret.encode()
    encoded = [data.hex()] + [
        encode(bytes(offset) + data).decode()[4 if offset else 0 :]
        for offset in range(3)
        for encode in (base64.b64encode, base64.urlsafe_b64encode)
    ]
    for form in (secret, *encoded):
        for start in range(len(form) - LEAK_LENGTH + 1):
            if form[start : start + LEAK_LENGTH] in text:
                return form[start : start + LEAK_LENGTH]
    return None


@pytest.mark.slow
def test_each_hostile_server_gets_a_verdict(tmp_path: Path) -> None:
    # The runs at once: most of their time is spent waiting out the dripped answers.
    command = Path(sys.executable).with_name("modelarts-contract")
    with ExitStack() as stack:
        runs = []
        for answer, exit_codes, token in HOSTILE:
            folder = tmp_path / answer.__name__
            folder.mkdir()
            base_url = stack.enter_context(hostile_server(answer))
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    LIMITED,
                    str(folder / "peak-rss"),
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
                env={**os.environ, "MODELARTS_TOKEN": token},
                cwd=folder,
            )
            stack.callback(process.kill)
            runs.append((answer.__name__, exit_codes, token, folder, process))
        for name, exit_codes, token, folder, process in runs:
            stdout, stderr = process.communicate(timeout=RUN_SECONDS)
            output = stdout + stderr
            assert process.returncode in exit_codes, f"{name}: {output}"
            assert "Traceback" not in output and "MemoryError" not in output, name
            assert int((folder / "peak-rss").read_text()) < PEAK_RSS, name
            junit = folder / "contract.xml"
            assert junit.exists(), f"{name}: {output}"
            ET.parse(junit)
            written = [junit, *(folder / "replays").glob("*.json")]
            everything = output + "".join(path.read_text() for path in written)
            assert leaked(token, everything) is None, f"{name}: {leaked(token, everything)}"


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
