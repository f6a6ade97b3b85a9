"""Schemas as Python type expressions, and the schema set datamodel-code-generator renders.

Named schemas (``components/schemas``) become model classes under names chosen here, valid and
unique, and every reference is rewritten to them, so the client imports exactly the names the
models module defines. A body or answer schema written inline becomes a model of its own, named
after its operation, when it is an object; arrays, maps and scalars become ``list[...]``,
``dict[str, ...]`` and builtins.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.escape import py_str
from generator.names import class_name, pascal, unique
from generator.problems import SpecError, pointer
from generator.syntax import parsed

SCHEMAS = "#/components/schemas/"
#: Names the models module imports or datamodel-code-generator renames; a schema named so gets
#: ``Model`` appended, as the library would do on its own, but predictably.
TAKEN_IN_MODELS = frozenset(
    {
        "Annotated", "Any", "AnyUrl", "AwareDatetime", "BaseModel", "ConfigDict", "Enum",
        "Field", "IntEnum", "Literal", "Optional", "RootModel", "StrEnum", "Union", "UUID",
        "date", "datetime", "time", "timedelta", "Decimal", "models", "annotations",
    }
)  # fmt: skip
#: A reference to a whole parameter or header object, which a schema cannot be.
_PARAMETER_OR_HEADER = re.compile(r"#/components/(parameters|headers)/[^/]+")
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
#: String formats a parameter is typed by: the client sends them as the format says (ISO 8601,
#: the canonical UUID), see ``text`` in the rendered ``_wire.py``.
_FORMATS = {"date": "datetime.date", "date-time": "datetime.datetime", "uuid": "uuid.UUID"}


@dataclass
class SchemaTypes:
    """Type expressions for the document's schemas; ``extra`` collects the inline models."""

    document: Mapping[str, Any]
    errors: list[SpecError]
    names: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    #: The references being expanded into a type expression: one met again holds itself.
    _expanding: set[str] = field(default_factory=set)
    #: An inline model's name split into its owner and role (``GetPetResponse`` →
    #: ``("GetPet", "Response")``), for naming what is nested in it (:mod:`generator.hoist`).
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        taken: list[str] = []
        for name in sorted(self.components()):
            chosen = class_name(name, "Model")
            if chosen in TAKEN_IN_MODELS:
                chosen += "Model"
            chosen = unique(chosen, taken)
            taken.append(chosen)
            self.names[name] = chosen

    def components(self) -> dict[str, Any]:
        """The document's named schemas."""
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        return schemas if isinstance(schemas, dict) else {}

    def annotation(self, schema: Any, hint: tuple[str, ...], where: str) -> str:
        """The type of a body or answer ``schema``; inline objects become models named from
        ``hint``: the owner's name (an operation's), then the role (``Body``, ``Response``…)."""
        if not isinstance(schema, Mapping) or not schema:
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._referenced(ref, where) or "Any"
        simple = self._simple(schema, hint, where, self.annotation)
        if simple is not None:
            return simple
        joined = pascal("".join(hint), "Model")
        name = unique(joined + "Model" if joined in TAKEN_IN_MODELS else joined, self.taken())
        self.extra[name] = self._rewritten(schema, schema=True)
        if name == joined and len(hint) > 1:
            self.owners[name] = (hint[0], "".join(hint[1:]))
        return f"models.{name}"

    def parameter_annotation(self, schema: Any, where: str) -> str:
        """The type of a parameter's ``schema``: scalars, literals of enums, lists and maps."""
        if not isinstance(schema, Mapping) or not schema:
            return "str"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self._resolve(ref, where)
            if target is None:
                return "str"
            if ref.startswith(SCHEMAS) and "enum" in target and "/" not in ref[len(SCHEMAS) :]:
                return self._referenced(ref, where) or "str"
            return self._expanded(ref, lambda: self.parameter_annotation(target, where))
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(_literal_value(v) for v in enum):
            return "Literal[" + ", ".join(_literal(v) for v in enum) + "]"
        formatted = _formatted(schema)
        if formatted is not None:
            return formatted
        simple = self._simple(schema, (), where, lambda s, h, w: self.parameter_annotation(s, w))
        if simple is None or "models." in simple:
            return "dict[str, Any]" if schema.get("type") == "object" else "str"
        return "str" if simple == "Any" else simple

    def taken(self) -> list[str]:
        """Every model class name given so far."""
        return [*self.names.values(), *self.extra]

    def model_document(self) -> dict[str, Any]:
        """The components datamodel-code-generator renders: named schemas under their class
        names, the inline ones beside them, every reference rewritten."""
        components = self.document.get("components")
        result: dict[str, Any] = {
            key: self._rewritten(value)
            for key, value in (components.items() if isinstance(components, Mapping) else [])
            if key != "schemas"
        }
        schemas = {
            self.names[name]: self._rewritten(value, schema=True)
            for name, value in self.components().items()
        }
        result["schemas"] = {**schemas, **self.extra}
        return {
            "openapi": str(self.document.get("openapi", "3.1.0")),
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": result,
        }

    def _simple(
        self, schema: Mapping[str, Any], hint: tuple[str, ...], where: str, inner: Any
    ) -> str | None:
        if any(key in schema for key in ("allOf", "oneOf", "anyOf", "not", "enum", "const")):
            return None
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if len(kinds) != 1:
                return None
            single = self._simple({**schema, "type": kinds[0]}, hint, where, inner)
            return None if single is None else f"{single} | None" if "null" in kind else single
        if schema.get("nullable") is True:
            single = self._simple({**schema, "nullable": False}, hint, where, inner)
            return None if single is None else f"{single} | None"
        if kind == "string" and schema.get("format") == "binary":
            return "bytes"
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array" or (kind is None and "items" in schema):
            items = schema.get("items")
            return f"list[{inner(items, _suffixed(hint, 'Item'), where + '/items')}]"
        if (kind == "object" or kind is None) and not schema.get("properties"):
            extra = schema.get("additionalProperties")
            if isinstance(extra, Mapping) and extra:
                value = inner(extra, _suffixed(hint, "Value"), where + "/additionalProperties")
                return f"dict[str, {value}]"
            if kind == "object" or not schema.get("patternProperties"):
                return "dict[str, Any]"
        return None

    def _referenced(self, ref: str, where: str) -> str | None:
        target = self._resolve(ref, where)
        if target is None:
            return None
        name = ref[len(SCHEMAS) :] if ref.startswith(SCHEMAS) else None
        if name is not None and name in self.names:
            return f"models.{self.names[name]}"
        # A reference to a part of a schema, or to a schema outside components: as if inline.
        hint = (pascal(ref.rsplit("/", 1)[-1], "Model"),)
        return self._expanded(ref, lambda: self.annotation(target, hint, where))

    def _expanded_schema(self, ref: str, schema: Mapping[str, Any]) -> Any:
        if ref in self._expanding:
            return {}
        self._expanding.add(ref)
        try:
            return self._rewritten(schema, schema=True)
        finally:
            self._expanding.discard(ref)

    def _expanded(self, ref: str, expand: Callable[[], str]) -> str:
        """``expand()``, the type of what ``ref`` points at; ``Any`` where the type holds
        itself (an array of itself), which no type expression spells without a model."""
        if ref in self._expanding:
            return "Any"
        self._expanding.add(ref)
        try:
            return expand()
        finally:
            self._expanding.discard(ref)

    def _resolve(self, ref: str, where: str) -> Any:
        seen = set()
        target: Any = {"$ref": ref}
        while isinstance(target, Mapping) and isinstance(target.get("$ref"), str):
            ref = target["$ref"]
            if not ref.startswith("#/") or ref in seen:
                self.errors.append(SpecError(where, f"unsupported or circular $ref {ref!r}"))
                return None
            seen.add(ref)
            if ref.startswith(SCHEMAS) and ref[len(SCHEMAS) :] in self.components():
                return self.components()[ref[len(SCHEMAS) :]]
            target = lookup(self.document, ref)
            if target is None:
                self.errors.append(SpecError(where, f"unresolvable $ref {ref!r}"))
                return None
        return target

    def _rewritten(self, node: Any, *, schema: bool = False) -> Any:
        """``node`` with every reference to a named schema spelled with its class name; in a
        ``schema``, a reference to a parameter or header (a common slip) becomes its schema."""
        if isinstance(node, Mapping):
            result = {key: self._rewritten(value, schema=schema) for key, value in node.items()}
            if "default" in result:
                _fit_default(result)
            _required_as_list(result)
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMAS):
                name, _, rest = ref[len(SCHEMAS) :].partition("/")
                decoded = name.replace("~1", "/").replace("~0", "~")
                if decoded in self.names:
                    result["$ref"] = SCHEMAS + self.names[decoded] + (f"/{rest}" if rest else "")
            elif schema and isinstance(ref, str) and _PARAMETER_OR_HEADER.fullmatch(ref):
                target = lookup(self.document, ref)
                if isinstance(target, Mapping) and isinstance(target.get("schema"), Mapping):
                    # Inline, as a reference would name a model after the pointer ("Schema").
                    return self._expanded_schema(ref, target["schema"])
            return result
        if isinstance(node, list):
            return [self._rewritten(value, schema=schema) for value in node]
        return copy.copy(node)


def check_models(source: str, names: list[str]) -> list[SpecError]:
    """The models datamodel-code-generator was asked for but did not define under that name."""
    defined = {node.name for node in parsed(source).body if isinstance(node, ast.ClassDef)}
    return [
        SpecError(pointer("components", "schemas", name), "no model class was rendered for it")
        for name in names
        if name not in defined
    ]


def lookup(document: Mapping[str, Any], ref: str) -> Any:
    """What a local ``#/…`` reference points at, or None when it points nowhere."""
    target: Any = document
    for raw in ref.removeprefix("#/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(target, Mapping):
            target = target.get(part)
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def _required_as_list(schema: dict[str, Any]) -> None:
    """Read a property's boolean ``required`` (JSON Schema draft 3, common in published
    documents; datamodel-code-generator refuses it) as its name in the object's list."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not isinstance(schema.get("required", []), list):
        return
    flags = {
        name: prop.pop("required")
        for name, prop in properties.items()
        if isinstance(prop, dict) and isinstance(prop.get("required"), bool)
    }
    named = [name for name, required in flags.items() if required]
    if named:
        schema["required"] = list(dict.fromkeys([*schema.get("required", []), *named]))


def _fit_default(schema: dict[str, Any]) -> None:
    """Make a schema's ``default`` a value of its type, or drop it.

    Documents often write a number's default as a string (``default: "1024"``) or ``"null"`` for
    an object; rendered as it is, the model's annotation and default disagree."""
    default, kind = schema["default"], schema.get("type")
    if not isinstance(default, str) or kind == "string" or isinstance(kind, list):
        return
    readers: dict[str, Callable[[str], object]] = {
        "integer": int,
        "number": float,
        "boolean": {"true": True, "false": False}.__getitem__,
    }
    reader = readers.get(kind) if isinstance(kind, str) else None
    try:
        if reader is None:
            raise ValueError(default)
        schema["default"] = reader(default)
    except (ValueError, KeyError):
        del schema["default"]


def _suffixed(hint: tuple[str, ...], suffix: str) -> tuple[str, ...]:
    return (*hint[:-1], hint[-1] + suffix) if hint else (suffix,)


def _formatted(schema: Mapping[str, Any]) -> str | None:
    """The type of a string parameter of a format with a Python type (``date-time`` →
    ``datetime.datetime``), ``| None`` when it may be null; ``None`` for any other schema."""
    kind, format_ = schema.get("type"), schema.get("format")
    found = _FORMATS.get(format_) if isinstance(format_, str) else None
    if found is None:
        return None
    if kind == "string":
        return f"{found} | None" if schema.get("nullable") is True else found
    if isinstance(kind, list) and sorted(kind) == ["null", "string"]:
        return f"{found} | None"
    return None


def _literal_value(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _literal(value: object) -> str:
    return py_str(value) if isinstance(value, str) else str(value)
