"""Facts the document declares for its consumers (``x-constants``), as module constants.

A server, an emulator or a test suite that needs a fact of the API (which phases allow an
action, say) imports it from the generated package instead of retyping it::

    x-constants:
      TERMINABLE_PHASES:
        description: The phases in which a training job may be terminated.
        value: [Creating, Pending, Running]

A value is a string, number, boolean, or a list of them (rendered as a tuple).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from generator.escape import py_str
from generator.ir import Constant
from generator.names import unique
from generator.problems import SpecError, pointer

_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_TYPES = ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"))
#: The line length of the generated package (its formatter's).
LINE_LENGTH = 100


def constants(document: Mapping[str, Any], errors: list[SpecError]) -> tuple[Constant, ...]:
    """The document's ``x-constants``, sorted by name."""
    raw = document.get("x-constants")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        errors.append(SpecError(pointer("x-constants"), "expected a mapping"))
        return ()
    result: list[Constant] = []
    for name, entry in sorted(raw.items(), key=lambda item: str(item[0])):
        where = pointer("x-constants", str(name))
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            errors.append(SpecError(where, "a constant's name is UPPER_SNAKE_CASE"))
            continue
        value = entry.get("value") if isinstance(entry, Mapping) else None
        rendered = _literal(value)
        if rendered is None:
            errors.append(SpecError(f"{where}/value", "a scalar or a list of scalars"))
            continue
        literal, annotation = rendered
        literal = _fitted(f"{name}: {annotation} = ", literal, value)
        description = entry.get("description", "") if isinstance(entry, Mapping) else ""
        # The constants module already exports the error codes under that name.
        name = unique(name, ["ERROR_CODES", *(constant.name for constant in result)])
        result.append(Constant(name, str(description).strip(), literal, annotation))
    return tuple(result)


def _literal(value: Any) -> tuple[str, str] | None:
    if isinstance(value, list):
        found = [_scalar(item) for item in value]
        items = [item for item in found if item is not None]
        if not value or len(items) != len(found):
            return None
        kinds = {kind for _, kind in items}
        kind = kinds.pop() if len(kinds) == 1 else "object"
        body = ", ".join(literal for literal, _ in items) + ("," if len(items) == 1 else "")
        return f"({body})", f"tuple[{kind}, ...]"
    return _scalar(value)


def _fitted(assignment: str, literal: str, value: Any) -> str:
    """``literal``, one item a line when the assignment would outgrow a line, as ruff formats it."""
    if not isinstance(value, list) or len(assignment) + len(literal) <= LINE_LENGTH:
        return literal
    parts = [_scalar(item) for item in value]
    items = "".join(f"    {part[0]},\n" for part in parts if part is not None)
    return f"(\n{items})"


def _scalar(value: Any) -> tuple[str, str] | None:
    for python_type, name in _TYPES:
        if isinstance(value, python_type):
            if python_type is str:
                return py_str(value), name
            if isinstance(value, float) and not math.isfinite(value):
                return None
            return repr(value), name
    return None
