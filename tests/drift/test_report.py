"""The drift report names what the service has grown and what the spec decided, in both forms."""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any

from drift_runs import Run, run_drift

# Paths the issue names: what the SDK has and the document lacks, and the example's extra fields.
SDK_ONLY = (
    "endpoints.ssh.task_urls[].url",
    "endpoints.tensorboard.url",
    "ftjob_config.checkpoint_config.restore_training",
    "metadata.training_experiment_reference.id",
    "algorithm.summary.log_dir.pfs.pfs_path",
    "algorithm.engine.install_sys_packages",
)
SPEC_ONLY = ("metadata.ai_project", "spec.is_hosted_log", "algorithm.engine.run_user")
_ROW = re.compile(r"^  (sdk-only|spec-only|type)\s+(\S+)\s", re.MULTILINE)


def table_rows(out: str) -> set[tuple[str, str]]:
    """The (kind, path) of every detail row of the table."""
    return set(_ROW.findall(out))


def test_the_table_lists_the_sdk_only_and_spec_only_paths(table_run: Run) -> None:
    rows = table_rows(table_run.out)
    assert table_run.code == 0
    assert {("sdk-only", path) for path in SDK_ONLY} <= rows
    assert {("spec-only", path) for path in SPEC_ONLY} <= rows
    assert sum(1 for kind, _ in rows if kind == "sdk-only") >= 100


def test_start_time_is_int_in_the_sdk_and_integer_or_string_in_the_spec(table_run: Run) -> None:
    line = next(row for row in table_run.out.splitlines() if " status.start_time " in row)
    assert line.split() == ["type", "status.start_time", "int", "[integer,", "string]"]


def test_the_table_names_the_sdk_version_compared(table_run: Run) -> None:
    version = metadata.version("huaweicloudsdkmodelarts")
    assert f"huaweicloudsdkmodelarts {version} (StopTrainingJobResponse)" in table_run.out


def test_the_summary_counts_each_subtree(table_run: Run, report_json: dict[str, Any]) -> None:
    endpoints = next(g for g in report_json["groups"] if g["group"] == "endpoints")
    summary = next(line for line in table_run.out.splitlines() if line.split()[:1] == ["endpoints"])
    assert summary.split() == ["endpoints", str(endpoints["sdk-only"]), "0", "0"]
    total = next(line for line in table_run.out.splitlines() if line.split()[:1] == ["total"])
    counts = report_json["counts"]
    assert total.split()[1:] == [
        str(counts["sdk-only"]),
        str(counts["spec-only"]),
        str(counts["type"]),
    ]


def test_json_holds_the_same_paths_as_the_table(
    table_run: Run, report_json: dict[str, Any]
) -> None:
    findings = {(f["kind"], f["path"]) for f in report_json["findings"]}
    assert findings == table_rows(table_run.out)
    assert report_json["sdk"]["version"] == metadata.version("huaweicloudsdkmodelarts")
    assert sum(g["sdk-only"] for g in report_json["groups"]) == report_json["counts"]["sdk-only"]


def test_json_gives_both_types_of_a_differing_path(report_json: dict[str, Any]) -> None:
    start_time = next(f for f in report_json["findings"] if f["path"] == "status.start_time")
    assert start_time["kind"] == "type"
    assert start_time["sdk"] == {"type": "integer", "spelled": "int"}
    assert start_time["spec"] == {"type": "[integer, string]", "spelled": "[integer, string]"}


def test_a_one_sided_subtree_is_one_group(report_json: dict[str, Any]) -> None:
    groups = {f["path"]: f["group"] for f in report_json["findings"]}
    assert groups["endpoints"] == groups["endpoints.ssh.task_urls[].url"] == "endpoints"
    assert groups["algorithm.engine.install_sys_packages"] == "algorithm.engine"


def test_a_bad_flag_is_a_usage_error_without_traceback() -> None:
    result = run_drift(["--no-such-flag"])
    assert result.code == 2
    assert "unrecognized arguments: --no-such-flag" in result.err
    assert "Traceback" not in result.err


def test_a_missing_spec_is_a_usage_error(tmp_path: Any) -> None:
    result = run_drift(["--spec", str(tmp_path / "absent.yaml")])
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("drift: error: cannot read the spec")
