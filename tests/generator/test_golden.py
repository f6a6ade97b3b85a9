"""The committed generated/ is exactly what the generator renders from the committed spec."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.project import diff_project

from .conftest import GENERATED, ROOT, SPEC


def test_the_committed_package_equals_a_fresh_render() -> None:
    drift = diff_project(build(SPEC, folder=GENERATED.name), GENERATED)

    assert drift == "", f"generated/ drifted from spec/; run `make generate`:\n{drift[:4000]}"


def test_check_mode_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert "matches" in capsys.readouterr().out


def test_check_mode_fails_with_a_diff_on_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    models = out / "modelarts_training" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")

    assert main(["--check", "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "+++ b/modelarts_training/models.py" in printed.out
    assert "-# edited by hand" in printed.out
    assert "make generate" in printed.err


def test_the_generated_package_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(GENERATED / "modelarts_training")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_generated_package_is_formatted_and_lint_clean() -> None:
    package = str(GENERATED / "modelarts_training")
    for command in (["format", "--check", package], ["check", package]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
