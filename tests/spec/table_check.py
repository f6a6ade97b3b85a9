"""Compare the spec with the seed tables: find each table's object and check each field's type.

`problems(spec, table)` returns what is missing or mistyped, as readable strings, so a test can
both assert there are none for the real spec and that a broken spec is caught.
"""

from __future__ import annotations

from typing import Any

from seed_tables import SeedTable

TERMINATE_PATH = "/v2/{project_id}/training-jobs/{training_job_id}/actions"
GET_PATH = "/v2/{project_id}/training-jobs/{training_job_id}"

Schema = dict[str, Any]

#: What the table tests matched, printed after the run by this folder's conftest.
FIGURES: dict[str, int] = {}


def resolve(spec: Schema, node: Schema) -> Schema:
    """Follow `$ref`s (local ones only) until a schema with content is reached."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def types_of(schema: Schema) -> set[str]:
    """The JSON types a schema admits (`type` may be a string or a list)."""
    declared = schema.get("type")
    if declared is None:
        return set()
    return {declared} if isinstance(declared, str) else set(declared)


def terminate_operation(spec: Schema) -> Schema:
    return spec["paths"][TERMINATE_PATH]["post"]


def json_schema(spec: Schema, content_holder: Schema) -> Schema:
    return resolve(spec, resolve(spec, content_holder)["content"]["application/json"]["schema"])


def locate(spec: Schema, location: str) -> Schema:
    """The object schema at a table's location; KeyError names the step that is missing."""
    operation = terminate_operation(spec)
    if location == "request":
        return json_schema(spec, operation["requestBody"])
    node = json_schema(spec, operation["responses"]["202"])
    steps = location.removeprefix("$").strip(".")
    for step in filter(None, steps.split(".")):
        name, is_array = step.removesuffix("[]"), step.endswith("[]")
        node = resolve(spec, node["properties"][name])
        if is_array:
            node = resolve(spec, node["items"])
    return node


def path_parameters(spec: Schema, path: str) -> dict[str, Schema]:
    item = spec["paths"][path]
    params = list(item.get("parameters", [])) + list(item[_method(item)].get("parameters", []))
    resolved = (resolve(spec, p) for p in params)
    return {p["name"]: p for p in resolved if p["in"] == "path"}


def _method(item: Schema) -> str:
    return next(m for m in ("post", "get") if m in item)


def type_problem(spec: Schema, schema: Schema, seed_type: str) -> str | None:
    """Why `schema` does not encode the seed's type word, or None when it does."""
    schema = resolve(spec, schema)
    admitted = types_of(schema)
    scalar = {"String": "string", "Integer": "integer", "Long": "integer", "Boolean": "boolean"}
    if seed_type in scalar:
        want = scalar[seed_type]
        if want not in admitted:
            return f"expected {want}, spec admits {sorted(admitted)}"
        if seed_type == "Long" and schema.get("format") != "int64":
            return "expected format int64 for a Long"
        return None
    if seed_type == "Map<String,String>":
        return _map_problem(spec, schema)
    if seed_type == "Array<Array<Integer>>":
        if "array" not in admitted:
            return f"expected array, spec admits {sorted(admitted)}"
        inner = resolve(spec, schema["items"])
        if "array" not in types_of(inner) or "integer" not in types_of(
            resolve(spec, inner["items"])
        ):
            return "expected an array of arrays of integers"
        return None
    if seed_type.startswith("Array of "):
        if "array" not in admitted:
            return f"expected array, spec admits {sorted(admitted)}"
        items = resolve(spec, schema["items"])
        if seed_type == "Array of strings":
            return None if "string" in types_of(items) else "expected array items of type string"
        if seed_type == "Array of Map<String,String> objects":
            return _map_problem(spec, items)
        return None if "object" in types_of(items) else "expected array items of type object"
    if seed_type.endswith(" object"):
        return None if "object" in admitted else f"expected object, spec admits {sorted(admitted)}"
    raise ValueError(f"unknown seed type word {seed_type!r}")


def _map_problem(spec: Schema, schema: Schema) -> str | None:
    extra = schema.get("additionalProperties")
    if "object" not in types_of(schema) or not isinstance(extra, dict):
        return "expected an object with additionalProperties (a map)"
    if "string" not in types_of(resolve(spec, extra)):
        return "expected map values of type string"
    return None


def problems(spec: Schema, table: SeedTable) -> list[str]:
    """Everything about `table` that the spec does not encode."""
    found: list[str] = []
    if table.location == "path":
        for path in (TERMINATE_PATH, GET_PATH):
            params = path_parameters(spec, path)
            for name, seed_type in table.fields.items():
                param = params.get(name)
                if param is None:
                    found.append(f"Tabla {table.number}: {path} has no path parameter {name}")
                    continue
                if not param.get("required"):
                    found.append(f"Tabla {table.number}: path parameter {name} is not required")
                problem = type_problem(spec, param["schema"], seed_type)
                if problem:
                    found.append(f"Tabla {table.number}: path parameter {name}: {problem}")
        return found
    try:
        obj = locate(spec, table.location)
    except KeyError as missing:
        return [f"Tabla {table.number}: no object at {table.location} (missing {missing})"]
    if "object" not in types_of(obj):
        found.append(f"Tabla {table.number}: {table.location} is not an object")
    for name, seed_type in table.fields.items():
        field = obj.get("properties", {}).get(name)
        if field is None:
            found.append(f"Tabla {table.number}: {table.location}.{name} is missing")
            continue
        problem = type_problem(spec, field, seed_type)
        if problem:
            found.append(f"Tabla {table.number}: {table.location}.{name}: {problem}")
    return found


def enum_at(spec: Schema, path: str) -> list[Any]:
    """The enum of the field at `path` (`request.x` or `$.a.b`)."""
    parent, _, name = path.rpartition(".")
    return list(resolve(spec, locate(spec, parent)["properties"][name]).get("enum", []))
