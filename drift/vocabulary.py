"""One type language for both sides, so the SDK's ``int`` and the spec's ``integer`` compare equal.

A type is a string: a scalar (``string``, ``integer``, ``number``, ``boolean``), ``object`` (a model
with named fields, whose fields are walked as paths of their own), ``map[T]`` (free keys, values of
type ``T``), ``array[T]``, ``any``, or a union of those written ``[a, b]`` in sorted order. Formats
(``int64``) and ``null`` are not part of it: every SDK attribute may be ``None`` and its number types
carry no width, so neither says anything the SDK could disagree with.
"""

from __future__ import annotations

from collections.abc import Iterable

STRING = "string"
INTEGER = "integer"
NUMBER = "number"
BOOLEAN = "boolean"
OBJECT = "object"
ANY = "any"


def array_of(items: str) -> str:
    """An array whose items have type ``items``."""
    return f"array[{items}]"


def map_of(values: str) -> str:
    """An object with free keys whose values have type ``values``."""
    return f"map[{values}]"


def union(members: Iterable[str]) -> str:
    """The union of ``members``: one member stands for itself; ``any`` absorbs the rest."""
    distinct = sorted(set(members))
    if not distinct or ANY in distinct:
        return ANY
    if len(distinct) == 1:
        return distinct[0]
    return "[" + ", ".join(distinct) + "]"
