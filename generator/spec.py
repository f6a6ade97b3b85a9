"""Read an OpenAPI document from disk, reporting unreadable or malformed files as spec problems."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.problems import SpecError, SpecProblems, pointer

if TYPE_CHECKING:
    _FAST_LOADER = yaml.SafeLoader
else:
    # libyaml's loader is about 10 times faster than the pure-Python one on our spec.
    _FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Refused:
    """A value read that JSON cannot hold, kept in its place so that the problem gets a pointer."""

    reason: str


class JsonLikeLoader(_FAST_LOADER):
    """The safe loader, reading an unquoted date as the string it is in JSON, not a ``date``;
    only ``true`` and ``false`` as booleans, as YAML 1.2 does (YAML 1.1 also reads ``on``,
    ``off``, ``yes``, ``no``: Cohere's safety mode ``OFF`` would be sent as ``false``); and an
    integer beyond Python's digit limit as :class:`Refused`."""

    # PyYAML reads the resolvers from the class; a copy, so the shared loader keeps its own.
    yaml_implicit_resolvers = {  # noqa: RUF012
        first: [
            (tag, regexp) for tag, regexp in resolvers if not tag.endswith((":timestamp", ":bool"))
        ]
        for first, resolvers in _FAST_LOADER.yaml_implicit_resolvers.items()
    }

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:  # int, or Refused
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
            return Refused(_TOO_LONG)


JsonLikeLoader.add_constructor("tag:yaml.org,2002:int", JsonLikeLoader.construct_yaml_int)
JsonLikeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


#: A larger file is refused before it is read: the biggest public API documents are a few MB.
MAX_BYTES = 64 * 1024 * 1024
_SUPPORTED_VERSION = re.compile(r"3\.[01]\.\d+")
#: YAML aliases share one node among many places; expanded (as the JSON handed to the model
#: generator is), a few hundred bytes of aliases can become gigabytes. Real documents of thousands
#: of operations stay far below this many nodes.
MAX_NODES = 5_000_000
#: Python's default limit on the digits of an integer read from or written as text: a larger
#: one could not be written into the package's ``openapi.json`` or read back by its users.
MAX_INT_DIGITS = 4300
_TOO_LONG = f"an integer of more than {MAX_INT_DIGITS} digits"
#: Nesting (mappings and lists) the generator, datamodel-code-generator and pydantic all walk
#: recursively: real documents nest about 20 levels; 48 schemas nested inline (150 levels)
#: still render and import, a few hundred do not.
MAX_DEPTH = 128


@dataclass(frozen=True)
class Spec:
    """The parsed document and where it came from."""

    source: str
    document: Mapping[str, Any]


class Unreadable(Exception):
    """A file that holds no YAML or JSON value; the message says why, in one line."""


def load_file(path: Path) -> object:
    """The YAML or JSON value in the file at ``path``; :class:`Unreadable` when there is none.

    At most :data:`MAX_BYTES` are read, whatever the file system says of the size (``/dev/zero``
    says 0). A JSON file (named ``.json``, or text that parses as JSON) is read by a JSON
    parser, as YAML 1.1 reads ``1e3`` as a string and refuses keys over 1,024 characters; dates
    stay the strings they are in JSON. A value JSON cannot hold (``NaN``, an integer beyond
    :data:`MAX_INT_DIGITS`) is read as :class:`Refused`, for the caller to locate.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
        text = data.decode("utf-8").removeprefix("\ufeff")
        if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
            try:
                return _load_json(text)
            except json.JSONDecodeError as error:
                if path.suffix.lower() == ".json":
                    where = f" at line {error.lineno}, column {error.colno}"
                    raise Unreadable(f"invalid JSON: {error.msg}{where}") from None
                # Not JSON after all: a YAML document may start with a flow mapping.
        return yaml.load(text, Loader=JsonLikeLoader)
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text (byte {error.start})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise Unreadable(f"{getattr(error, 'problem', None) or 'invalid YAML'}{where}") from None
    except RecursionError:
        raise Unreadable("nested too deeply to be read") from None


def _load_json(text: str) -> object:
    def integer(digits: str) -> object:
        return Refused(_TOO_LONG) if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)

    return json.loads(
        text, parse_int=integer, parse_constant=lambda name: Refused(f"{name} is not a JSON number")
    )


def read_spec(path: Path) -> Spec:
    """Read a YAML or JSON OpenAPI 3.0/3.1 document; :class:`SpecProblems` when it is none."""
    source = str(path)

    def problem(message: str, where: str = "") -> SpecProblems:
        return SpecProblems(source, [SpecError(where, message)])

    try:
        document = load_file(path)
    except Unreadable as error:
        raise problem(str(error)) from None
    if not isinstance(document, dict):
        raise problem("the document is not a mapping (not an OpenAPI document)")
    version = document.get("openapi")
    if not isinstance(version, str) or not _SUPPORTED_VERSION.fullmatch(version):
        found = f"swagger {document['swagger']!r}" if "swagger" in document else repr(version)
        raise problem(f"only OpenAPI 3.0.x and 3.1.x are supported, found {found}", "/openapi")
    _check_json_values(document, problem)
    # Keys as JSON has them ("200", not 200): every reader, and the shipped openapi.json, agree.
    # Aliases become copies, so a change to one place cannot show in another.
    return Spec(source, json.loads(json.dumps(document)))


def _check_json_values(document: object, problem: Callable[[str, str], SpecProblems]) -> None:
    """Refuse what JSON cannot hold (a ``!!binary``, ``NaN``, an integer too long to write…) and
    alias bombs, counted both in values and in the bytes of the JSON they expand to."""
    # Iterative, so a deeply nested document cannot exhaust the interpreter's stack here; each
    # node's place is a link to its parent's, spelled out only for the pointer of a problem.
    values, size = MAX_NODES, MAX_BYTES
    pending: list[tuple[_Place, object, int]] = [(None, document, 0)]
    while pending:
        place, node, depth = pending.pop()
        values -= 1
        if values < 0:
            raise problem(f"more than {MAX_NODES} values once YAML aliases are expanded", "")
        if depth > MAX_DEPTH:
            raise problem(f"nested more than {MAX_DEPTH} levels deep", _at(place))
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, Refused):
                    raise problem(key.reason, _at(place))
                if not isinstance(key, _SCALARS):
                    raise problem(f"a key of type {type(key).__name__} is not JSON", _at(place))
                size -= len(key) + 4 if isinstance(key, str) else 24
                pending.append(((place, str(key)), value, depth + 1))
        elif isinstance(node, list):
            size -= 2 + len(node)
            pending.extend(((place, i), value, depth + 1) for i, value in enumerate(node))
        elif isinstance(node, str):
            size -= len(node) + 2
        elif isinstance(node, Refused):
            raise problem(node.reason, _at(place))
        elif isinstance(node, float) and not math.isfinite(node):
            raise problem(f"{node} is not a JSON number", _at(place))
        elif isinstance(node, int) and node.bit_length() > _MAX_INT_BITS:
            raise problem(_TOO_LONG, _at(place))
        elif not isinstance(node, _SCALARS):
            raise problem(f"a value of type {type(node).__name__} is not JSON", _at(place))
        else:
            size -= 24
        if size < 0:
            limit = MAX_BYTES // (1024 * 1024)
            raise problem(f"more than {limit} MiB of JSON once YAML aliases are expanded", "")


_SCALARS = (str, int, float, bool, type(None))
#: Fewer bits than the smallest integer of more than MAX_INT_DIGITS digits has.
_MAX_INT_BITS = int(MAX_INT_DIGITS * math.log2(10))
_Place = tuple[Any, str | int] | None


def _at(place: _Place) -> str:
    parts: list[str | int] = []
    while place is not None:
        place, part = place
        parts.append(part)
    return pointer(*reversed(parts))
