"""The end of a run as people and CI read it: a table of clauses, failures with reproductions, JUnit."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from .runner import RunReport, Status

#: The table's detail column is cut here; the full message follows the table.
_DETAIL_WIDTH = 110
_MARK = {
    Status.PASSED: "pass",
    Status.FAILED: "FAIL",
    Status.SKIPPED: "skip",
    Status.ERROR: "ERROR",
}


def render_table(report: RunReport) -> str:
    """The clause table, then each failure with its reproduction, then the verdict."""
    lines = [
        f"Contract of ModelArts 'terminate a training job' against {report.config.base_url}",
        "",
    ]
    width = max((len(r.clause.name) for r in report.results), default=10)
    for result in report.results:
        detail = ""
        if result.status is Status.SKIPPED:
            detail = f"skipped: {result.message}"
        elif result.status is Status.FAILED:
            detail = _first_line(result.message)
        elif result.status is Status.ERROR:
            detail = result.message
        elif result.notes:
            detail = f"note: {result.notes[0]}"
        if len(detail) > _DETAIL_WIDTH:
            detail = detail[: _DETAIL_WIDTH - 1] + "…"
        lines.append(
            f"  {result.clause.id:<4} {result.clause.name:<{width}}  {_MARK[result.status]:<5} {detail}".rstrip()
        )
    failures = [r for r in report.results if r.status is Status.FAILED]
    for result in failures:
        lines += ["", f"{result.clause.id} {result.clause.name} failed: {result.clause.summary}"]
        lines += [f"  {line}" for line in result.message.splitlines()]
        if result.curl:
            lines.append(f"  reproduce: {result.curl}")
        lines.append(
            f"  seed: {result.seed}  (rerun with --seed {result.seed} --clause {result.clause.id})"
        )
    notes = [(r.clause.id, note) for r in report.results for note in r.notes]
    if notes:
        lines += ["", "Notes:"] + [f"  {clause_id}: {note}" for clause_id, note in notes]
    counts = {status: sum(r.status is status for r in report.results) for status in Status}
    lines.append("")
    if report.aborted:
        lines.append(f"RUN ERROR (provider states): {report.aborted}")
    lines.append(
        f"{counts[Status.PASSED]} passed, {counts[Status.FAILED]} failed, "
        f"{counts[Status.SKIPPED]} skipped in {report.seconds:.1f} s (seed {report.config.seed})"
    )
    return "\n".join(lines)


def write_junit(report: RunReport, path: str | os.PathLike[str]) -> None:
    """Write the results as JUnit XML, atomically: a reader never sees half a file."""
    counts = {status: sum(r.status is status for r in report.results) for status in Status}
    suite = ET.Element(
        "testsuite",
        name="modelarts-contract",
        tests=str(len(report.results)),
        failures=str(counts[Status.FAILED]),
        errors=str(counts[Status.ERROR]),
        skipped=str(counts[Status.SKIPPED]),
        time=f"{report.seconds:.3f}",
    )
    for result in report.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="modelarts_contract",
            name=f"{result.clause.id} {result.clause.name}",
            time=f"{result.seconds:.3f}",
        )
        body = (
            result.message
            + (f"\nreproduce: {result.curl}" if result.curl else "")
            + f"\nseed: {result.seed}"
        )
        if result.status is Status.FAILED:
            ET.SubElement(case, "failure", message=_first_line(result.message)).text = body
        elif result.status is Status.ERROR:
            ET.SubElement(case, "error", message=result.message).text = result.message
        elif result.status is Status.SKIPPED:
            ET.SubElement(case, "skipped", message=result.message)
        if result.notes:
            ET.SubElement(case, "system-out").text = "\n".join(result.notes)
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
