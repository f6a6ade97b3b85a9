"""Limits a document must keep for its package to be rendered in bounded time and to import.

pydantic builds a model's validator when its class is created, building every model it refers to
that is not built yet within the same call: a chain of schemas each referring to the next
(``S0 → S1 → … → S1199``), defined in an order the model generator chooses, can need a frame
stack deeper than Python allows, and the package then fails at import. Such a document is refused
with the schema where the chain starts, before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.problems import SpecError, pointer
from generator.refs import DATA, NAMED, references

#: The longest chain of references between named schemas, a cycle counting all its members.
#: Measured: a ring of 48 schemas referring to the next through arrays imports, one of 64 does
#: not (about 17 frames a model); Stripe's 2021 document, the deepest real one we know, has 45.
MAX_REFERENCE_DEPTH = 48
#: Values of one ``enum``: a larger one is a list of data (every product code) more than a type,
#: and costs the model generator about 2 ms a value (100,000 values: minutes).
MAX_ENUM_VALUES = 2_000

_SCHEMAS = "#/components/schemas/"


def check_bounds(document: Mapping[str, Any]) -> list[SpecError]:
    """A problem for each limit the document exceeds that cannot be rendered at all."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    if not isinstance(schemas, Mapping):
        schemas = {}
    return _deep_chains(schemas)


def _deep_chains(schemas: Mapping[str, Any]) -> list[SpecError]:
    edges = {str(name): sorted(_targets(schema, schemas)) for name, schema in schemas.items()}
    depth = _longest_chains(edges)
    worst = max(depth, key=lambda name: (depth[name], name), default=None)
    if worst is None or depth[worst] <= MAX_REFERENCE_DEPTH:
        return []
    message = (
        f"a chain of {depth[worst]} schemas referring to each other starts here (at most "
        f"{MAX_REFERENCE_DEPTH}: pydantic could not build the models at import)"
    )
    return [SpecError(pointer("components", "schemas", worst), message)]


def _targets(schema: object, schemas: Mapping[str, Any]) -> set[str]:
    found = set()
    for _, ref in references(schema):
        if ref.startswith(_SCHEMAS):
            name = ref[len(_SCHEMAS) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
            if name in schemas:
                found.add(name)
    return found


def _longest_chains(edges: dict[str, list[str]]) -> dict[str, int]:
    """For each schema, the most schemas a chain of references from it passes through, a cycle
    counting all its members (Tarjan's strongly connected components, iteratively: the graph
    may be thousands deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}
    members: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = len(members)
                    group.append(member)
                    if member == node:
                        break
                members.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    # Tarjan's algorithm closes a component after every component it reaches: in that order,
    # each one's depth is its size plus the deepest depth among its targets.
    depth_of: list[int] = []
    for number, group in enumerate(members):
        reached = {component[t] for member in group for t in edges[member]} - {number}
        depth_of.append(len(group) + max((depth_of[other] for other in reached), default=0))
    return {name: depth_of[component[name]] for name in edges}


def drop_huge_enums(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[SpecError]]:
    """The document with every ``enum`` of more than :data:`MAX_ENUM_VALUES` values dropped (the
    schema keeps its type; a client accepts unknown values anyway), and one warning for each."""
    dropped: list[SpecError] = []

    def walk(node: Any, at: tuple[str | int, ...], named: bool) -> Any:
        if isinstance(node, list):
            return [walk(item, (*at, index), False) for index, item in enumerate(node)]
        if not isinstance(node, Mapping):
            return node
        result: dict[str, Any] = {}
        for key, value in node.items():
            if not named and key == "enum" and isinstance(value, list):
                if len(value) > MAX_ENUM_VALUES:
                    message = f"enum of {len(value)} values dropped (at most {MAX_ENUM_VALUES})"
                    dropped.append(SpecError(pointer(*at, key), message))
                    if "type" not in node and all(isinstance(item, str) for item in value):
                        result["type"] = "string"
                    continue
                result[key] = value
            elif not named and (str(key).startswith("x-") or key in DATA):
                result[key] = value
            else:
                result[key] = walk(value, (*at, str(key)), not named and key in NAMED)
        return result

    return walk(document, (), False), dropped
