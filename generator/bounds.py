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

#: How deep pydantic may walk references between named schemas when it builds a model. Measured
#: (about 17 frames a model): a ring of 56 schemas referring to the next through arrays imports
#: from the top level, one of 64 does not; 48 leaves room for the importer's own frames. Stripe's
#: 2021 document, the deepest real one we know, walks 22.
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
    # The longest chain through whole cycles bounds every path from above and costs one pass;
    # only where it is too long are the paths pydantic would follow walked one by one.
    bounds = _longest_chains(edges)
    for root in sorted(name for name, bound in bounds.items() if bound > MAX_REFERENCE_DEPTH):
        if _deepest_path(edges, root) > MAX_REFERENCE_DEPTH:
            message = (
                f"a chain of more than {MAX_REFERENCE_DEPTH} schemas referring to each other "
                "starts here (pydantic could not build the models at import)"
            )
            return [SpecError(pointer("components", "schemas", root), message)]
    return []


def _deepest_path(edges: dict[str, list[str]], root: str) -> int:
    """How deep a depth-first walk from ``root`` goes, visiting each schema once, as pydantic
    builds a model's validator; it stops once deeper than :data:`MAX_REFERENCE_DEPTH`."""
    visited = {root}
    path = [iter(edges[root])]
    while path and len(path) <= MAX_REFERENCE_DEPTH:
        target = next((t for t in path[-1] if t not in visited), None)
        if target is None:
            path.pop()
        else:
            visited.add(target)
            path.append(iter(edges[target]))
    return len(path)


def _targets(schema: object, schemas: Mapping[str, Any]) -> set[str]:
    found = set()
    for _, ref in references(schema):
        if ref.startswith(_SCHEMAS):
            name = ref[len(_SCHEMAS) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
            if name in schemas:
                found.add(name)
    return found


def _longest_chains(edges: dict[str, list[str]]) -> dict[str, int]:
    """For each schema, at most how many schemas a chain of references from it passes through, a
    cycle counting all its members (Tarjan's strongly connected components, iteratively: the graph
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
