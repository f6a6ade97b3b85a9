"""Schema shapes datamodel-code-generator renders into models mypy rejects, rewritten before it
sees them into shapes that accept the same answers and that it renders cleanly.

- An ``anyOf``/``oneOf`` whose branches only say which properties must be present ("a name or a
  company") is dropped: the library would turn each branch into a model and the schema into a
  union of classes inheriting from two bases that disagree on a field. The client accepts every
  answer either branch accepts, and leaves the check to the server.
- An ``allOf`` subclass that declares again a property one of its bases declares (``stream:
  {enum: [true]}`` over a boolean, a page narrowing ``data``) or makes it required, or that a
  discriminator maps to while the property it discriminates by is inherited, is flattened into one object schema: the
  inherited properties, then its own, its own winning as they do in the library's subclass.
  A subclass narrowing a base's field is an incompatible override for mypy (class attributes are
  mutable); a model of its own states the same fields without claiming to be the base.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.keywords import with_subschemas

SCHEMAS = "#/components/schemas/"
#: Keys a branch may hold and still only say which properties must be present.
_PRESENCE = frozenset({"required", "title", "description"})
#: Keys of an object schema that flattening can merge (extensions aside): anything else (a
#: ``oneOf``, ``not``, a ``type`` other than object) leaves the schema to the library.
_PLAIN = frozenset(
    {"type", "properties", "required", "allOf", "title", "description", "additionalProperties"}
    | {"unevaluatedProperties", "nullable", "deprecated", "example", "examples", "externalDocs"}
    | {"readOnly", "writeOnly", "discriminator"}
)


def reshape(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with the shapes above rewritten in ``components/schemas``."""
    result = dict(document)
    components = document.get("components")
    if not isinstance(components, Mapping) or not isinstance(components.get("schemas"), Mapping):
        return result
    schemas = {name: _without_presence_choices(s) for name, s in components["schemas"].items()}
    targets = _discriminator_targets(schemas)
    flattened = {
        name: _flattened(name, schema, schemas, targets.get(name, frozenset()))
        for name, schema in schemas.items()
    }
    result["components"] = {**components, "schemas": flattened}
    return result


def _without_presence_choices(schema: Any) -> Any:
    if not isinstance(schema, Mapping):
        return schema
    kept = {
        key: value
        for key, value in schema.items()
        if key not in ("anyOf", "oneOf") or not _presence_only(value)
    }
    return with_subschemas(kept, _without_presence_choices)


def _presence_only(branches: Any) -> bool:
    return (
        isinstance(branches, list)
        and bool(branches)
        and all(
            isinstance(branch, Mapping)
            and "required" in branch
            and all(key in _PRESENCE or str(key).startswith("x-") for key in branch)
            for branch in branches
        )
    )


def _discriminator_targets(schemas: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Per schema name, the properties a discriminator that maps to it discriminates by."""
    found: dict[str, set[str]] = {}

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
            return
        if not isinstance(value, Mapping):
            return
        discriminator = value.get("discriminator")
        if isinstance(discriminator, Mapping) and isinstance(
            discriminator.get("propertyName"), str
        ):
            refs = [
                branch.get("$ref")
                for key in ("oneOf", "anyOf")
                for branch in value.get(key) or []
                if isinstance(branch, Mapping)
            ]
            mapping = discriminator.get("mapping")
            if isinstance(mapping, Mapping):
                refs.extend(mapping.values())
            for ref in refs:
                if isinstance(ref, str) and ref.startswith(SCHEMAS):
                    found.setdefault(ref[len(SCHEMAS) :], set()).add(discriminator["propertyName"])
        for key, item in value.items():
            if not str(key).startswith("x-"):
                visit(item)

    visit(list(schemas.values()))
    return {name: frozenset(properties) for name, properties in found.items()}


def _flattened(
    name: str, schema: Any, schemas: Mapping[str, Any], discriminated: frozenset[str]
) -> Any:
    if not isinstance(schema, Mapping) or not isinstance(schema.get("allOf"), list):
        return schema
    inherited = _object_of(schema, schemas, frozenset({name}), own=False)
    own = _object_of(schema, schemas, frozenset({name}), own=True)
    if inherited is None or own is None:
        return schema
    # The library declares a property again where the subclass lists it as required (even once
    # more), with the type of its schema, not the one the base ended up with (a Literal).
    made_required = set(own[1]) & inherited[0].keys()
    narrowed = own[0].keys() & inherited[0].keys()
    if not narrowed and not made_required and not discriminated & inherited[0].keys():
        return schema
    result = {key: value for key, value in schema.items() if key not in ("allOf", "properties")}
    result["type"] = "object"
    result["properties"] = {**inherited[0], **own[0]}
    required = [*inherited[1], *(r for r in own[1] if r not in inherited[1])]
    if required:
        result["required"] = required
    return result


def _object_of(
    schema: Mapping[str, Any], schemas: Mapping[str, Any], seen: frozenset[str], *, own: bool
) -> tuple[dict[str, Any], list[str]] | None:
    """The properties and required names ``schema`` declares itself (``own``: beside its
    ``allOf`` and in its inline parts) or inherits (through the ``$ref``\\ s of its ``allOf``,
    with everything they inherit); ``None`` when it is not a plain object schema."""
    if any(key not in _PLAIN and not str(key).startswith("x-") for key in schema):
        return None
    if schema.get("type", "object") != "object":
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []

    def add(part: Mapping[str, Any]) -> None:
        declared = part.get("properties", {})
        if isinstance(declared, Mapping):
            properties.update(declared)
        names = part.get("required", [])
        if isinstance(names, list):
            required.extend(r for r in names if isinstance(r, str) and r not in required)

    for part in schema.get("allOf", []):
        if not isinstance(part, Mapping):
            return None
        ref = part.get("$ref")
        if isinstance(ref, str):
            if len(part) != 1 or not ref.startswith(SCHEMAS) or own:
                if own:
                    continue
                return None
            target = ref[len(SCHEMAS) :]
            base = schemas.get(target)
            if target in seen or not isinstance(base, Mapping):
                return None
            whole = _whole_object(base, schemas, seen | {target})
            if whole is None:
                return None
            add(whole)
        elif own:
            inner = _object_of(part, schemas, seen, own=True)
            if inner is None or "allOf" in part:
                return None
            add({"properties": inner[0], "required": inner[1]})
        elif any(key not in _PLAIN and not str(key).startswith("x-") for key in part):
            return None
    if own:
        add(schema)
    return properties, required


def _whole_object(
    schema: Mapping[str, Any], schemas: Mapping[str, Any], seen: frozenset[str]
) -> dict[str, Any] | None:
    inherited = _object_of(schema, schemas, seen, own=False)
    own = _object_of(schema, schemas, seen, own=True)
    if inherited is None or own is None:
        return None
    required = [*inherited[1], *(r for r in own[1] if r not in inherited[1])]
    return {"properties": {**inherited[0], **own[0]}, "required": required}
