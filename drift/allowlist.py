"""The differences the project has looked at and accepted, kept beside the spec.

One entry a line, exactly a finding's key (``sdk-only endpoints.ssh.task_urls[].url``,
``spec-only metadata.ai_project``, ``type status.start_time integer vs [integer, string]``); ``#``
starts a comment. A type entry names both types, so an SDK upgrade that changes an already
differing type is new drift too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .compare import KINDS, Finding
from .errors import AllowListProblem

HEADER = """\
# Accepted differences between spec/openapi.yaml and the official SDK's model of the terminate answer
# (StopTrainingJobResponse of huaweicloudsdkmodelarts {version}).
#
# Why they are accepted: the spec encodes the document, which is older than the service. The SDK-only
# fields are what the service has grown since; whether to add them to the spec is a decision of its
# own. The spec-only fields and the type differences are the decisions listed in spec/README.md.
#
# `make drift ARGS="--fail-on-drift"` exits 1 on any difference not listed here. After reviewing new
# drift, regenerate with `python -m drift --print-allowlist > spec/drift-allowlist.txt`.
# One entry a line: `sdk-only PATH`, `spec-only PATH` or `type PATH SDK_TYPE vs SPEC_TYPE`.
"""


def read_allowlist(path: Path) -> set[str]:
    """The entries of the allow-list at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AllowListProblem(
            f"cannot read the allow-list {path}: {error.strerror or error}"
        ) from None
    entries = set()
    for number, line in enumerate(text.splitlines(), start=1):
        entry = " ".join(line.split("#", 1)[0].split())
        if not entry:
            continue
        kind, _, rest = entry.partition(" ")
        if kind not in KINDS or not rest:
            raise AllowListProblem(
                f"{path}:{number}: not an entry: {line.strip()!r} "
                f"(expected one of {', '.join(KINDS)} and a path)"
            )
        entries.add(entry)
    return entries


def not_allowed(findings: Iterable[Finding], entries: set[str]) -> list[Finding]:
    """The findings no entry accepts."""
    return [finding for finding in findings if finding.key not in entries]


def stale_entries(findings: Iterable[Finding], entries: set[str]) -> list[str]:
    """The entries that no longer match any finding (the difference is gone)."""
    return sorted(entries - {finding.key for finding in findings})


def format_allowlist(findings: Sequence[Finding], sdk_version: str) -> str:
    """An allow-list accepting every one of ``findings``, one comment line per group."""
    lines = [HEADER.format(version=sdk_version).rstrip("\n")]
    group = None
    for finding in findings:
        if finding.group != group:
            group = finding.group
            count = sum(1 for f in findings if f.group == group)
            lines.append(f"\n# {group} ({count})")
        lines.append(finding.key)
    return "\n".join(lines) + "\n"
