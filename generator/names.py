"""Python names derived from the document's names: valid, unique and the same on every run.

Every identifier the output uses (package, classes, methods, parameters) passes through here, so
no spelling a document allows (dots, dashes, spaces, keywords, leading digits, other scripts)
reaches the output as it is.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_WORDS = re.compile(r"[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")
#: Names a module of the generated package already binds, or that builtins make confusing.
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})
#: Classes every rendered package defines at its top level beside the document's: no class
#: named from the document may take one (``probe_api.Client`` must stay the client).
PACKAGE_CLASSES = frozenset({"Client", "AsyncClient", "RetryPolicy"})
#: Capitalised builtins (``Exception``, ``ValueError``…): a class named so would hide them from
#: the rest of its module.
BUILTIN_CLASSES = frozenset(name for name in dir(builtins) if name[:1].isupper())


def words(text: str) -> list[str]:
    """The ASCII words of ``text``: ``getHTTPResponse.v2`` → ``get``, ``HTTP``, ``Response``, ``v``, ``2``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORDS.findall(ascii_text)


def snake(text: str, fallback: str) -> str:
    """``text`` as a lower_snake_case identifier; ``fallback`` when it has no ASCII word."""
    found = words(text)
    name = "_".join(word.lower() for word in found) if found else fallback
    return _valid(name, fallback)


def pascal(text: str, fallback: str) -> str:
    """``text`` as a PascalCase identifier; ``fallback`` when it has no ASCII word."""
    found = words(text)
    name = "".join(word[:1].upper() + word[1:] for word in found) if found else fallback
    return _valid(name, fallback)


def unique(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… (``Name2``, ``name_2`` for ``name_``) when it is
    already taken (case-insensitively, as a file system or a reader would confuse them)."""
    used = {item.lower() for item in taken}
    if name.lower() not in used:
        return name
    separator = "" if name[:1].isupper() or name.endswith("_") else "_"
    number = 2
    while f"{name}{separator}{number}".lower() in used:
        number += 1
    return f"{name}{separator}{number}"


def class_name(text: str, fallback: str) -> str:
    """A class name for ``text`` spelled as datamodel-code-generator spells one: an ASCII
    identifier keeps its letters, each ``_``-separated part starting upper-case; anything else
    goes through :func:`pascal`. A keyword gets ``fallback`` appended."""
    if text.isascii() and text.isidentifier():
        name = "".join(part[:1].upper() + part[1:] for part in text.split("_") if part)
        if name and not name[:1].isdigit():
            return name + fallback if keyword.iskeyword(name) else name
    return pascal(text, fallback)


def nfkc_aliases(document: Any) -> dict[str, str]:
    """A field name for every property of ``document``'s schemas that Python would read as
    another name: ``ﬁle`` is an identifier, but Python reads it as ``file`` (NFKC), so beside a
    property ``file`` one of the two fields would be lost. Each gets its NFKC form, with ``_``
    appended while a property of the document (the map is for the whole document) or a keyword
    is spelled so; the property stays the field's alias."""
    properties: set[str] = set()
    _property_names(document, properties)
    taken = set(properties)
    aliases = {}
    for name in sorted(properties):
        if name.isidentifier() and unicodedata.normalize("NFKC", name) != name:
            chosen = unicodedata.normalize("NFKC", name)
            while chosen in taken or keyword.iskeyword(chosen):
                chosen += "_"
            taken.add(chosen)
            aliases[name] = chosen
    return aliases


def _property_names(node: Any, found: set[str]) -> None:
    # Iterative: a deeply nested document must not exhaust the interpreter's stack.
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            properties = item.get("properties")
            if isinstance(properties, Mapping):
                found.update(key for key in properties if isinstance(key, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _valid(name: str, fallback: str) -> str:
    if name[:1].isdigit():
        name = f"{fallback}_{name}" if fallback.islower() else f"{fallback}{name}"
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name
