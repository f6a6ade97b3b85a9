"""Inline schemas turned into named components, each named from its place in the document.

Left inline, datamodel-code-generator names a nested object or enum after its property alone and
numbers the clashes in the order it meets them (the NYT Books API's ``Result``, ``Result1``…):
the names say nothing of where a model belongs and change when the document is reordered. So,
before the library sees the document, every such schema becomes a component of its own. Its
place is its owner (a component, or an operation and its role: ``Body``, ``Response``,
``Response404``) and the path of properties below it (an array's item gets the property's
singular, ``results`` → ``Result``; a map's value ``Value``; an enum among a union's choices
the union's place). Its name is the first of these that
no other schema's place could also give, compared case-insensitively:

1. the last property alone (``Phase``), as the library would name it;
2. the owner and the last property (``GetListsFormatResult``), then the owner and ever more of
   the path, then the owner, its role and the whole path.

Only schemas whose whole places read the same get numbers, in the order of their places. The
names depend on the document's names, never on its order. A schema written identically at
several places (an ``isbns`` item in three answers) is one model, named from its places.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.names import unique, words
from generator.schemas import TAKEN_IN_MODELS

SCHEMAS = "#/components/schemas/"
#: A reference to a model not named yet: the suffix is its index in ``_Hoister.groups``.
_PENDING = SCHEMAS + "\x00pending:"
#: How deep below a component schemas are hoisted; deeper ones stay inline for the library.
MAX_DEPTH = 64
#: Keywords that describe a property rather than its type: they stay where the schema was.
_SITE_ONLY = ("default", "readOnly", "writeOnly", "deprecated", "example", "examples")
#: ... and those that describe both.
_SITE_TOO = ("description", "title")
_COMPOSED = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "const", "$ref")
#: Parts of a path that are not property names: never a name on their own.
_SYNTHETIC = ("Item", "Value", "Enum")

#: A place: the owner's parts (a component's name; or an operation's and a role's) and the path.
Place = tuple[tuple[str, ...], tuple[str, ...]]


def hoist_inline(
    document: Mapping[str, Any], owners: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, Any], list[str]]:
    """The model ``document`` with every nested inline object and enum of its
    ``components/schemas`` made a named component, and the names given.

    ``owners`` splits a schema's name into its owner's parts (``GetListsFormatResponse`` →
    ``("GetListsFormat", "Response")``); a schema not listed owns under its own name.
    """
    components = document.get("components")
    if not isinstance(components, Mapping) or not isinstance(components.get("schemas"), Mapping):
        return dict(document), []
    schemas: Mapping[str, Any] = components["schemas"]
    # A schema shared by several owners keeps one model only under a name of its own (``Isbn``):
    # named after one owner (``BookStatus`` for a ``Review``'s status too) it would mislead, so
    # a second pass gives each owner its own model of it.
    apart: frozenset[str] = frozenset()
    for _ in range(2):
        hoister = _Hoister(apart)
        walked = {
            name: hoister.walk(schema, tuple(owners.get(name, (name,))), (), 0)
            for name, schema in sorted(schemas.items())
        }
        names = hoister.names(schemas)
        misnamed = hoister.misnamed(names) - apart
        if not misnamed:
            break
        apart |= misnamed
    # Every reference to a hoisted schema was built by the last pass: named in place.
    for number, refs in enumerate(hoister.refs):
        for ref in refs:
            ref["$ref"] = SCHEMAS + names[number]
    result = dict(walked)
    for index, group in enumerate(hoister.groups):
        result[names[index]] = group.schema
    return {**document, "components": {**components, "schemas": result}}, sorted(names)


@dataclass
class _Group:
    """One hoisted schema and every place it was written at."""

    schema: dict[str, Any]
    key: str
    places: list[Place] = field(default_factory=list)


@dataclass
class _Hoister:
    #: Keys of schemas hoisted once per owner rather than once for the whole document.
    apart: frozenset[str] = frozenset()
    groups: list[_Group] = field(default_factory=list)
    #: The reference objects to each group, by the group's index.
    refs: list[list[dict[str, Any]]] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def walk(self, node: Any, owner: tuple[str, ...], path: tuple[str, ...], depth: int) -> Any:
        """``node`` with the schemas nested in it replaced by references to their groups."""
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            return node
        result = dict(node)
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            result["properties"] = {
                key: self._site(value, owner, (*path, _part(str(key))), depth)
                for key, value in properties.items()
            }
        if isinstance(node.get("items"), Mapping):
            result["items"] = self._site(node["items"], owner, _item(path), depth)
        if isinstance(node.get("additionalProperties"), Mapping):
            value = node["additionalProperties"]
            result["additionalProperties"] = self._site(value, owner, (*path, "Value"), depth)
        if isinstance(node.get("allOf"), list):
            result["allOf"] = [self.walk(item, owner, path, depth + 1) for item in node["allOf"]]
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                labels = _labels(node[key]) if "discriminator" not in node else {}
                result[key] = [
                    self._member(item, owner, path, depth, labels.get(index))
                    for index, item in enumerate(node[key])
                ]
        return result

    def _member(
        self,
        node: Any,
        owner: tuple[str, ...],
        path: tuple[str, ...],
        depth: int,
        label: str | None,
    ) -> Any:
        # An enum among the choices of a union is named as the union's place (``model: anyOf:
        # [string, enum]`` → ``Model``), or ``Enum`` after its owner when the union is the owner.
        # An object there is named from the union's place and its own label (below); one
        # without a label stays with the library: several would share one place.
        if isinstance(node, Mapping) and "enum" in node and _hoistable(node):
            return self._site(node, owner, path or ("Enum",), depth)
        if _constrained(node):
            # The library makes a bounded scalar or array among a union's choices a root model
            # of its own, numbered after the property (Stripe's `account: anyOf: [string of at
            # most 5000, account]` gave `Account1`); it is named as the union's place too.
            return self._site(node, owner, path or ("Value",), depth, bounded=True)
        if label is not None:
            return self._site(node, owner, (*path, label), depth)
        return self.walk(node, owner, path, depth + 1)

    def _site(
        self,
        node: Any,
        owner: tuple[str, ...],
        path: tuple[str, ...],
        depth: int,
        *,
        bounded: bool = False,
    ) -> Any:
        walked = self.walk(node, owner, path, depth + 1)
        if not (_hoistable(walked) or (bounded and _constrained(walked))):
            return walked
        schema, site, null = _split(walked)
        # A discriminator's enum is hoisted too: the library still makes it each branch's
        # ``Literal``. The key sorts keys; anything JSON cannot hold is compared as text.
        key = json.dumps(schema, sort_keys=True, default=str)
        if key in self.apart:
            key += json.dumps(owner)
        if key not in self.index:
            self.index[key] = len(self.groups)
            self.groups.append(_Group(schema, key))
            self.refs.append([])
        number = self.index[key]
        self.groups[number].places.append((owner, path))
        # Pending until every schema is named; a parent's key holds it, so it tells parents apart.
        pending = f"{_PENDING}{number}"
        ref: dict[str, Any]
        if null == "nullable":
            ref = {"$ref": pending}
            result = {**site, "allOf": [ref], "nullable": True}
        elif null == "type":
            ref = {"$ref": pending}
            result = {**site, "anyOf": [ref, {"type": "null"}]}
        else:
            ref = result = {**site, "$ref": pending}
        self.refs[number].append(ref)
        return result

    def names(self, schemas: Iterable[str]) -> list[str]:
        """Each group's name, by the group's index."""
        candidates = [_candidates(group.places) for group in self.groups]
        claimed: dict[str, set[int]] = {}
        for number, names in enumerate(candidates):
            for name in names:
                claimed.setdefault(name.lower(), set()).add(number)
        taken = [*schemas, *TAKEN_IN_MODELS]
        lowered = {name.lower() for name in taken}
        chosen: dict[int, str] = {}
        # In the order of their places, so that any number goes the same way on every run.
        for number in sorted(range(len(self.groups)), key=lambda n: min(self.groups[n].places)):
            free = [
                name
                for name in candidates[number]
                if claimed[name.lower()] == {number} and name.lower() not in lowered
            ]
            chosen[number] = free[0] if free else unique(candidates[number][-1], taken)
            taken.append(chosen[number])
            lowered.add(chosen[number].lower())
        return [chosen[number] for number in range(len(self.groups))]

    def misnamed(self, names: list[str]) -> frozenset[str]:
        """The keys of groups of several owners that did not get the last property's name."""
        return frozenset(
            group.key
            for group, name in zip(self.groups, names, strict=True)
            if len({owner for owner, _ in group.places}) > 1
            and {path[-1] if path else "" for _, path in group.places} != {name}
        )


def _candidates(places: list[Place]) -> list[str]:
    """A group's possible names, shortest first: the last property alone when every place
    agrees on it, then those of its first place with the owner in front."""
    first_owner, first_path = min(places)
    result = []
    lasts = {path[-1] for _, path in places if path}
    if len(lasts) == 1 and first_path and first_path[-1] not in _SYNTHETIC:
        result.append(first_path[-1])
    for size in range(1, len(first_path) + 1):
        result.append(first_owner[0] + "".join(first_path[-size:]))
    result.append("".join(first_owner) + "".join(first_path))
    valid = [
        name
        for name in result
        if name.isidentifier() and name[:1].isupper() and not keyword.iskeyword(name)
    ]
    return list(dict.fromkeys(valid)) or ["Model" + "".join(first_owner)]


_BOUNDS = (
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
)


def _constrained(node: Any) -> bool:
    """A string, number or array with a bound (and nothing composed)."""
    if not isinstance(node, Mapping) or any(key in node for key in (*_COMPOSED, "enum")):
        return False
    kinds = node.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list):
        return False
    kinds = [kind for kind in kinds if kind != "null"]
    return (
        len(kinds) == 1
        and kinds[0] in ("string", "integer", "number", "array")
        and any(key in node for key in _BOUNDS)
    )


def _labels(members: list[Any]) -> dict[int, str]:
    """The label of each inline object among a union's choices, by its index: its ``title``,
    else the value of a property with one value (Qdrant's ``status: enabled``), else its one
    property (Pinecone's ``spec``: ``serverless`` or ``pod``). None unless every
    such object has one and they differ: the library's numbers are no worse than a guess.
    Left out under a ``discriminator``, which may name the choices after their models."""
    labels: dict[int, str] = {}
    for index, member in enumerate(members):
        if not isinstance(member, Mapping) or "enum" in member or not _hoistable(member):
            continue
        title = member.get("title")
        properties = list(member["properties"])
        tag = _tag(member["properties"])
        if isinstance(title, str) and _part(title):
            labels[index] = _part(title)
        elif tag:
            labels[index] = tag
        elif len(properties) == 1 and _part(str(properties[0])):
            labels[index] = _part(str(properties[0]))
        else:
            return {}
    if len({label.lower() for label in labels.values()}) != len(labels):
        return {}
    return labels


def _tag(properties: Mapping[str, Any]) -> str:
    """The value of the first property that can hold only one string (``status: {enum:
    [enabled]}``, ``type: {const: file}``): what the choice is, as the document tells it."""
    for schema in properties.values():
        if not isinstance(schema, Mapping):
            continue
        values = schema.get("enum", [schema["const"]] if "const" in schema else None)
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            return _part(values[0])
    return ""


def _part(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(name))


def _item(path: tuple[str, ...]) -> tuple[str, ...]:
    if not path:
        return ("Item",)
    last = path[-1]
    if last.endswith("ies") and len(last) > 4:
        singular = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        singular = last[:-1]
    else:
        singular = last + "Item"
    return (*path[:-1], singular)


def _hoistable(node: Any) -> bool:
    """An inline object with properties, or an enum of strings or of integers."""
    if not isinstance(node, Mapping) or any(key in node for key in _COMPOSED):
        return False
    kinds = node.get("type")
    kinds = [kinds] if kinds is None or isinstance(kinds, str) else kinds
    if not isinstance(kinds, list):
        return False
    kinds = [kind for kind in kinds if kind != "null"] or [None]
    if len(kinds) != 1:
        return False
    enum = node.get("enum")
    if isinstance(enum, list):
        # A nullable enum lists ``null`` among its values (OpenAPI 3.0 requires it there): what
        # is named is the rest, nullability stays at the site.
        enum = [value for value in enum if value is not None]
    if isinstance(enum, list) and enum:
        strings = all(isinstance(value, str) for value in enum)
        integers = all(isinstance(value, int) and not isinstance(value, bool) for value in enum)
        return (strings and kinds[0] in (None, "string")) or (
            integers and kinds[0] in (None, "integer")
        )
    properties = node.get("properties")
    return (
        "enum" not in node
        and isinstance(properties, Mapping)
        and bool(properties)
        and kinds[0] in (None, "object")
    )


def _split(node: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """The hoisted schema, what stays at its site, and how the site may be null."""
    schema = {key: value for key, value in node.items() if key not in _SITE_ONLY}
    site = {key: node[key] for key in (*_SITE_ONLY, *_SITE_TOO) if key in node}
    null = None
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    if schema.pop("nullable", None) is True:
        null = "nullable"
    kinds = schema.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        others = [kind for kind in kinds if kind != "null"]
        if others:
            schema["type"] = others[0]
        else:
            del schema["type"]
        null = "type"
    return schema, site, null
