"""What differs between two views of one job, field by field, and what the spec lets differ.

The spec names the fields a terminate changes (``TERMINATE_CHANGES``) and those that change by
themselves while a job runs (``CHANGING_BY_THEMSELVES``); every other field of the whole job,
fields the spec does not know included, must read the same before and after.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..spec import CHANGING_BY_THEMSELVES, TERMINATE_CHANGES

#: What a terminate may change: its own fields and those that change by themselves.
TERMINATE_MAY_CHANGE: tuple[str, ...] = (*TERMINATE_CHANGES, *CHANGING_BY_THEMSELVES)
#: Phase moves a job makes by itself, which a comparison of two reads must allow.
SELF_PROGRESS = frozenset({("Terminating", "Terminated")})
#: Differences listed in one message at most; the rest are counted.
MAX_LISTED = 5


def differences(
    before: Mapping[str, Any], after: Mapping[str, Any], may_change: Collection[str]
) -> list[str]:
    """Each field (a dotted path) whose value differs, but those in ``may_change`` and under them.

    A field absent from one view and ``null`` in the other is the same: servers differ in
    whether they write nulls. ``true`` and ``1`` differ, ``1`` and ``1.0`` do not.
    """
    found: list[str] = []
    _walk(before, after, "", frozenset(may_change), found)
    return found


def unprompted_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """What differs between two reads of a job that nothing acted on, described.

    Allows the fields that change by themselves, and a Terminating job's move to Terminated.
    """
    return describe(before, after, unprompted_fields(before, after))


def unprompted_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields (dotted paths) :func:`unprompted_changes` describes."""
    moved = (_phase(before), _phase(after)) in SELF_PROGRESS
    allowed = TERMINATE_MAY_CHANGE if moved else CHANGING_BY_THEMSELVES
    return differences(before, after, allowed)


def describe(before: Mapping[str, Any], after: Mapping[str, Any], paths: list[str]) -> list[str]:
    """``paths`` (from :func:`differences`) as ``field: old → new``, the first few of them."""
    listed = [f"{path}: {_at(before, path)!r:.80} → {_at(after, path)!r:.80}" for path in paths]
    if len(listed) > MAX_LISTED:
        listed = [*listed[:MAX_LISTED], f"… {len(listed) - MAX_LISTED} more"]
    return listed


def _walk(before: Any, after: Any, path: str, may_change: frozenset[str], found: list[str]) -> None:
    if path in may_change:
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted({*before, *after}, key=str):
            _walk(before.get(key), after.get(key), _join(path, str(key)), may_change, found)
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            _walk(old, new, f"{path}[{index}]", may_change, found)
    elif not _same(before, after):
        found.append(path or "(the whole job)")


def _same(before: Any, after: Any) -> bool:
    # JSON's true is not the number 1, though Python's True == 1.
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    return bool(before == after)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _at(job: Any, path: str) -> Any:
    value = job
    for part in path.replace("[", ".[").split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.startswith("["):
            index = int(part[1:-1])
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def _phase(job: Mapping[str, Any]) -> Any:
    status = job.get("status")
    return status.get("phase") if isinstance(status, Mapping) else None
