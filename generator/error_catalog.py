"""The error classes to generate: one per documented status, one per documented error code.

Codes come from the examples of each error response, so the spec stays the single source of
truth: an example named ``NotAllowedToTerminate`` with ``error_code: ModelArts.2796`` under a 409
becomes the class ``NotAllowedToTerminate(ConflictError)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.ir import ErrorCode, ErrorStatus
from generator.problems import SpecError

#: Class names of the documented error statuses; an unlisted one gets ``Status<code>Error``.
STATUS_CLASS_NAMES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    409: "ConflictError",
    413: "PayloadTooLargeError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}
#: Error examples whose code means "try again". The document says so only in prose (409
#: ``ModelArts.2878``, "safe to retry"), so the name of the example is the machine-readable link.
RETRYABLE_EXAMPLES = frozenset({"JobStatusChanged"})
_IDENTIFIER = re.compile(r"^[A-Z][A-Za-z0-9]*$")
Resolve = Callable[[Any, str], dict[str, Any]]


def error_status(
    status: int, response: dict[str, Any], where: str, resolve: Resolve, errors: list[SpecError]
) -> ErrorStatus:
    """The class of an error ``response`` (already resolved), its code classes, and problems."""
    examples = response.get("content", {}).get("application/json", {}).get("examples", {}) or {}
    codes: dict[str, ErrorCode] = {}
    for name, example in examples.items():
        value = resolve(example, f"{where}/examples/{name}").get("value", {})
        if not isinstance(value, dict) or not isinstance(value.get("error_code"), str):
            errors.append(SpecError(f"{where}/examples/{name}", "no error_code"))
            continue
        if not _IDENTIFIER.match(name):
            errors.append(
                SpecError(f"{where}/examples/{name}", "an example name must be a CamelCase name")
            )
            continue
        codes.setdefault(
            value["error_code"],
            ErrorCode(name, value["error_code"], status, str(value.get("error_msg", ""))),
        )
    # A status that documents a single code needs no class of its own for it.
    specific = tuple(codes.values()) if len(codes) > 1 else ()
    return ErrorStatus(
        status=status,
        class_name=STATUS_CLASS_NAMES.get(status, f"Status{status}Error"),
        base_name="ServerError" if status >= 500 else "APIStatusError",
        description=str(response.get("description", "")).strip(),
        codes=specific,
    )
