"""What stops a drift report from being made: each is the user's to fix, so exit 2, no traceback."""

from __future__ import annotations


class DriftError(Exception):
    """A problem with the inputs of the comparison, reported as one line."""


class SdkNotInstalled(DriftError):
    """The official SDK cannot be imported; the message carries the command that installs it."""


class SpecProblem(DriftError):
    """The spec cannot be read, or it has no 202 answer schema for the terminate operation."""


class AllowListProblem(DriftError):
    """The allow-list is missing or has a line that is not an entry."""
