"""Read an OpenAPI document from disk, reporting unreadable or malformed files as spec problems."""

from __future__ import annotations

import json
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


class JsonLikeLoader(_FAST_LOADER):
    """The safe loader, reading an unquoted date as the string it is in JSON, not a ``date``."""

    # PyYAML reads the resolvers from the class; a copy, so the shared loader keeps its own.
    yaml_implicit_resolvers = {  # noqa: RUF012
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in _FAST_LOADER.yaml_implicit_resolvers.items()
    }


#: A larger file is refused before it is read: the biggest public API documents are a few MB.
MAX_BYTES = 64 * 1024 * 1024
_SUPPORTED_VERSION = re.compile(r"3\.[01]\.\d+")
#: YAML aliases share one node among many places; expanded (as the JSON handed to the model
#: generator is), a few hundred bytes of aliases can become gigabytes. Real documents of thousands
#: of operations stay far below this many nodes.
MAX_NODES = 5_000_000


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
    says 0); dates stay the strings they are in JSON.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return yaml.load(data.decode("utf-8"), Loader=JsonLikeLoader)
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
    return Spec(source, json.loads(json.dumps(document)))


def _check_json_values(document: object, problem: Callable[[str, str], SpecProblems]) -> None:
    """Refuse what JSON cannot hold (a ``!!binary``, a ``!!set``…) and alias bombs."""
    # Iterative, so a deeply nested document cannot exhaust the interpreter's stack here; each
    # node's place is a link to its parent's, spelled out only for the pointer of a problem.
    budget = MAX_NODES
    pending: list[tuple[_Place, object]] = [(None, document)]
    while pending:
        place, node = pending.pop()
        budget -= 1
        if budget < 0:
            raise problem(f"more than {MAX_NODES} values once YAML aliases are expanded", "")
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, _SCALARS):
                    raise problem(f"a key of type {type(key).__name__} is not JSON", _at(place))
                pending.append(((place, str(key)), value))
        elif isinstance(node, list):
            pending.extend(((place, index), value) for index, value in enumerate(node))
        elif not isinstance(node, _SCALARS):
            raise problem(f"a value of type {type(node).__name__} is not JSON", _at(place))


_SCALARS = (str, int, float, bool, type(None))
_Place = tuple[Any, str | int] | None


def _at(place: _Place) -> str:
    parts: list[str | int] = []
    while place is not None:
        place, part = place
        parts.append(part)
    return pointer(*reversed(parts))
