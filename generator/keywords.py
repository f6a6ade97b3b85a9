"""The JSON Schema (2020-12) and OpenAPI 3.0 keywords whose values are schemas: the places where
a nested object can become a model of its own, and that a rewrite of schemas walks through."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: Keywords whose value is one schema.
ONE_SCHEMA = frozenset(
    {"items", "not", "additionalProperties", "unevaluatedProperties", "contains", "if", "then"}
    | {"else", "propertyNames", "unevaluatedItems"}
)
#: Keywords whose value is a list of schemas.
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: Keywords whose value maps names to schemas.
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def with_subschemas(schema: Mapping[str, Any], change: Callable[[Any], Any]) -> dict[str, Any]:
    """A copy of ``schema`` with ``change`` applied to each schema it directly holds."""
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, Mapping):
            result[key] = {name: change(sub) for name, sub in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            result[key] = [change(sub) for sub in value]
        elif key in ONE_SCHEMA:
            result[key] = change(value)
        else:
            result[key] = value
    return result
