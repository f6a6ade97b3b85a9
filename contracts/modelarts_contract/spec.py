"""The contract's OpenAPI document, loaded from the generated package, as a schemathesis schema."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote

import schemathesis
from modelarts_training.constants import (
    CHANGING_BY_THEMSELVES,
    TERMINABLE_PHASES,
    TERMINATE_CHANGES,
)
from modelarts_training.errors import NotAllowedToTerminate, TrainingJobNotFound
from schemathesis.schemas import BaseSchema

TERMINATE_PATH = "/v2/{project_id}/training-jobs/{training_job_id}/actions"
JOB_PATH = "/v2/{project_id}/training-jobs/{training_job_id}"
#: The two operations of the contract, as (method, path template).
OPERATIONS = (("POST", TERMINATE_PATH), ("GET", JOB_PATH))


def job_url_path(template: str, project_id: str, job_id: str) -> str:
    """``template`` for ``job_id``, percent-encoded as one path segment as the official SDK does.

    A job's id is whatever string the server gave (``/``, ``%``, ``?``, spaces included);
    ``project_id`` is put as given, already fit for a path (look-alike projects come encoded).
    """
    return template.format(project_id=project_id, training_job_id=quote(job_id, safe=""))


# The terminable phases, the fields a terminate changes, those that change by themselves and
# the error codes are declared once in the spec and read from the generated package; the phases
# after a terminate are the contract's reading of the prose.
__all__ = ["CHANGING_BY_THEMSELVES", "TERMINABLE_PHASES", "TERMINATE_CHANGES"]
TERMINATED_PHASES = ("Terminating", "Terminated")
#: Secondary phases of a terminated job; the service may end in TerminatedFailed.
TERMINATED_SECONDARY_PHASES = ("Terminating", "Terminated", "TerminatedFailed")
NOT_FOUND_CODE = str(TrainingJobNotFound.error_code)
NOT_ALLOWED_CODE = str(NotAllowedToTerminate.error_code)


@cache
def load_document() -> dict[str, Any]:
    """The spec as shipped inside ``modelarts_training`` (``openapi.json``)."""
    source = files("modelarts_training") / "openapi.json"
    document: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return document


#: Every phase the spec lists (T2 tries a terminate in each).
PHASES: tuple[str, ...] = tuple(
    load_document()["components"]["schemas"]["Status"]["properties"]["phase"]["enum"]
)


@dataclass(frozen=True)
class MatchedOperation:
    """A request's operation in the spec and the path parameters read from its URL."""

    operation: Any
    path_parameters: dict[str, str]


class ContractSchema:
    """The schemathesis schema of the spec, pointed at one server."""

    def __init__(self, base_url: str) -> None:
        self.schema: BaseSchema = schemathesis.openapi.from_dict(
            with_integer_ranges(load_document())
        )
        self.schema.config.update(base_url=base_url)
        self._patterns = [
            (method, _template_pattern(path), self.schema[path][method])
            for method, path in OPERATIONS
        ]

    def operation(self, method: str, path: str) -> Any:
        """The operation at ``path`` (a template) with ``method``."""
        return self.schema[path][method]

    def match(self, method: str, path: str) -> MatchedOperation | None:
        """The operation a concrete request path addresses, or ``None`` when the spec has none."""
        for op_method, pattern, operation in self._patterns:
            found = pattern.fullmatch(path)
            if found and op_method == method.upper():
                return MatchedOperation(operation, found.groupdict())
        return None


#: The range each OpenAPI integer format names; JSON Schema validators ignore these formats.
INTEGER_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def with_integer_ranges(node: Any) -> Any:
    """A copy of ``node`` where each ``int32``/``int64`` integer also states its range.

    An answer's 100,000-digit ``create_time`` is an integer to JSON Schema, but no int64: stated
    as ``minimum``/``maximum`` (a stricter bound already there is kept), T1 judges it.
    """
    if isinstance(node, list):
        return [with_integer_ranges(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: with_integer_ranges(value) for key, value in node.items()}
    kinds = copy.get("type")
    is_integer = kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds)
    form = copy.get("format")
    bounds = INTEGER_FORMAT_RANGES.get(form) if is_integer and isinstance(form, str) else None
    if bounds is not None:
        low, high = bounds
        if isinstance(copy.get("minimum"), int | float):
            low = max(low, copy["minimum"])
        if isinstance(copy.get("maximum"), int | float):
            high = min(high, copy["maximum"])
        copy["minimum"], copy["maximum"] = low, high
    return copy


def _template_pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)))
