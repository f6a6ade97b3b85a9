"""Runs of ``python -m drift`` made in-process, so the SDK's import is paid once per session."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from drift.cli import main

REPOSITORY = Path(__file__).parents[2]
ALLOWLIST = REPOSITORY / "spec" / "drift-allowlist.txt"


@dataclass(frozen=True)
class Run:
    """The exit code and both streams of one run."""

    code: int
    out: str
    err: str


def run_drift(argv: Sequence[str]) -> Run:
    """``python -m drift ARGV``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Run(code, out.getvalue(), err.getvalue())
