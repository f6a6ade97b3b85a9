"""The drift report: a table a maintainer reads, or JSON for tools; both hold the same findings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .compare import KINDS, SDK_ONLY, SPEC_ONLY, TYPE_DIFFERS, Finding
from .fields import Field

_KIND_TITLES = {
    SDK_ONLY: "only in the SDK",
    SPEC_ONLY: "only in the spec",
    TYPE_DIFFERS: "types differ",
}


@dataclass(frozen=True)
class DriftReport:
    """Everything one comparison found, and what it compared."""

    sdk_distribution: str
    sdk_version: str
    sdk_class: str
    spec_path: str
    operation: str
    status: str
    sdk_paths: int
    spec_paths: int
    findings: Sequence[Finding]
    #: The allow-list read, if any, its entries that matched nothing, and the findings it lacks.
    allowlist_path: str | None = None
    stale_entries: Sequence[str] = ()
    not_allowed: Sequence[Finding] = ()

    def counts(self, group: str | None = None) -> dict[str, int]:
        """The number of findings of each kind, in all or in one group."""
        chosen = [f for f in self.findings if group is None or f.group == group]
        return {kind: sum(1 for f in chosen if f.kind == kind) for kind in KINDS}

    def groups(self) -> list[str]:
        """The groups in report order."""
        return list(dict.fromkeys(f.group for f in self.findings))


def render_json(report: DriftReport) -> str:
    """The report as one JSON document."""
    new = {finding.key for finding in report.not_allowed}
    document: dict[str, Any] = {
        "sdk": {
            "distribution": report.sdk_distribution,
            "version": report.sdk_version,
            "class": report.sdk_class,
            "paths": report.sdk_paths,
        },
        "spec": {
            "path": report.spec_path,
            "operation": report.operation,
            "status": report.status,
            "paths": report.spec_paths,
        },
        "counts": report.counts(),
        "groups": [{"group": g, **report.counts(g)} for g in report.groups()],
        "findings": [
            {
                "kind": f.kind,
                "path": f.path,
                "group": f.group,
                "sdk": _field_json(f.sdk),
                "spec": _field_json(f.spec),
                "key": f.key,
                "allowed": None if report.allowlist_path is None else f.key not in new,
            }
            for f in report.findings
        ],
        "allowlist": None
        if report.allowlist_path is None
        else {
            "path": report.allowlist_path,
            "not_allowed": [f.key for f in report.not_allowed],
            "stale": list(report.stale_entries),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _field_json(field: Field | None) -> dict[str, str] | None:
    return None if field is None else {"type": field.type, "spelled": field.spelled}


def render_table(report: DriftReport) -> str:
    """The report as text: a summary per subtree, then each subtree's paths."""
    counts = report.counts()
    title = (
        f"Spec drift: {report.spec_path} ({report.operation} {report.status}) against "
        f"{report.sdk_distribution} {report.sdk_version} ({report.sdk_class})"
    )
    totals = (
        f"{report.sdk_paths} SDK field paths, {report.spec_paths} spec field paths: "
        f"{counts[SDK_ONLY]} only in the SDK, {counts[SPEC_ONLY]} only in the spec, "
        f"{counts[TYPE_DIFFERS]} with different types."
    )
    lines = [title, totals, ""]
    lines += _summary(report)
    marks = report.allowlist_path is not None
    new = {finding.key for finding in report.not_allowed}
    path_width = max((len(f.path) for f in report.findings), default=4)
    sdk_width = max((len(f.sdk.spelled) for f in report.findings if f.sdk), default=3)
    for group in report.groups():
        members = [f for f in report.findings if f.group == group]
        described = ", ".join(
            f"{n} {_KIND_TITLES[kind]}" for kind, n in report.counts(group).items() if n
        )
        lines += ["", f"{group}: {described}"]
        for f in members:
            sdk = f.sdk.spelled if f.sdk else "-"
            spec = f.spec.spelled if f.spec else "-"
            flag = "  NEW" if marks and f.key in new else ""
            lines.append(
                f"  {f.kind:<9}  {f.path:<{path_width}}  {sdk:<{sdk_width}}  {spec}{flag}".rstrip()
            )
    lines += ["", *_allowlist_lines(report)] if marks else []
    return "\n".join(lines) + "\n"


def _summary(report: DriftReport) -> list[str]:
    groups = report.groups()
    width = max([len("subtree"), len("total"), *(len(g) for g in groups)])
    header = f"  {'subtree':<{width}}  {SDK_ONLY:>9}  {SPEC_ONLY:>9}  {TYPE_DIFFERS:>4}"
    rows = [header, "  " + "-" * (len(header) - 2)]
    for group in [*groups, None]:
        c = report.counts(group)
        name = "total" if group is None else group
        if group is None:
            rows.append("  " + "-" * (len(header) - 2))
        rows.append(f"  {name:<{width}}  {c[SDK_ONLY]:>9}  {c[SPEC_ONLY]:>9}  {c[TYPE_DIFFERS]:>4}")
    return rows


def _allowlist_lines(report: DriftReport) -> list[str]:
    accepted = len(report.findings) - len(report.not_allowed)
    lines = [
        (
            f"Allow-list {report.allowlist_path}: {accepted} of {len(report.findings)} "
            f"differences accepted, {len(report.not_allowed)} new (marked NEW)."
        )
    ]
    if report.stale_entries:
        lines.append(f"{len(report.stale_entries)} entries match nothing any more and can go:")
        lines += [f"  {entry}" for entry in report.stale_entries]
    return lines
