"""Each walk turns its side's model into field paths: nested classes and schemas, arrays, maps."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from drift.errors import SpecProblem
from drift.sdk_tree import sdk_fields
from drift.spec_tree import answer_schema, spec_fields


def _model(name: str, types: dict[str, str], keys: dict[str, str] | None = None) -> type:
    return type(name, (), {"openapi_types": types, "attribute_map": keys or {k: k for k in types}})


def test_the_sdk_walk_follows_openapi_types_and_json_keys() -> None:
    models = ModuleType("models")
    models.Root = _model(  # type: ignore[attr-defined]
        "Root",
        {"ssh": "Ssh", "labels": "dict(str, Label)", "self_": "Root"},
        {"ssh": "ssh", "labels": "labels", "self_": "self"},
    )
    models.Ssh = _model("Ssh", {"task_urls": "list[TaskUrl]"})  # type: ignore[attr-defined]
    models.TaskUrl = _model("TaskUrl", {"url": "str"})  # type: ignore[attr-defined]
    models.Label = _model("Label", {"text": "str"})  # type: ignore[attr-defined]
    fields = sdk_fields(models, "Root")
    assert {path: field.type for path, field in fields.items()} == {
        "ssh": "object",
        "ssh.task_urls": "array[object]",
        "ssh.task_urls[].url": "string",
        "labels": "map[object]",
        "labels{}.text": "string",
        # A class that holds itself is listed once, not walked forever.
        "self": "object",
    }
    assert fields["ssh.task_urls"].spelled == "list[TaskUrl]"


def _document(answer: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": answer}}
    operation = {"operationId": "terminateTrainingJob", "responses": {202: {"content": content}}}
    return {"paths": {"/x": {"post": operation}}, "components": {"schemas": schemas}}


def test_the_spec_walk_resolves_refs_merges_allof_and_stops_at_cycles() -> None:
    schemas = {
        "Job": {
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "properties": {
                "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
                "labels": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Label"},
                },
                "parent": {"$ref": "#/components/schemas/Job"},
                "either": {"anyOf": [{"$ref": "#/components/schemas/Label"}, {"type": "string"}]},
            },
        },
        "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Task": {"type": "object", "properties": {"start_time": {"type": ["integer", "string"]}}},
        "Label": {"type": "object", "properties": {"text": {"type": "string"}}},
    }
    document = _document({"$ref": "#/components/schemas/Job"}, schemas)
    fields = spec_fields(document, answer_schema(document))
    assert {path: field.type for path, field in fields.items()} == {
        "id": "string",
        "tasks": "array[object]",
        "tasks[].start_time": "[integer, string]",
        "labels": "map[object]",
        "labels{}.text": "string",
        "parent": "object",
        "either": "[object, string]",
        "either.text": "string",
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"paths": {}}, "no operation terminateTrainingJob"),
        (
            _document({}, {})
            | {"paths": {"/x": {"post": {"operationId": "terminateTrainingJob"}}}},
            "no application/json schema for 202",
        ),
    ],
)
def test_a_spec_without_the_answer_is_a_spec_problem(
    document: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecProblem, match=message):
        answer_schema(document)


def test_a_dangling_ref_is_a_spec_problem() -> None:
    document = _document({"$ref": "#/components/schemas/Missing"}, {})
    with pytest.raises(SpecProblem, match="#/components/schemas/Missing points at nothing"):
        spec_fields(document, answer_schema(document))


def test_a_schema_that_holds_itself_has_a_finite_type() -> None:
    document = {
        "components": {
            "schemas": {"Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}
        }
    }
    answer = {"type": "object", "properties": {"tree": {"$ref": "#/components/schemas/Tree"}}}
    fields = spec_fields(document, answer)
    assert list(fields) == ["tree"]
    assert fields["tree"].type.startswith("array[array[")
    assert fields["tree"].type.endswith("any" + "]" * fields["tree"].type.count("["))
