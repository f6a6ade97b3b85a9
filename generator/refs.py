"""Which files and addresses a document's ``$ref``s reach, refused unless the user allows them.

A document is input from anyone: a ``$ref`` to ``/home/me/.ssh/config`` or to an address inside
the user's network would read it into the generated models. By default a reference may only
point into the document itself or into files of the document's own folder (and its subfolders),
followed through those files too; remote (``http://`` and any other scheme) and outside files
need ``--allow-external-refs``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.problems import SpecError, SpecProblems, pointer
from generator.spec import Unreadable, load_file

FLAG = "--allow-external-refs"


def check_refs(document: Mapping[str, Any], source: Path) -> None:
    """Raise :class:`SpecProblems` for every reference that leaves the document's folder."""
    root = source.resolve().parent
    errors: list[SpecError] = []
    seen: set[Path] = {source.resolve()}
    pending: list[tuple[Path, object, str]] = [(source.resolve(), document, "")]
    while pending:
        file, node, via = pending.pop()
        for at, ref in references(node):
            where = via or pointer(*at, "$ref")
            target = ref.partition("#")[0]
            if not target:
                continue
            if _is_remote(target):
                errors.append(SpecError(where, f"remote reference {ref!r} refused: pass {FLAG}"))
                continue
            path = (file.parent / unquote(target)).resolve()
            if not path.is_relative_to(root):
                errors.append(
                    SpecError(where, f"{ref!r} is outside the document's folder: pass {FLAG}")
                )
            elif path not in seen:
                seen.add(path)
                try:
                    referenced = load_file(path)
                except Unreadable as error:
                    errors.append(SpecError(where, f"{ref!r}: {error}"))
                    continue
                # Problems inside a referenced file are reported at the reference that led there.
                pending.append((path, referenced, where))
    if errors:
        raise SpecProblems(str(source), sorted(set(errors), key=lambda e: (e.pointer, e.message)))


def has_external_refs(document: Mapping[str, Any]) -> bool:
    """Whether any ``$ref`` of the document points outside it (to a file or an address)."""
    return any(not ref.startswith("#") for _, ref in references(document))


#: Maps whose keys are names the author chose: a property or a header may be called ``x-rate``.
NAMED = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"}
    | {"responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes"}
    | {"links", "callbacks", "pathItems", "encoding", "webhooks"}
)
#: Keywords whose value is data (an example, a default, an enumeration), never a reference.
DATA = frozenset({"example", "default", "enum", "const", "value"})


def references(node: object) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every ``$ref`` of ``node`` with its place; extensions (``x-…``) and data are opaque.

    Tools keep their own files in extensions (``x-fern-examples: [{code: {$ref: a.py}}]``) and
    an example may show any JSON: neither is a reference of the document.
    """
    # Iterative: a deeply nested document must not exhaust the interpreter's stack.
    pending: list[tuple[tuple[str | int, ...], object, bool]] = [((), node, False)]
    while pending:
        at, value, named = pending.pop()
        if isinstance(value, Mapping):
            ref = value.get("$ref")
            if isinstance(ref, str) and not named:
                yield at, ref
            for key, child in value.items():
                text = str(key)
                if not named and (text.startswith("x-") or text in DATA):
                    continue
                if not named and text == "examples" and isinstance(child, list):
                    continue  # JSON Schema's examples: data; OpenAPI's map holds Example Objects
                pending.append(((*at, text), child, not named and text in NAMED))
        elif isinstance(value, list):
            pending.extend(((*at, index), child, False) for index, child in enumerate(value))


def _is_remote(target: str) -> bool:
    # A one-letter scheme is a Windows drive ("C:/specs/a.yaml"), a local path.
    return len(urlsplit(target).scheme) > 1 or target.startswith("//")
