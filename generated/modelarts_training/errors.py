"""Errors the client raises, one class per documented status and per documented error code.

Hierarchy::

    ModelArtsError
    ├── APIConnectionError          the service could not be reached
    │   └── APITimeoutError         no answer within the client's timeout
    ├── InvalidResponseError        a success answer the models cannot read
    └── APIStatusError              the service answered with a 4xx or 5xx status
        ├── BadRequestError             400
        │   ├── TrainingJobNotFound     ModelArts.2775
        │   ├── UnsupportedActionType   ModelArts.2812
        │   ├── InvalidJsonBody         ModelArts.2787
        │   ├── InvalidParam            ModelArts.2788
        │   └── ParameterError          ModelArts.0104
        ├── AuthenticationError         401
        │   ├── TokenMissing            ModelArts.0201
        │   ├── TokenExpired            ModelArts.0202
        │   └── TokenUnparsable         ModelArts.0203
        ├── PermissionDeniedError       403
        │   ├── ProjectMismatch         ModelArts.0210
        │   ├── InvalidToken            ModelArts.2784
        │   └── NotAuthorized           ModelArts.2785
        ├── NotFoundError               404
        │   ├── TokenProjectIDNotMatch  ModelArts.2786
        │   └── UnknownPath             APIG.0101
        ├── MethodNotAllowedError       405
        ├── ConflictError               409
        │   ├── NotAllowedToTerminate   ModelArts.2796
        │   └── JobStatusChanged        ModelArts.2878
        ├── PayloadTooLargeError        413
        ├── UnsupportedMediaTypeError   415
        ├── RateLimitError              429
        └── ServerError                 any 5xx
            ├── InternalServerError     500
            └── ServiceUnavailableError 503

An answer whose status or code is not documented raises the closest class: the status's class,
else :class:`ServerError` for a 5xx, else :class:`APIStatusError`.
"""

from __future__ import annotations

import json

import httpx

REQUEST_ID_HEADER = "X-Request-Id"
#: Every (status, error code) pair the document lists.
ERROR_CODES: tuple[tuple[int, str], ...] = (
    (400, "ModelArts.2775"),
    (400, "ModelArts.2812"),
    (400, "ModelArts.2787"),
    (400, "ModelArts.2788"),
    (400, "ModelArts.0104"),
    (401, "ModelArts.0201"),
    (401, "ModelArts.0202"),
    (401, "ModelArts.0203"),
    (403, "ModelArts.0210"),
    (403, "ModelArts.2784"),
    (403, "ModelArts.2785"),
    (404, "ModelArts.2786"),
    (404, "APIG.0101"),
    (405, "ModelArts.2803"),
    (409, "ModelArts.2796"),
    (409, "ModelArts.2878"),
    (413, "ModelArts.0104"),
    (415, "ModelArts.0104"),
    (429, "ModelArts.2799"),
    (500, "ModelArts.2950"),
    (503, "ModelArts.2950"),
)


class ModelArtsError(Exception):
    """Base of every error this package raises."""


class APIConnectionError(ModelArtsError):
    """The request did not get an answer: connection refused, reset, DNS failure…"""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The service did not answer within the client's timeout."""


class InvalidResponseError(ModelArtsError):
    """The service answered with a success status but a body the models cannot read."""

    def __init__(self, *, response: httpx.Response, reason: str) -> None:
        super().__init__(f"{response.status_code} answer does not match the spec: {reason}")
        self.response = response
        self.status_code = response.status_code


class APIStatusError(ModelArtsError):
    """The service answered with an error status.
    ``error_code`` and ``error_msg`` come from the JSON body; when the body is not the documented
    error object ``error_code`` falls back to the status code and ``error_msg`` to the raw body
    text. ``request_id`` is the body's, else the ``X-Request-Id`` header's.

    As class attributes, ``http_status`` and ``error_code`` are the documented status and code a
    class stands for, if any.
    """

    http_status: int | None = None
    error_code: str | None = None

    def __init__(
        self,
        *,
        response: httpx.Response,
        error_code: str,
        error_msg: str,
        request_id: str | None,
    ) -> None:
        super().__init__(f"{response.status_code} {error_code}: {error_msg}")
        self.response = response
        self.status_code = response.status_code
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.body = _json(response)


class ServerError(APIStatusError):
    """The service failed (any 5xx)."""


class BadRequestError(APIStatusError):
    """400: The request is invalid, or names a job that does not exist (the service answers an unknown
    job with 400 `ModelArts.2775`, not 404)."""

    http_status = 400


class TrainingJobNotFound(BadRequestError):
    """400 ``ModelArts.2775``, e.g. "Training job not found: cf63aba9-63b1-4219-b717-708a2665100b"."""

    error_code = "ModelArts.2775"


class UnsupportedActionType(BadRequestError):
    """400 ``ModelArts.2812``, e.g. "Unsupported action type: restart"."""

    error_code = "ModelArts.2812"


class InvalidJsonBody(BadRequestError):
    """400 ``ModelArts.2787``, e.g. "The request body is not a valid JSON object"."""

    error_code = "ModelArts.2787"


class InvalidParam(BadRequestError):
    """400 ``ModelArts.2788``, e.g. "Invalid parameter: action_type"."""

    error_code = "ModelArts.2788"


class ParameterError(BadRequestError):
    """400 ``ModelArts.0104``, e.g. "Parameter error"."""

    error_code = "ModelArts.0104"


class AuthenticationError(APIStatusError):
    """401: Credentials are missing, expired or cannot be parsed."""

    http_status = 401


class TokenMissing(AuthenticationError):
    """401 ``ModelArts.0201``, e.g. "The token is missing from the request"."""

    error_code = "ModelArts.0201"


class TokenExpired(AuthenticationError):
    """401 ``ModelArts.0202``, e.g. "The token has expired"."""

    error_code = "ModelArts.0202"


class TokenUnparsable(AuthenticationError):
    """401 ``ModelArts.0203``, e.g. "The token cannot be parsed"."""

    error_code = "ModelArts.0203"


class PermissionDeniedError(APIStatusError):
    """403: The credentials are valid but not for this project, or ModelArts is not authorized."""

    http_status = 403


class ProjectMismatch(PermissionDeniedError):
    """403 ``ModelArts.0210``, e.g. "The project ID in the URL does not match the token"."""

    error_code = "ModelArts.0210"


class InvalidToken(PermissionDeniedError):
    """403 ``ModelArts.2784``, e.g. "Invalid token"."""

    error_code = "ModelArts.2784"


class NotAuthorized(PermissionDeniedError):
    """403 ``ModelArts.2785``, e.g. "ModelArts is not authorized"."""

    error_code = "ModelArts.2785"


class NotFoundError(APIStatusError):
    """404: The path does not exist, or the token's project does not match."""

    http_status = 404


class TokenProjectIDNotMatch(NotFoundError):
    """404 ``ModelArts.2786``, e.g. "The project ID of the token does not match"."""

    error_code = "ModelArts.2786"


class UnknownPath(NotFoundError):
    """404 ``APIG.0101``, e.g. "The API does not exist or has not been published in the environment"."""

    error_code = "APIG.0101"


class MethodNotAllowedError(APIStatusError):
    """405: The method is not allowed on this path."""

    http_status = 405

    error_code = "ModelArts.2803"


class ConflictError(APIStatusError):
    """409: The job's phase does not allow the action (`ModelArts.2796`), or its state changed while
    the request was handled (`ModelArts.2878`, safe to retry)."""

    http_status = 409


class NotAllowedToTerminate(ConflictError):
    """409 ``ModelArts.2796``, e.g. "The training job cannot be terminated in phase Completed"."""

    error_code = "ModelArts.2796"


class JobStatusChanged(ConflictError):
    """409 ``ModelArts.2878``, e.g. "The job status changed. Try again"."""

    error_code = "ModelArts.2878"


class PayloadTooLargeError(APIStatusError):
    """413: The request body is larger than the service accepts (1 MiB)."""

    http_status = 413

    error_code = "ModelArts.0104"


class UnsupportedMediaTypeError(APIStatusError):
    """415: The body is not `application/json`. The service may also answer this with 400
    `ModelArts.2787`; both are documented so that either is a conforming answer."""

    http_status = 415

    error_code = "ModelArts.0104"


class RateLimitError(APIStatusError):
    """429: Too many requests; retry after the delay in `Retry-After` when present."""

    http_status = 429

    error_code = "ModelArts.2799"


class InternalServerError(ServerError):
    """500: An unexpected error in the service."""

    http_status = 500

    error_code = "ModelArts.2950"


class ServiceUnavailableError(ServerError):
    """503: The service cannot handle the request for a moment (it is overloaded or its storage is
    busy) and did not act on it; retry after the delay in `Retry-After`. The appendix names no
    code for this; the generic `ModelArts.2950` is documented."""

    http_status = 503

    error_code = "ModelArts.2950"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    429: RateLimitError,
    500: InternalServerError,
    503: ServiceUnavailableError,
}
_BY_CODE: dict[tuple[int, str], type[APIStatusError]] = {
    (400, "ModelArts.2775"): TrainingJobNotFound,
    (400, "ModelArts.2812"): UnsupportedActionType,
    (400, "ModelArts.2787"): InvalidJsonBody,
    (400, "ModelArts.2788"): InvalidParam,
    (400, "ModelArts.0104"): ParameterError,
    (401, "ModelArts.0201"): TokenMissing,
    (401, "ModelArts.0202"): TokenExpired,
    (401, "ModelArts.0203"): TokenUnparsable,
    (403, "ModelArts.0210"): ProjectMismatch,
    (403, "ModelArts.2784"): InvalidToken,
    (403, "ModelArts.2785"): NotAuthorized,
    (404, "ModelArts.2786"): TokenProjectIDNotMatch,
    (404, "APIG.0101"): UnknownPath,
    (409, "ModelArts.2796"): NotAllowedToTerminate,
    (409, "ModelArts.2878"): JobStatusChanged,
}
#: (code field, message field) pairs of the error body, in order of preference.
ERROR_FIELDS: tuple[tuple[str, str], ...] = (
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("code", "message"),
)
REQUEST_ID_FIELD: str | None = "request_id"


def error_from_response(response: httpx.Response) -> APIStatusError:
    """The error to raise for an error ``response``, its body parsed leniently."""
    error_code, error_msg, request_id = _read_body(response)
    error_code = error_code or str(response.status_code)
    error_msg = error_msg or response.text
    request_id = request_id or response.headers.get(REQUEST_ID_HEADER)
    fallback = ServerError if response.status_code >= 500 else APIStatusError
    cls = _BY_CODE.get(
        (response.status_code, error_code), _BY_STATUS.get(response.status_code, fallback)
    )
    return cls(response=response, error_code=error_code, error_msg=error_msg, request_id=request_id)


def _read_body(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    body = _json(response)
    if not isinstance(body, dict):
        return None, None, None
    request_id = _text(body.get(REQUEST_ID_FIELD)) if REQUEST_ID_FIELD else None
    for code_key, msg_key in ERROR_FIELDS:
        if code_key in body and msg_key in body:
            return _text(body[code_key]), _text(body[msg_key]), request_id
    return None, None, request_id


def _json(response: httpx.Response) -> object:
    try:
        result: object = json.loads(response.content)
    except ValueError:
        return None
    return result


def _text(value: object) -> str | None:
    return None if value is None else str(value)
