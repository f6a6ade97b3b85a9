"""The end of a run as people and CI read it: a table of clauses, failures with reproductions, JUnit.

Everything here leaves the process, so every text goes through the run's redaction: a server
that echoes the token in an error message does not get it printed.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from .config import CLI, FrontDoor
from .reproduction import dumps, replay_command, write_replay_file
from .runner import ClauseResult, RunReport, Status

#: Characters XML 1.0 does not allow.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The table's detail column is cut here; the full message follows the table.
_DETAIL_WIDTH = 110
_MARK = {
    Status.PASSED: "pass",
    Status.PARTIAL: "part",
    Status.FAILED: "FAIL",
    Status.SKIPPED: "skip",
    Status.ERROR: "ERROR",
}


def write_replays(report: RunReport, directory: Path) -> dict[str, Path]:
    """Write a replay file for each failure that has one; the files by clause id."""
    written: dict[str, Path] = {}
    for result in report.results:
        if result.status is not Status.FAILED or result.replay is None:
            continue
        document = result.replay.document(
            clause=result.clause.id,
            message=result.message,
            base_url=report.config.base_url,
            state_url=report.config.state_url,
            seed=result.seed,
        )
        text = report.redact(dumps(document))
        written[result.clause.id] = write_replay_file(
            directory, f"{result.clause.id}-seed{report.config.seed}", document, text
        )
    return written


def rerun_command(report: RunReport, clauses: tuple[str, ...]) -> str:
    """The command that repeats the run for ``clauses`` through the run's own front door
    (``modelarts-contract run …`` or ``pytest --pyargs modelarts_contract …``), credentials
    from the environment."""
    config, door = report.config, report.door
    words = [*door.command, door.flag("base-url"), config.base_url]
    words += [door.flag("project-id"), config.project_id]
    if config.state_url:
        words += [door.flag("state-url"), config.state_url]
    if config.other_project_id:
        words += [door.flag("other-project-id"), config.other_project_id]
    words += [door.flag("seed"), str(config.seed)]
    words += [door.flag("max-examples"), str(config.max_examples)]
    for clause_id in clauses:
        words += [door.flag("clause"), clause_id]
    return " ".join(shlex.quote(word) for word in words)


def reproduce_command(report: RunReport, result: ClauseResult) -> str:
    """The one shell command that shows ``result``'s failure again (credentials from the environment)."""
    path = report.replay_files.get(result.clause.id)
    if path is not None:
        return replay_command(path)
    return rerun_command(report, result.rerun_clauses or (result.clause.id,))


def rerun_hint(result: ClauseResult, door: FrontDoor = CLI) -> str:
    """``--seed N --clause T1 --clause T3`` (as ``door`` spells them): every clause a rerun needs."""
    clauses = " ".join(
        f"{door.flag('clause')} {c}" for c in result.rerun_clauses or (result.clause.id,)
    )
    return f"{door.flag('seed')} {result.seed} {clauses}"


def render_table(report: RunReport) -> str:
    """The clause table, then each failure with its reproduction, then the verdict."""
    return report.redact(_render(report))


def _render(report: RunReport) -> str:
    lines = [
        f"Contract of ModelArts 'terminate a training job' against {report.config.base_url}",
        "",
    ]
    if report.stopped:
        lines += [f"STOPPED before any clause: {report.stopped}", ""]
    width = max((len(r.clause.name) for r in report.results), default=10)
    for result in report.results:
        # Each clause with its promise; what kept it from a plain pass on the line below.
        head = f"  {result.clause.id:<4} {result.clause.name:<{width}}  {_MARK[result.status]:<5} "
        lines.append(head + result.clause.summary)
        detail = _detail(result)
        if detail:
            lines.append(" " * len(head) + "↳ " + report.excerpt(detail, _DETAIL_WIDTH - 1))
    for result in report.results:
        if result.status is not Status.FAILED:
            continue
        lines += ["", f"{result.clause.id} {result.clause.name} failed: {result.clause.summary}"]
        lines += [f"  {line}" for line in result.message.splitlines()]
        lines.append(f"  reproduce: {reproduce_command(report, result)}")
        lines.append(f"  seed: {result.seed}  (rerun with {rerun_hint(result, report.door)})")
    partial = [r for r in report.results if r.status is Status.PARTIAL]
    if partial:
        lines += ["", "Partly checked:"]
        lines += [f"  {r.clause.id}: {r.message}" for r in partial]
    notes = [(r.clause.id, note) for r in report.results for note in r.notes]
    if notes:
        lines += ["", "Notes:"] + [f"  {clause_id}: {note}" for clause_id, note in notes]
    lines.append("")
    if report.aborted:
        lines.append(f"RUN ERROR (provider states): {report.aborted}")
    lines.append(f"{summary(report)} in {report.seconds:.1f} s (seed {report.config.seed})")
    if report.strict and report.exit_code == 1 and not report.count(Status.FAILED):
        lines.append("--strict: a clause short of a full pass fails the run")
    return "\n".join(lines)


def summary(report: RunReport) -> str:
    """``8 passed, 2 partial, 0 failed, 0 skipped`` (errors only when there are some)."""
    text = (
        f"{report.count(Status.PASSED)} passed, {report.count(Status.PARTIAL)} partial, "
        f"{report.count(Status.FAILED)} failed, {report.count(Status.SKIPPED)} skipped"
    )
    errors = report.count(Status.ERROR)
    return text + (f", {errors} error(s)" if errors else "")


def _detail(result: ClauseResult) -> str:
    if result.status is Status.SKIPPED:
        return f"skipped: {result.message}"
    if result.status is Status.PARTIAL:
        return f"partial: {_first_line(result.message)}"
    if result.status in (Status.FAILED, Status.ERROR):
        return _first_line(result.message)
    if result.notes:
        return f"note: {result.notes[0]}"
    return ""


def write_junit(report: RunReport, path: str | os.PathLike[str]) -> None:
    """Write the results as JUnit XML, atomically: a reader never sees half a file.

    A ``partial`` clause is a skipped test whose message says what was not checked (a failure
    with ``--strict``); a run stopped before any clause is one test in error.
    """
    strict_fails = report.strict
    failures = report.count(Status.FAILED) + (report.count(Status.PARTIAL) if strict_fails else 0)
    skipped = report.count(Status.SKIPPED) + (0 if strict_fails else report.count(Status.PARTIAL))
    errors = report.count(Status.ERROR) + (1 if report.stopped else 0)
    suite = ET.Element(
        "testsuite",
        name="modelarts-contract",
        tests=str(len(report.results) + (1 if report.stopped else 0)),
        failures=str(failures),
        errors=str(errors),
        skipped=str(skipped),
        time=f"{report.seconds:.3f}",
    )

    def redact(text: str) -> str:
        # A server's answer may hold characters XML 1.0 cannot carry; CI's parser would reject
        # the whole file.
        return _NOT_XML.sub("\ufffd", report.redact(text))

    if report.stopped:
        case = ET.SubElement(suite, "testcase", classname="modelarts_contract", name="preflight")
        ET.SubElement(case, "error", message=redact(report.stopped)).text = redact(report.stopped)
    for result in report.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="modelarts_contract",
            name=f"{result.clause.id} {result.clause.name}",
            time=f"{result.seconds:.3f}",
        )
        message = redact(result.message)
        if result.status is Status.FAILED:
            command = redact(reproduce_command(report, result))
            body = f"{message}\nreproduce: {command}\nseed: {result.seed}"
            ET.SubElement(case, "failure", message=_first_line(message)).text = body
        elif result.status is Status.ERROR:
            ET.SubElement(case, "error", message=message).text = message
        elif result.status is Status.SKIPPED:
            ET.SubElement(case, "skipped", message=message)
        elif result.status is Status.PARTIAL:
            tag = "failure" if strict_fails else "skipped"
            ET.SubElement(case, tag, type="partial", message=f"partial: {message}")
        if result.notes:
            ET.SubElement(case, "system-out").text = redact("\n".join(result.notes))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            ET.ElementTree(_wrap(suite)).write(stream, encoding="utf-8", xml_declaration=True)
        # mkstemp makes the file private; a report is for CI's other steps to read.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _wrap(suite: ET.Element) -> ET.Element:
    suites = ET.Element("testsuites")
    suites.append(suite)
    return suites


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
