"""Both field trees side by side: the paths only one side has, and the shared ones whose types differ."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .fields import Field

SDK_ONLY = "sdk-only"
SPEC_ONLY = "spec-only"
TYPE_DIFFERS = "type"
KINDS = (SDK_ONLY, SPEC_ONLY, TYPE_DIFFERS)
ROOT_GROUP = "(top level)"


@dataclass(frozen=True)
class Finding:
    """One difference between the SDK and the spec at one field path.

    ``group`` is the subtree a maintainer acts on: for a field below an object that only one side
    has, that object (``endpoints``); otherwise the object holding the field (``algorithm.engine``).
    """

    kind: str
    path: str
    group: str
    sdk: Field | None
    spec: Field | None

    @property
    def key(self) -> str:
        """The finding as one allow-list entry: kind and path, and for a type the two types."""
        if self.sdk is not None and self.spec is not None:
            return f"{self.kind} {self.path} {self.sdk.type} vs {self.spec.type}"
        return f"{self.kind} {self.path}"


def compare(sdk: Mapping[str, Field], spec: Mapping[str, Field]) -> list[Finding]:
    """Every difference, ordered by group and then path."""
    findings = []
    for path in sdk.keys() - spec.keys():
        findings.append(Finding(SDK_ONLY, path, _group(path, sdk, spec), sdk[path], None))
    for path in spec.keys() - sdk.keys():
        findings.append(Finding(SPEC_ONLY, path, _group(path, spec, sdk), None, spec[path]))
    for path in sdk.keys() & spec.keys():
        if sdk[path].type != spec[path].type:
            group = _parent(path) or ROOT_GROUP
            findings.append(Finding(TYPE_DIFFERS, path, group, sdk[path], spec[path]))
    return sorted(findings, key=lambda f: (f.group != ROOT_GROUP, f.group, f.path, f.kind))


def _group(path: str, own_side: Mapping[str, Field], other_side: Mapping[str, Field]) -> str:
    """The topmost object above or at ``path`` that ``other_side`` lacks, else the parent object."""
    for ancestor in _ancestors(path):
        if ancestor not in other_side:
            return ancestor
    if any(_parent(other) == path for other in own_side):
        return path
    return _parent(path) or ROOT_GROUP


def _ancestors(path: str) -> list[str]:
    """The field paths above ``path``, outermost first (``a``, ``a.b`` for ``a.b.c``)."""
    result = []
    parent = _parent(path)
    while parent:
        result.append(parent)
        parent = _parent(parent)
    return result[::-1]


def _parent(path: str) -> str:
    """The field path holding ``path`` (``""`` at the top); ``[]``/``{}`` belong to their field."""
    head, _, _ = path.rpartition(".")
    while head.endswith(("[]", "{}")):
        head = head[:-2]
    return head
