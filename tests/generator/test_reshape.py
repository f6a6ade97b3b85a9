"""What ``reshape`` rewrites before datamodel-code-generator sees a document, and what it leaves."""

from __future__ import annotations

from typing import Any

from generator.reshape import reshape

REF = "#/components/schemas/"


def _schemas(**schemas: Any) -> dict[str, Any]:
    result = reshape({"components": {"schemas": schemas}})["components"]["schemas"]
    assert isinstance(result, dict)
    return result


def test_a_subclass_adding_properties_only_keeps_its_base() -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    child = {"allOf": [{"$ref": REF + "Base"}, {"properties": {"name": {"type": "string"}}}]}

    assert _schemas(Base=base, Child=child)["Child"] == child


def test_a_subclass_redeclaring_an_inherited_property_gets_every_property() -> None:
    grand = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    base = {"allOf": [{"$ref": REF + "Grand"}], "properties": {"stream": {"type": "boolean"}}}
    child = {
        "description": "Streams.",
        "allOf": [{"$ref": REF + "Base"}, {"required": ["stream"]}],
        "properties": {"stream": {"enum": [True]}, "extra": {"type": "integer"}},
    }

    assert _schemas(Grand=grand, Base=base, Child=child)["Child"] == {
        "description": "Streams.",
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "stream": {"enum": [True]},
            "extra": {"type": "integer"},
        },
        "required": ["id", "stream"],
    }


def test_cycles_and_bases_that_are_not_plain_objects_are_left_to_the_library() -> None:
    cycle = {"allOf": [{"$ref": REF + "Cycle"}], "properties": {"x": {}}}
    union = {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"x": {}}}]}
    child = {"allOf": [{"$ref": REF + "Union"}], "properties": {"x": {"type": "string"}}}

    schemas = _schemas(Cycle=cycle, Union=union, Child=child)

    assert (schemas["Cycle"], schemas["Child"]) == (cycle, child)


def test_only_choices_between_required_properties_are_dropped() -> None:
    presence = {
        "properties": {"a": {}, "b": {}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    typed = {"anyOf": [{"required": ["a"]}, {"type": "string"}]}

    schemas = _schemas(Presence=presence, Typed=typed)

    assert schemas["Presence"] == {"properties": {"a": {}, "b": {}}}
    assert schemas["Typed"] == typed
