"""The spec's terminate answer: the 202 schema of ``terminateTrainingJob``, walked field by field.

``$ref`` (local, ``#/…``) is resolved, ``allOf`` parts are merged, ``anyOf``/``oneOf`` alternatives
contribute the union of their types and all of their fields, ``type`` may be a list, and ``null`` in
it is kept in the spelling only (see :mod:`drift.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import vocabulary as v
from .errors import SpecProblem
from .fields import MAX_DEPTH, Field, child_path

OPERATION_ID = "terminateTrainingJob"
ANSWER_STATUS = "202"
_SCALARS = {"string": v.STRING, "integer": v.INTEGER, "number": v.NUMBER, "boolean": v.BOOLEAN}


def load_spec(path: Path) -> dict[str, Any]:
    """The OpenAPI document at ``path``, or :class:`SpecProblem` saying why it cannot be read."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SpecProblem(f"cannot read the spec {path}: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise SpecProblem(f"the spec {path} is not YAML: {error}") from None
    if not isinstance(document, dict):
        raise SpecProblem(f"the spec {path} is not an OpenAPI document")
    return document


def answer_schema(document: Mapping[str, Any], operation_id: str = OPERATION_ID) -> Any:
    """The JSON schema of the operation's 202 answer."""
    schemas = _Schemas(document)
    for operation in _operations(document):
        if operation.get("operationId") != operation_id:
            continue
        responses = operation.get("responses") or {}
        # YAML reads an unquoted 202 as a number.
        response = schemas.resolve(responses.get(ANSWER_STATUS, responses.get(int(ANSWER_STATUS))))
        try:
            return response["content"]["application/json"]["schema"]
        except (KeyError, TypeError):
            raise SpecProblem(
                f"{operation_id} has no application/json schema for {ANSWER_STATUS}"
            ) from None
    raise SpecProblem(f"the spec has no operation {operation_id}")


def _operations(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every operation object under ``paths``."""
    paths = document.get("paths")
    items = paths.values() if isinstance(paths, dict) else []
    return [
        operation
        for item in items
        if isinstance(item, dict)
        for operation in item.values()
        if isinstance(operation, dict)
    ]


def spec_fields(document: Mapping[str, Any], schema: Any) -> dict[str, Field]:
    """Every field path under ``schema`` (a schema of ``document``), keyed by path."""
    fields: dict[str, Field] = {}
    root = schema.get("$ref") if isinstance(schema, dict) else None
    _Schemas(document).walk_properties(schema, "", (root,) if isinstance(root, str) else (), fields)
    return fields


def schema_type(document: Mapping[str, Any], schema: Any) -> tuple[str, str]:
    """The vocabulary type of ``schema`` and its spelling (``[integer, string]``, ``integer (int64)``)."""
    return _Schemas(document).type_of(schema)


class _Schemas:
    """Schema lookups within one document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        """``node`` with its ``$ref`` chain followed to a schema that is not a reference."""
        while isinstance(node, dict) and "$ref" in node:
            reference = node["$ref"]
            if not isinstance(reference, str) or not reference.startswith("#/"):
                raise SpecProblem(f"only local references are followed, not {reference!r}")
            if reference in seen:
                raise SpecProblem(f"{reference} refers to itself")
            seen = (*seen, reference)
            node = self.document
            for part in reference[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or part not in node:
                    raise SpecProblem(f"{reference} points at nothing")
                node = node[part]
        return node

    def flatten(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """``schema`` resolved, its ``allOf`` merged and its alternatives collected in ``anyOf``."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth >= MAX_DEPTH:
            return {}
        merged = {k: value for k, value in schema.items() if k not in ("allOf", "oneOf", "anyOf")}
        merged["properties"] = dict(schema.get("properties") or {})
        for part in schema.get("allOf") or []:
            flat = self.flatten(part, depth + 1)
            merged["properties"].update(flat.get("properties") or {})
            for key, value in flat.items():
                merged.setdefault(key, value)
        alternatives = [
            self.flatten(part, depth + 1)
            for part in (schema.get("anyOf") or []) + (schema.get("oneOf") or [])
        ]
        if alternatives:
            merged["anyOf"] = alternatives
            for alternative in alternatives:
                for key, value in (alternative.get("properties") or {}).items():
                    merged["properties"].setdefault(key, value)
        return merged

    def type_of(self, schema: Any, depth: int = 0) -> tuple[str, str]:
        """The vocabulary type of ``schema`` and its spelling; a referenced object is spelled by name."""
        members, spelled = self._members(self.flatten(schema, depth), depth)
        if spelled == "object" and isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            spelled = schema["$ref"].rpartition("/")[2]
        return v.union(members), spelled

    def _members(self, flat: dict[str, Any], depth: int) -> tuple[set[str], str]:
        if "anyOf" in flat:
            members: set[str] = set()
            spellings = []
            for alternative in flat["anyOf"]:
                more, spelling = self._members(alternative, depth)
                members |= more
                spellings.append(spelling)
            return members, "anyOf[" + ", ".join(spellings) + "]"
        declared = flat.get("type")
        names = declared if isinstance(declared, list) else [declared] if declared else []
        if not names:
            names = [self._implied_type(flat)]
        members, spellings = set(), []
        for name in names:
            member, spelling = self._member(name, flat, depth)
            if member is not None:
                members.add(member)
            spellings.append(spelling)
        spelled = spellings[0] if len(spellings) == 1 else "[" + ", ".join(spellings) + "]"
        if isinstance(flat.get("format"), str):
            spelled += f" ({flat['format']})"
        return members, spelled

    @staticmethod
    def _implied_type(flat: dict[str, Any]) -> str:
        if flat.get("properties") or "additionalProperties" in flat:
            return "object"
        if "items" in flat:
            return "array"
        return "any"

    def _member(self, name: Any, flat: dict[str, Any], depth: int) -> tuple[str | None, str]:
        """One member of ``type`` in the vocabulary (``None`` for ``null``) and its spelling."""
        if name == "null":
            return None, "null"
        if name in _SCALARS:
            return _SCALARS[name], name
        if name == "array":
            item_type, item_spelling = self.type_of(flat.get("items", {}), depth + 1)
            return v.array_of(item_type), f"array[{item_spelling}]"
        if name == "object":
            values = flat.get("additionalProperties")
            if isinstance(values, dict) and not flat.get("properties"):
                value_type, value_spelling = self.type_of(values, depth + 1)
                return v.map_of(value_type), f"map[{value_spelling}]"
            return v.OBJECT, "object"
        return v.ANY, str(name)

    def walk_properties(
        self, schema: Any, path: str, stack: tuple[str, ...], fields: dict[str, Field]
    ) -> None:
        """Add the fields of the object ``schema`` (and of its arrays' and maps' items) at ``path``."""
        flat = self.flatten(schema)
        for key, child in flat.get("properties", {}).items():
            field_path = child_path(path, str(key))
            type_, spelled = self.type_of(child)
            fields[field_path] = Field(field_path, type_, spelled)
            self._walk_below(child, self.flatten(child), field_path, stack, fields)

    def _walk_below(
        self,
        child: Any,
        flat: dict[str, Any],
        path: str,
        stack: tuple[str, ...],
        fields: dict[str, Field],
    ) -> None:
        """Walk into whatever object the field ``path`` holds: itself, its items or its values."""
        marker = child.get("$ref", path) if isinstance(child, dict) else path
        if marker in stack or len(stack) >= MAX_DEPTH:
            return
        stack = (*stack, marker)
        if flat.get("properties"):
            self.walk_properties(flat, path, stack, fields)
        for alternative in [flat, *flat.get("anyOf", [])]:
            items = alternative.get("items")
            if items is not None:
                self._walk_below(items, self.flatten(items), path + "[]", stack, fields)
            values = alternative.get("additionalProperties")
            if isinstance(values, dict) and not alternative.get("properties"):
                self._walk_below(values, self.flatten(values), path + "{}", stack, fields)
