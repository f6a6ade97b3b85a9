"""The generator itself is typed as strictly as the package it renders (`make typecheck`)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_the_generator_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "generator"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
