"""Schema ``pattern``\\ s the generated models could not compile, dropped before rendering.

pydantic-core compiles every ``pattern`` with Rust's ``regex`` when the models module is
imported: a pattern with look-around or back-references, or one whose automaton outgrows the
engine's size limit (``^.{0,262144}$``), raises ``SchemaError`` there and the whole package fails
to import. A pattern only helps the server validate, so the client is better without it; each one
dropped is reported as a :class:`~generator.problems.SpecError` for the caller to warn about.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any

from generator.problems import SpecError, pointer

#: Keywords whose value is data (examples, defaults, enumerations), never a schema: a ``pattern``
#: key inside them is a value and stays.
_DATA = frozenset({"example", "examples", "default", "enum", "const"})
#: Keywords whose keys are names the author chose (a property may be called ``example``).
_NAMES = frozenset({"properties", "patternProperties", "$defs", "definitions", "schemas"})


def drop_uncompilable_patterns(document: Mapping[str, Any]) -> tuple[Any, list[SpecError]]:
    """The document without the patterns pydantic cannot compile, and one warning per pattern."""
    dropped: list[SpecError] = []
    return _walk(document, (), dropped), dropped


def _walk(
    value: Any, where: tuple[str | int, ...], dropped: list[SpecError], named: bool = False
) -> Any:
    if isinstance(value, list):
        return [_walk(item, (*where, index), dropped) for index, item in enumerate(value)]
    if not isinstance(value, Mapping):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        at = (*where, key)
        if key == "pattern" and isinstance(item, str):
            reason = compile_error(item)
            if reason is not None:
                dropped.append(SpecError(pointer(*at), f"pattern dropped: {reason}"))
                continue
            result[key] = item
        elif not named and (key in _DATA or str(key).startswith("x-")):
            result[key] = item
        else:
            result[key] = _walk(item, at, dropped, key in _NAMES and not named)
    return result


@lru_cache(maxsize=1024)
def compile_error(pattern: str) -> str | None:
    """Why pydantic cannot compile ``pattern`` as a string constraint (one line), or ``None``."""
    # Imported here: the generator needs pydantic only for this check.
    from pydantic import StringConstraints, TypeAdapter
    from pydantic_core import SchemaError

    try:
        TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])
    except SchemaError as error:
        # Only the engine's own words: the first lines say which validator was being built.
        lines = [line.strip() for line in str(error).splitlines() if "error:" in line]
        last = lines[-1] if lines else " ".join(str(error).split())
        return last.rpartition("SchemaError: ")[2]
    return None
