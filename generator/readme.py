"""What the rendered README shows beyond the API itself: its usage example, one per auth class,
and the shell line that installs the folder actually rendered.

The usage example calls the operation the document marks with ``x-readme-example`` (else the
first one) and catches the errors it names there, by documented error code or status:

.. code-block:: yaml

    post:
      operationId: terminateTrainingJob
      x-readme-example:
        handles: [ModelArts.2796]   # or a status: [409]
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.escape import clean, py_str
from generator.ir import Api, AuthScheme, Operation
from generator.problems import SpecError, SpecProblems, pointer

EXTENSION = "x-readme-example"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Handled:
    """An error class the usage example catches, with the status and code it stands for."""

    class_name: str
    what: str


@dataclass(frozen=True)
class Usage:
    """The README's usage example."""

    operation: Operation | None
    #: Python expressions, one per argument the call passes.
    arguments: tuple[str, ...]
    handled: tuple[Handled, ...]


def usage(api: Api, document: Mapping[str, Any], source: str) -> Usage:
    """The usage example; :class:`SpecProblems` for an ``x-readme-example`` that names an error
    its operation does not document."""
    marked = _marked(document)
    operation = api.operations[0] if api.operations else None
    handles: list[Any] = []
    if marked is not None:
        where, method, path, extension = marked
        found = next((op for op in api.operations if (op.method, op.path) == (method, path)), None)
        if found is None or not isinstance(extension, Mapping):
            raise SpecProblems(source, [SpecError(where, "must be a map on an operation")])
        operation = found
        handles = extension.get("handles", [])
        if not isinstance(handles, list):
            raise SpecProblems(source, [SpecError(f"{where}/handles", "must be a list")])
    if operation is None:
        return Usage(None, (), ())
    handled = []
    problems = []
    for index, wanted in enumerate(handles):
        match = _error_class(api, operation, wanted)
        if match is None:
            problems.append(
                SpecError(
                    f"{marked[0] if marked else ''}/handles/{index}",
                    f"{wanted!r} is no error code or status this operation documents",
                )
            )
        else:
            handled.append(match)
    if problems:
        raise SpecProblems(source, problems)
    arguments = [py_str(f"<{param.name}>") for param in operation.path_params]
    arguments += [
        f"{p.name}={py_str(f'<{p.name}>')}" for p in operation.keyword_params if p.required
    ]
    if operation.body_param is not None and operation.body_param.required:
        arguments.insert(len(operation.path_params), "body")
    return Usage(operation, tuple(arguments), tuple(handled))


def _marked(document: Mapping[str, Any]) -> tuple[str, str, str, Any] | None:
    paths = document.get("paths")
    for path, item in (paths or {}).items() if isinstance(paths, Mapping) else ():
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(operation, Mapping) and EXTENSION in operation:
                where = pointer("paths", path, method, EXTENSION)
                return where, method.upper(), path, operation[EXTENSION]
    return None


def _error_class(api: Api, operation: Operation, wanted: object) -> Handled | None:
    for status in api.error_statuses:
        if status.status not in operation.error_statuses:
            continue
        if wanted == status.status and not isinstance(wanted, bool):
            return Handled(status.class_name, str(status.status))
        for code in status.codes:
            if wanted == code.error_code:
                return Handled(code.class_name, f"{status.status} {code.error_code}")
        if len(status.documented) == 1 and wanted == status.documented[0].error_code:
            return Handled(status.class_name, f"{status.status} {status.documented[0].error_code}")
    return None


def auth_arguments(scheme: AuthScheme) -> str:
    """The arguments of an auth class's constructor in the README, as placeholders."""
    if scheme.kind == "sdk_hmac_sha256":
        return '"<access key>", "<secret key>"'
    if scheme.kind == "basic":
        return '"<username>", "<password>"'
    if scheme.kind == "bearer" or "token" in scheme.wire_name.lower():
        return '"<token>"'
    return '"<api key>"'


def install_line(folder: str) -> str:
    """``pip install`` of the rendered folder, quoted for a POSIX shell; a control character in
    the name (which could end the code block) is a ``?``, which the shell matches to it."""
    return "pip install " + shlex.quote("./" + re.sub(r"[\x00-\x1f\x7f]", "?", clean(folder)))
