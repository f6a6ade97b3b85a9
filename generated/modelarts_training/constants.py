"""Facts of the API its document declares for every consumer (``x-constants``), and its error
codes, so that a server, an emulator or a test imports them instead of retyping them."""

from __future__ import annotations

from modelarts_training.errors import ERROR_CODES

__all__ = [
    "ERROR_CODES",
    "TERMINABLE_PHASES",
]

TERMINABLE_PHASES: tuple[str, ...] = ("Creating", "Pending", "Running")
"""The phases in which a training job may be terminated."""
