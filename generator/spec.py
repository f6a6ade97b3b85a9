"""Read an OpenAPI document from disk, reporting unreadable or malformed files as spec problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.problems import SpecError, SpecProblems

# libyaml's loader is about 10 times faster than the pure-Python one on our spec.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Spec:
    """The parsed document and where it came from."""

    source: str
    document: Mapping[str, Any]


def read_spec(path: Path) -> Spec:
    """Read a YAML or JSON OpenAPI document; :class:`SpecProblems` when it cannot be parsed."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecProblems(
            source, [SpecError("", f"cannot read the file: {error.strerror}")]
        ) from None
    try:
        document = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise SpecProblems(source, [SpecError("", f"{problem}{where}")]) from None
    if not isinstance(document, dict):
        raise SpecProblems(source, [SpecError("", "the document is not a mapping")])
    return Spec(source, document)
