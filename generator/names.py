"""Python names derived from the document's names: valid, unique and the same on every run.

Every identifier the output uses (package, classes, methods, parameters) passes through here, so
no spelling a document allows (dots, dashes, spaces, keywords, leading digits, other scripts)
reaches the output as it is.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORDS = re.compile(r"[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")
#: Names a module of the generated package already binds, or that builtins make confusing.
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})


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
    """``name``, or ``name_2``, ``name_3``… when it is already taken (case-insensitively, as a
    file system or a reader would confuse them)."""
    used = {item.lower() for item in taken}
    if name.lower() not in used:
        return name
    separator = "" if name[:1].isupper() else "_"
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


def _valid(name: str, fallback: str) -> str:
    if name[:1].isdigit():
        name = f"{fallback}_{name}" if fallback.islower() else f"{fallback}{name}"
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name
