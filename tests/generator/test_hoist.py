"""Nested inline schemas hoisted into components (``generator.hoist``): names valid, unique, free
of the document's own, and the same however the document is ordered."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.hoist import hoist_inline
from generator.schemas import TAKEN_IN_MODELS

#: Few names, so that places clash often: plurals, case twins, what the models module imports.
NAMES = st.sampled_from(
    ["a", "results", "result", "status", "Status", "data", "field", "x_y", "xY"]
)
LEAF = st.one_of(
    st.just({"type": "string"}),
    st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, max_size=2, unique=True).map(
        lambda values: {"type": "string", "enum": values}
    ),
)
SCHEMAS = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.dictionaries(NAMES, inner, min_size=1, max_size=3).map(
            lambda properties: {"type": "object", "properties": properties}
        ),
        inner.map(lambda items: {"type": "array", "items": items}),
        st.tuples(inner, st.booleans()).map(
            lambda pair: {**pair[0], "nullable": True} if pair[1] else pair[0]
        ),
    ),
    max_leaves=8,
)
COMPONENTS = st.dictionaries(st.sampled_from(["Book", "Result", "Status", "Shelf"]), SCHEMAS)


def _document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "components": {"schemas": schemas}}


def _shuffled(node: Any, rng: random.Random) -> Any:
    if isinstance(node, dict):
        items = [(key, _shuffled(value, rng)) for key, value in node.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(node, list):
        return [_shuffled(value, rng) for value in node]
    return node


@given(COMPONENTS)
def test_hoisted_names_are_valid_unique_and_apart_from_the_document_s(
    schemas: dict[str, Any],
) -> None:
    result, hoisted = hoist_inline(_document(schemas), {"Shelf": ("ListShelves", "Response")})

    lowered = [name.lower() for name in [*schemas, *hoisted]]
    assert len(set(lowered)) == len(lowered)
    assert all(name.isidentifier() and name not in TAKEN_IN_MODELS for name in hoisted)
    assert sorted(result["components"]["schemas"]) == sorted([*schemas, *hoisted])
    text = json.dumps(result)
    assert "\\u0000pending" not in text  # every reference was named
    for name in hoisted:
        assert f'"#/components/schemas/{name}"' in text  # and each model is used


@given(COMPONENTS, st.integers(0, 2**32))
def test_hoisted_names_do_not_depend_on_the_order_of_the_document(
    schemas: dict[str, Any], seed: int
) -> None:
    owners = {"Shelf": ("ListShelves", "Response")}
    shuffled = _shuffled(schemas, random.Random(seed))

    original = hoist_inline(_document(schemas), owners)
    reordered = hoist_inline(_document(shuffled), owners)

    assert json.dumps(reordered, sort_keys=True) == json.dumps(original, sort_keys=True)


def test_a_place_s_name_grows_only_as_far_as_it_must() -> None:
    status = {"type": "string", "enum": ["open", "shut"]}
    schemas = {
        "Book": {"type": "object", "properties": {"status": status, "phase": {"enum": ["x"]}}},
        "Shelf": {
            "type": "object",
            "properties": {
                "results": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"status": status}},
                },
                "status": {**status, "nullable": True, "description": "Shelf's."},
            },
        },
    }

    result, hoisted = hoist_inline(_document(schemas), {"Shelf": ("ListShelves", "Response")})

    # ``phase`` is unique: its own name. ``results`` items: ``Result``. ``status`` clashes:
    # the one alike in Book and in the results items is one model per owner, named after it;
    # the shelf's own (described apart) takes its role where the shorter name is claimed twice.
    assert hoisted == [
        "BookStatus",
        "ListShelvesResponseStatus",
        "ListShelvesResultStatus",
        "Phase",
        "Result",
    ]
    shelf = result["components"]["schemas"]["Shelf"]["properties"]
    # The site keeps what describes the property, and its nullability.
    assert shelf["status"] == {
        "description": "Shelf's.",
        "allOf": [{"$ref": "#/components/schemas/ListShelvesResponseStatus"}],
        "nullable": True,
    }
    assert shelf["results"]["items"] == {"$ref": "#/components/schemas/Result"}


def test_a_nullable_enum_listing_null_is_named_from_its_place() -> None:
    # OpenAPI 3.0 wants `null` among a nullable enum's values (Asana's `color`s): left to the
    # library they were `Color`, `Color1`, `Color2` in the order of the document.
    color = {"type": "string", "nullable": True, "enum": ["red", "blue", None]}
    schemas = {
        "Project": {"type": "object", "properties": {"color": {**color, "description": "P."}}},
        "Tag": {"type": "object", "properties": {"color": {**color, "description": "T."}}},
    }

    result, hoisted = hoist_inline(_document(schemas), {})

    assert hoisted == ["ProjectColor", "TagColor"]
    named = result["components"]["schemas"]
    assert named["TagColor"] == {"type": "string", "enum": ["red", "blue"], "description": "T."}
    assert named["Tag"]["properties"]["color"] == {
        "description": "T.",
        "allOf": [{"$ref": "#/components/schemas/TagColor"}],
        "nullable": True,
    }


def test_objects_among_a_union_s_choices_are_named_by_their_title_or_sole_property() -> None:
    # Pinecone's index `spec`: one of three inline objects, which the library numbered
    # `Spec1`, `Spec2`, `Spec3` in the order of the document.
    def branch(key: str, **extra: Any) -> dict[str, Any]:
        inner = {"type": "object", "properties": {"region": {"type": "string"}}}
        return {"type": "object", "properties": {key: inner}, "required": [key], **extra}

    spec = {"oneOf": [branch("serverless", title="Serverless"), branch("pod")]}
    untold = {"anyOf": [branch("pod"), {"type": "object", "properties": {"a": {}, "b": {}}}]}
    picked = {"oneOf": [branch("pod"), branch("byoc")], "discriminator": {"propertyName": "x"}}
    schemas = {"Index": {"type": "object", "properties": {"spec": spec, "u": untold, "d": picked}}}

    result, hoisted = hoist_inline(_document(schemas), {})

    # Each choice is named as the last part of its place while that is unique.
    assert {"Pod", "Serverless"} <= set(hoisted)
    assert not any(character.isdigit() for name in hoisted for character in name)
    index = result["components"]["schemas"]["Index"]["properties"]
    assert index["spec"]["oneOf"] == [
        {"title": "Serverless", "$ref": "#/components/schemas/Serverless"},
        {"$ref": "#/components/schemas/Pod"},
    ]
    # Without a label for every object, or under a discriminator: left to the library.
    assert "properties" in index["u"]["anyOf"][1]
    assert all("properties" in member for member in index["d"]["oneOf"])


def test_objects_among_a_union_s_choices_are_named_by_a_property_of_one_value() -> None:
    # Qdrant's cluster status: `{status: enabled, peers…}` or `{status: disabled}`.
    def state(value: str, **more: Any) -> dict[str, Any]:
        status = {"type": "string", "enum": [value]}
        return {"type": "object", "properties": {"status": status, **more}}

    union = {"oneOf": [state("disabled"), state("enabled", peer_id={"type": "integer"})]}

    result, hoisted = hoist_inline(_document({"ClusterStatus": union}), {})

    assert result["components"]["schemas"]["ClusterStatus"]["oneOf"] == [
        {"$ref": "#/components/schemas/Disabled"},
        {"$ref": "#/components/schemas/Enabled"},
    ]
    assert not any(character.isdigit() for name in hoisted for character in name)


def test_a_bounded_scalar_among_a_union_s_choices_is_named_as_the_union_s_place() -> None:
    # Stripe's `account: anyOf: [{type: string, maxLength: 5000}, {$ref: account}]`: the
    # library made the string a root model `Account1`.
    account = {"anyOf": [{"type": "string", "maxLength": 5000}, {"$ref": "#/c/s/account"}]}
    plain = {"anyOf": [{"type": "string"}, {"$ref": "#/c/s/account"}]}
    schemas = {"Fee": {"type": "object", "properties": {"account": account, "plain": plain}}}

    result, hoisted = hoist_inline(_document({**schemas, "account": {"type": "object"}}), {})

    assert hoisted == ["FeeAccount"]  # `Account` alone is the component's name
    fee = result["components"]["schemas"]["Fee"]["properties"]
    assert fee["account"]["anyOf"][0] == {"$ref": "#/components/schemas/FeeAccount"}
    assert fee["plain"] == plain  # nothing to bound: a plain `str` in the union
