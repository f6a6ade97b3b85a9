"""Fixtures of the drift report's tests: one real run of each output form, shared by the tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

# drift_runs beside this file is imported by name; --import-mode=importlib does not put test
# folders on sys.path by itself.
sys.path.insert(0, str(Path(__file__).parent))

from drift_runs import Run, run_drift


@pytest.fixture(scope="session")
def table_run() -> Run:
    """The default report, as a maintainer reads it."""
    return run_drift([])


@pytest.fixture(scope="session")
def json_run() -> Run:
    """The same report as ``--json``."""
    return run_drift(["--json"])


@pytest.fixture(scope="session")
def report_json(json_run: Run) -> dict[str, Any]:
    """The ``--json`` report, parsed."""
    document: dict[str, Any] = json.loads(json_run.out)
    return document
