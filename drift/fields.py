"""A field of the answer as one side declares it: its path, its type, and how that side spells it."""

from __future__ import annotations

from dataclasses import dataclass

#: How deep either walk goes before it stops: the answer is about 6 levels deep, a model that
#: refers to itself would otherwise never end.
MAX_DEPTH = 32


@dataclass(frozen=True)
class Field:
    """One field path of the answer on one side.

    ``path`` joins JSON keys with ``.``; an array's items add ``[]`` and a map's values ``{}``
    (``endpoints.ssh.task_urls[].url``). ``type`` is in :mod:`drift.vocabulary`; ``spelled`` is
    the side's own spelling (``list[TaskUrls]`` in the SDK, ``[integer, string]`` in the spec).
    """

    path: str
    type: str
    spelled: str


def child_path(parent: str, key: str) -> str:
    """The path of field ``key`` inside the object at ``parent`` (the root is ``""``)."""
    return f"{parent}.{key}" if parent else key
