"""Read an OpenAPI document from disk, reporting unreadable or malformed files as spec problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.problems import SpecError, SpecProblems

# libyaml's loader is about 10 times faster than the pure-Python one on our spec.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


def read_spec(path: Path) -> Spec:
    """Read a YAML or JSON OpenAPI 3.0/3.1 document; :class:`SpecProblems` when it is none."""
    source = str(path)

    def problem(message: str, where: str = "") -> SpecProblems:
        return SpecProblems(source, [SpecError(where, message)])

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise problem(f"cannot read the file: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise problem(f"not UTF-8 text (byte {error.start})") from None
    try:
        document = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise problem(f"{getattr(error, 'problem', None) or 'invalid YAML'}{where}") from None
    except RecursionError:
        raise problem("nested too deeply to be read") from None
    if not isinstance(document, dict):
        raise problem("the document is not a mapping (not an OpenAPI document)")
    version = document.get("openapi")
    if not isinstance(version, str) or not _SUPPORTED_VERSION.fullmatch(version):
        found = f"swagger {document['swagger']!r}" if "swagger" in document else repr(version)
        raise problem(f"only OpenAPI 3.0.x and 3.1.x are supported, found {found}", "/openapi")
    if not _within_node_budget(document):
        raise problem(f"more than {MAX_NODES} values once YAML aliases are expanded")
    return Spec(source, document)


def _within_node_budget(document: object) -> bool:
    # Iterative, so a deeply nested document cannot exhaust the interpreter's stack here.
    budget = MAX_NODES
    pending = [document]
    while pending:
        node = pending.pop()
        budget -= 1
        if budget < 0:
            return False
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return True
