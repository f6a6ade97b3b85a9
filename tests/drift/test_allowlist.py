"""``--fail-on-drift`` accepts exactly what the committed allow-list lists, and nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
from drift_runs import ALLOWLIST, run_drift

from drift import allowlist
from drift.compare import Finding


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    from drift import sdk_tree, spec_tree
    from drift.compare import compare

    document = spec_tree.load_spec(ALLOWLIST.parent / "openapi.yaml")
    return compare(
        sdk_tree.sdk_fields(sdk_tree.load_model_package()),
        spec_tree.spec_fields(document, spec_tree.answer_schema(document)),
    )


def test_the_committed_allowlist_accepts_the_current_drift() -> None:
    result = run_drift(["--fail-on-drift"])
    assert (result.code, result.err) == (0, "")
    assert "0 new" in result.out


def test_removing_one_entry_fails_the_run(tmp_path: Path) -> None:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    removed = "sdk-only endpoints.ssh.task_urls[].url"
    trimmed = tmp_path / "allowlist.txt"
    trimmed.write_text("\n".join(line for line in lines if line != removed), encoding="utf-8")
    result = run_drift(["--fail-on-drift", "--allowlist", str(trimmed)])
    assert result.code == 1
    assert result.err.splitlines()[1:] == [f"  {removed}"]
    marked = [line.split()[1] for line in result.out.splitlines() if line.endswith("  NEW")]
    assert marked == [removed.split()[1]]


def test_every_entry_is_needed(findings: list[Finding]) -> None:
    entries = allowlist.read_allowlist(ALLOWLIST)
    assert entries == {finding.key for finding in findings}
    for entry in entries:
        rejected = allowlist.not_allowed(findings, entries - {entry})
        assert [finding.key for finding in rejected] == [entry]


def test_a_changed_type_is_new_drift(findings: list[Finding]) -> None:
    entries = allowlist.read_allowlist(ALLOWLIST)
    entries.discard("type status.start_time integer vs [integer, string]")
    entries.add("type status.start_time string vs [integer, string]")
    assert [f.path for f in allowlist.not_allowed(findings, entries)] == ["status.start_time"]
    assert allowlist.stale_entries(findings, entries) == [
        "type status.start_time string vs [integer, string]"
    ]


def test_printed_allowlist_is_the_committed_one(findings: list[Finding]) -> None:
    printed = run_drift(["--print-allowlist"])
    assert printed.code == 0
    assert allowlist.read_allowlist(ALLOWLIST) == {
        line for line in printed.out.splitlines() if line and not line.startswith("#")
    }


def test_a_stale_entry_is_reported_but_does_not_fail(tmp_path: Path) -> None:
    extended = tmp_path / "allowlist.txt"
    text = ALLOWLIST.read_text(encoding="utf-8")
    extended.write_text(text + "sdk-only status.gone_field\n", encoding="utf-8")
    result = run_drift(["--fail-on-drift", "--allowlist", str(extended)])
    assert result.code == 0
    assert "1 entries match nothing any more" in result.out
    assert "  sdk-only status.gone_field" in result.out.splitlines()


def test_a_missing_allowlist_is_a_usage_error(tmp_path: Path) -> None:
    result = run_drift(["--fail-on-drift", "--allowlist", str(tmp_path / "absent.txt")])
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("drift: error: cannot read the allow-list")
    assert "Traceback" not in result.err


def test_a_line_that_is_not_an_entry_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "allowlist.txt"
    broken.write_text("# header\nendpoints.ssh\n", encoding="utf-8")
    result = run_drift(["--fail-on-drift", "--allowlist", str(broken)])
    assert result.code == 2
    assert f"{broken}:2: not an entry: 'endpoints.ssh'" in result.err
