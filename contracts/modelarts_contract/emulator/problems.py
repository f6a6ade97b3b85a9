"""Every answer the emulator gives that is not a success, as a typed value.

A handler raises an :class:`ApiError`; the app renders it, in one place, as the spec's
``ErrorResponse`` body with an ``X-Request-Id`` header.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from modelarts_training import errors as documented

from .config import MAX_BODY_BYTES


@dataclass
class ApiError(Exception):
    """An error answer: the HTTP status, the ModelArts error code and message, extra headers."""

    status: int
    error_code: str
    error_msg: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.error_code}: {self.error_msg}"


def _documented(
    kind: type[documented.APIStatusError], message: str, headers: dict[str, str] | None = None
) -> ApiError:
    # The status and code come from the spec, through the generated error class that stands
    # for them, so the emulator cannot drift from what the document lists.
    if kind.http_status is None or kind.error_code is None:
        raise LookupError(f"{kind.__name__} stands for no documented status and code")
    return ApiError(kind.http_status, kind.error_code, message, headers or {})


def training_job_not_found(job_id: str) -> ApiError:
    """The job does not exist, or belongs to another project (indistinguishable on purpose)."""
    return _documented(documented.TrainingJobNotFound, f"Training job not found: {job_id}.")


def not_allowed_to_terminate(phase: str) -> ApiError:
    """The job's phase is not one of Creating, Pending, Running."""
    return _documented(
        documented.NotAllowedToTerminate,
        f"The training job cannot be terminated in phase {phase}.",
    )


def unsupported_action_type(detail: str) -> ApiError:
    """``action_type`` is missing, of the wrong type, or not ``terminate``."""
    return _documented(documented.UnsupportedActionType, f"Unsupported action type: {detail}.")


def invalid_json_body(detail: str) -> ApiError:
    """The body is not a JSON object (or not sent as JSON)."""
    return _documented(
        documented.InvalidJsonBody, f"The request body is not a valid JSON object: {detail}."
    )


def body_too_large() -> ApiError:
    """The body exceeds what the service accepts."""
    return _documented(
        documented.PayloadTooLargeError, f"The request body exceeds {MAX_BODY_BYTES} bytes."
    )


def token_missing() -> ApiError:
    """Neither an ``X-Auth-Token`` nor an ``Authorization`` header was sent."""
    return _documented(documented.TokenMissing, "The token is missing from the request.")


def credentials_rejected(detail: str) -> ApiError:
    """The token is unknown, or the AK/SK signature does not verify."""
    return _documented(documented.TokenUnparsable, f"The token cannot be parsed: {detail}.")


def project_mismatch(project_id: str) -> ApiError:
    """The credentials are valid, but not for the project in the URL."""
    return _documented(
        documented.ProjectMismatch,
        f"The project ID in the URL ({project_id}) does not match the token.",
    )


def path_not_found(path: str) -> ApiError:
    """No operation lives at this path (the API gateway answers these)."""
    return _documented(
        documented.UnknownPath, f"The API does not exist or has not been published: {path}."
    )


def method_not_allowed(method: str, allowed: tuple[str, ...]) -> ApiError:
    """The path exists but not with this method."""
    return _documented(
        documented.MethodNotAllowedError,
        f"Method not allowed: {method}.",
        {"Allow": ", ".join(allowed)},
    )


def invalid_state_request(detail: str) -> ApiError:
    """A provider-state request the emulator cannot honour."""
    return _documented(documented.ParameterError, f"Invalid provider state request: {detail}.")


def too_many_requests(retry_after: int) -> ApiError:
    """The service's rate limit (here: an injected fault); retry after ``retry_after`` seconds."""
    return _documented(
        documented.RateLimitError, "Too many requests.", {"Retry-After": str(retry_after)}
    )


def job_status_changed() -> ApiError:
    """The job changed while the request was handled (here: an injected fault); safe to retry."""
    return _documented(documented.JobStatusChanged, "The job status changed. Try again.")


def service_unavailable(retry_after: int) -> ApiError:
    """Nothing was done: the storage stayed busy, the server is stopping, or a fault was injected."""
    return _documented(
        documented.ServiceUnavailableError,
        "The service is temporarily unavailable. Try again later.",
        {"Retry-After": str(retry_after)},
    )


def internal_error() -> ApiError:
    """Something unexpected broke inside the emulator; never caused by the caller."""
    return _documented(documented.InternalServerError, "Unknown error.")
