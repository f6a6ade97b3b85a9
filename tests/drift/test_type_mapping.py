"""Both sides' types map into one vocabulary: a width or a null is no difference, a union is."""

from __future__ import annotations

from typing import Any

import huaweicloudsdkmodelarts.v1.model as models
import pytest

from drift import vocabulary as v
from drift.sdk_tree import sdk_type
from drift.spec_tree import schema_type

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Url": {"type": "object", "properties": {"url": {"type": "string"}}},
            "Named": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    }
}


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("int", "integer"),
        ("long", "integer"),
        ("float", "number"),
        ("str", "string"),
        ("bool", "boolean"),
        ("datetime", "string"),
        ("object", "any"),
        ("list[str]", "array[string]"),
        ("list[list[int]]", "array[array[integer]]"),
        ("dict(str, str)", "map[string]"),
        ("list[dict(str, str)]", "array[map[string]]"),
        ("TaskUrls", "object"),
        ("list[TaskUrls]", "array[object]"),
        ("NoSuchClass", "unknown(NoSuchClass)"),
    ],
)
def test_sdk_spellings(spelling: str, expected: str) -> None:
    assert sdk_type(models, spelling) == expected


@pytest.mark.parametrize(
    ("schema", "expected", "spelled"),
    [
        ({"type": "integer", "format": "int64"}, "integer", "integer (int64)"),
        ({"type": ["integer", "string"]}, "[integer, string]", "[integer, string]"),
        ({"type": ["string", "integer"]}, "[integer, string]", "[string, integer]"),
        ({"type": ["string", "null"]}, "string", "[string, null]"),
        (
            {"type": ["array", "null"], "items": {"type": "array", "items": {"type": "integer"}}},
            "array[array[integer]]",
            "[array[array[integer]], null]",
        ),
        (
            {"type": "object", "additionalProperties": {"type": "string"}},
            "map[string]",
            "map[string]",
        ),
        ({"$ref": "#/components/schemas/Url"}, "object", "Url"),
        (
            {"type": "array", "items": {"$ref": "#/components/schemas/Url"}},
            "array[object]",
            "array[Url]",
        ),
        ({"properties": {"a": {"type": "string"}}}, "object", "object"),
        (
            {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            "[integer, string]",
            "anyOf[integer, string]",
        ),
        ({}, "any", "any"),
    ],
)
def test_schema_types(schema: dict[str, Any], expected: str, spelled: str) -> None:
    assert schema_type(DOCUMENT, schema) == (expected, spelled)


@pytest.mark.parametrize(
    ("spelling", "schema", "same"),
    [
        ("int", {"type": "integer", "format": "int64"}, True),
        ("int", {"type": ["integer", "string"]}, False),
        ("str", {"type": ["string", "integer"]}, False),
        ("int", {"type": "number"}, False),
        ("float", {"type": "number", "format": "double"}, True),
        (
            "list[list[int]]",
            {"type": ["array", "null"], "items": {"type": "array", "items": {"type": "integer"}}},
            True,
        ),
        ("dict(str, str)", {"type": "object", "additionalProperties": {"type": "string"}}, True),
        ("dict(str, str)", {"$ref": "#/components/schemas/Url"}, False),
        ("TaskUrls", {"$ref": "#/components/schemas/Url"}, True),
    ],
)
def test_one_vocabulary_for_both_sides(spelling: str, schema: dict[str, Any], same: bool) -> None:
    assert (sdk_type(models, spelling) == schema_type(DOCUMENT, schema)[0]) is same


def test_a_union_is_sorted_flat_and_absorbed_by_any() -> None:
    assert v.union(["string", "integer", "string"]) == "[integer, string]"
    assert v.union(["integer"]) == "integer"
    assert v.union(["integer", "any"]) == "any"
