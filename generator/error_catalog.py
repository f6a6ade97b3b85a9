"""The error classes to generate: one per documented status, one per documented error code.

A status class is named after its status (``404`` → ``NotFoundError``). Error codes exist only
where the document declares its error envelope (``x-error-envelope``: which body fields carry the
code, message and request id); then each example of an error response names one code, so the
spec stays the single source of truth: an example named ``NotAllowedToTerminate`` with
``error_code: ModelArts.2796`` under a 409 becomes ``NotAllowedToTerminate(ConflictError)``, and
``x-retryable: true`` on an example makes its code one the client retries.
"""

from __future__ import annotations

import http
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from generator.ir import ErrorCode, ErrorEnvelope, ErrorStatus
from generator.names import BUILTIN_CLASSES, PACKAGE_CLASSES, class_name, pascal, unique
from generator.problems import SpecError, pointer

#: Names that read better than the status phrase (the ones SDKs such as Stainless' use).
STATUS_CLASS_NAMES = {
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    413: "PayloadTooLargeError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
#: Classes every generated errors module defines; no documented name may take them.
FIXED_CLASSES = (
    "APIConnectionError",
    "APITimeoutError",
    "InvalidResponseError",
    "APIStatusError",
    "ServerError",
)
_HEADER = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
Resolve = Callable[[Any, str], dict[str, Any]]


def status_class_name(status: int) -> str:
    """The class name of an error status: ``415`` → ``UnsupportedMediaTypeError``."""
    if status in STATUS_CLASS_NAMES:
        return STATUS_CLASS_NAMES[status]
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return f"Status{status}Error"
    name = pascal(phrase.replace("'", ""), f"Status{status}")
    return name if name.endswith("Error") else name + "Error"


def envelope(document: Mapping[str, Any], errors: list[SpecError]) -> ErrorEnvelope | None:
    """The document's ``x-error-envelope``, or ``None`` when it declares none."""
    raw = document.get("x-error-envelope")
    if raw is None:
        return None
    where = pointer("x-error-envelope")
    if not isinstance(raw, Mapping):
        errors.append(SpecError(where, "expected a mapping"))
        return None
    fields = []
    for index, pair in enumerate(raw.get("fields") or []):
        if not (
            isinstance(pair, Mapping)
            and isinstance(pair.get("code"), str)
            and isinstance(pair.get("message"), str)
        ):
            errors.append(SpecError(f"{where}/fields/{index}", "needs a code and a message field"))
            continue
        fields.append((pair["code"], pair["message"]))
    if not fields:
        errors.append(SpecError(f"{where}/fields", "name at least one code and message field"))
    request_id_field = raw.get("request-id-field")
    header = raw.get("request-id-header")
    if request_id_field is not None and not isinstance(request_id_field, str):
        errors.append(SpecError(f"{where}/request-id-field", "expected a string"))
        request_id_field = None
    if header is not None and not (isinstance(header, str) and _HEADER.fullmatch(header)):
        errors.append(SpecError(f"{where}/request-id-header", "expected a header name"))
        header = None
    return ErrorEnvelope(tuple(fields), request_id_field, header)


def error_statuses(
    documented: Mapping[int, list[tuple[dict[str, Any], str]]],
    found_envelope: ErrorEnvelope | None,
    resolve: Resolve,
    errors: list[SpecError],
    reserved: Iterable[str] = (),
) -> tuple[ErrorStatus, ...]:
    """One :class:`ErrorStatus` per documented status, with class names unique among
    themselves and apart from the package's other classes and ``reserved`` (its base error, its
    auth classes).

    Operations often document a status differently; the first description is kept and the codes
    of all of them are merged.
    """
    taken: list[str] = [*FIXED_CLASSES, *PACKAGE_CLASSES, *BUILTIN_CLASSES, *reserved]
    names = {}
    for status in sorted(documented):
        names[status] = unique(status_class_name(status), taken)
        taken.append(names[status])
    result = []
    for status in sorted(documented):
        codes: dict[str, ErrorCode] = {}
        for response, where in documented[status]:
            for code in _codes(status, response, where, found_envelope, resolve, errors, taken):
                if code.error_code not in codes:
                    codes[code.error_code] = code
                    taken.append(code.class_name)
        listed = tuple(codes.values())
        if len(listed) == 1:
            # A status that documents a single code needs no class of its own for it.
            listed = (
                ErrorCode(
                    names[status],
                    listed[0].error_code,
                    status,
                    listed[0].example_msg,
                    listed[0].retryable,
                ),
            )
        result.append(
            ErrorStatus(
                status=status,
                class_name=names[status],
                base_name="ServerError" if status >= 500 else "APIStatusError",
                description=str(documented[status][0][0].get("description", "")).strip(),
                documented=listed,
            )
        )
    return tuple(result)


def _codes(
    status: int,
    response: Mapping[str, Any],
    where: str,
    found_envelope: ErrorEnvelope | None,
    resolve: Resolve,
    errors: list[SpecError],
    taken: list[str],
) -> list[ErrorCode]:
    if found_envelope is None:
        return []
    code_field, message_field = found_envelope.fields[0]
    content = response.get("content")
    result = []
    for media_type, media in content.items() if isinstance(content, Mapping) else []:
        examples = media.get("examples") if isinstance(media, Mapping) else None
        at = f"{where}/content/{str(media_type).replace('/', '~1')}/examples"
        for name, example in examples.items() if isinstance(examples, Mapping) else []:
            example = resolve(example, f"{at}/{name}")
            value = example.get("value")
            if not isinstance(value, Mapping) or not isinstance(value.get(code_field), str):
                errors.append(SpecError(f"{at}/{name}", f"no {code_field} in the example"))
                continue
            chosen = unique(class_name(str(name), "Error"), taken)
            taken.append(chosen)
            result.append(
                ErrorCode(
                    class_name=chosen,
                    error_code=value[code_field],
                    status=status,
                    example_msg=str(value.get(message_field, "")),
                    retryable=example.get("x-retryable") is True,
                )
            )
    return result
