"""Valid documents mutated at random — their structure, names and values — are rendered into a
package that compiles and imports, or refused as a problem of the document: never an internal
error (the exit status 1 of ``python -m generator``)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.config import PackageConfig
from generator.model_cache import ModelCache
from generator.problems import SpecProblems
from generator.project import write_project

from .conftest import SPEC, imported_from

PACKAGE = "mutant"

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "servers": [
        {"url": "https://{region}.pets.test/v1", "variables": {"region": {"default": "eu"}}}
    ],
    "x-constants": {"MAX_PETS": {"value": 10}},
    "paths": {
        "/pets/{pet_id}": {
            "parameters": [
                {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {
                        "name": "fields",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "The pet.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "404": {"description": "No such pet."},
                },
            },
            "put": {
                "operationId": "putPet",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                },
                "responses": {"204": {"description": "Stored."}},
            },
        },
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Kind"},
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                ],
                "responses": {
                    "200": {
                        "description": "Pets.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 64},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                    "born": {"type": "string", "format": "date"},
                },
            },
            "Owner": {
                "type": "object",
                "properties": {
                    "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                },
            },
            "Kind": {"type": "string", "enum": ["cat", "dog"]},
        },
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
    "security": [{"key": []}],
}

#: Names and values that have broken generators: keywords, names the templates use, line
#: breaks, other scripts, huge and non-finite-looking numbers.
NAMES = st.one_of(
    st.sampled_from(
        ["class", "self", "send", "segment", "http", "Client", "APIError", "FOO\n", "ﬁle", "file"]
        + ["", " ", "1st", "a.b-c", "__init__", "None", "x-ext", "$ref", "{id}", "..", "名前"]
    ),
    st.text(max_size=12),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    NAMES,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=3)),
    max_leaves=6,
)


def _places(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*at, index))
    return found


#: The small document above, and the project's own (extensions, signing, error envelopes).
BASES = [BASE, yaml.safe_load(SPEC.read_text(encoding="utf-8"))]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        places = [place for place in _places(document) if place]
        place = draw(st.sampled_from(places))
        parent: Any = document
        for part in place[:-1]:
            parent = parent[part]
        last = place[-1]
        how = draw(st.sampled_from(["delete", "replace", "rename", "copy"]))
        if how == "delete":
            del parent[last]
        elif how == "replace":
            parent[last] = draw(VALUES)
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(NAMES)] = parent.pop(last)
        else:  # a subtree from elsewhere of the document, where it does not belong
            source = draw(st.sampled_from(places))
            value: Any = document
            for part in source:
                value = value[part]
            parent[last] = copy.deepcopy(value)
    return document


@settings(max_examples=max(1, settings().max_examples // 3))
@given(mutated())
def test_a_mutated_document_renders_into_a_package_that_imports_or_is_refused(
    document: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "doc.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        try:
            # The test session's cache: a mutation outside the schemas skips the library.
            files = build(spec, config=PackageConfig(PACKAGE), cache=ModelCache.for_user())
        except SpecProblems as problems:
            assert problems.errors, "a refusal names at least one problem"
            event("refused")
            return
        event("rendered")
        write_project(files, Path(folder) / "out")
        with imported_from(Path(folder) / "out", PACKAGE) as package:
            assert package.Client and package.AsyncClient
