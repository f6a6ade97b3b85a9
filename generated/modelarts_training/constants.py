"""Facts of the API its document declares for every consumer (``x-constants``), and its error
codes, so that a server, an emulator or a test imports them instead of retyping them."""

from __future__ import annotations

from modelarts_training.errors import ERROR_CODES

__all__ = [
    "CHANGING_BY_THEMSELVES",
    "ERROR_CODES",
    "TERMINABLE_PHASES",
    "TERMINATE_CHANGES",
]

CHANGING_BY_THEMSELVES: tuple[str, ...] = (
    "status.duration",
    "status.node_count_metrics",
    "status.task_statuses",
)
"""The fields of a training job (dotted paths into `TrainingJob`) that change while it runs,
without any request: two reads of a job may differ in these alone."""

TERMINABLE_PHASES: tuple[str, ...] = ("Creating", "Pending", "Running")
"""The phases in which a training job may be terminated."""

TERMINATE_CHANGES: tuple[str, ...] = ("status.phase", "status.secondary_phase")
"""The fields of a training job (dotted paths into `TrainingJob`) that a terminate changes.
Every other field of the stored job, and of the 202 answer, stays as it was, but for those
in `CHANGING_BY_THEMSELVES`."""
