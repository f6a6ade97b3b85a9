"""Fixtures for the spec's own tests, and the table figures printed after the run."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

# The helper modules beside this file are plain modules, imported by name.
sys.path.insert(0, str(Path(__file__).parent))

SPEC_PATH = Path(__file__).parents[2] / "spec" / "openapi.yaml"
_SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def spec() -> dict[str, Any]:
    """A private copy of the spec, free to mutate."""
    return copy.deepcopy(_SPEC)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from table_check import FIGURES

    if FIGURES:
        line = ", ".join(f"{value} {name}" for name, value in FIGURES.items())
        terminalreporter.write_line(f"seed table check: {line}")
