"""ModelArts training jobs — terminate: a typed client, generated from the API's OpenAPI document.

The Huawei Cloud ModelArts v2 training-job API surface needed to terminate a job and observe
the result. Encoded from the ModelArts API reference page "Terminating a Training Job"
(55 tables, Tabla 12 recovered from the English original); every decision taken where the
document contradicts itself is listed in `spec/README.md`.

Only jobs whose phase is `Creating`, `Pending` or `Running` can be terminated. A terminated
job moves to phase `Terminating` and then, by itself, to `Terminated`.

Usage::

    from modelarts_training import AkSkAuth, Client

    with Client("<project_id>", auth=AkSkAuth("<access key>", "<secret key>")) as client:
        client.get_training_job("<training_job_id>")
        client.terminate_training_job("<training_job_id>")
"""

from modelarts_training._retry import RetryPolicy
from modelarts_training.auth import AkSkAuth, TokenAuth
from modelarts_training.client import AsyncClient, Client
from modelarts_training.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidJsonBody,
    InvalidParam,
    InvalidResponseError,
    InvalidToken,
    JobStatusChanged,
    MethodNotAllowedError,
    ModelArtsError,
    NotAllowedToTerminate,
    NotAuthorized,
    NotFoundError,
    ParameterError,
    PayloadTooLargeError,
    PermissionDeniedError,
    ProjectMismatch,
    RateLimitError,
    ServerError,
    ServiceUnavailableError,
    Status415Error,
    TokenExpired,
    TokenMissing,
    TokenProjectIDNotMatch,
    TokenUnparsable,
    TrainingJobNotFound,
    UnknownPath,
    UnsupportedActionType,
)
from modelarts_training.models import TrainingJob

__version__ = "0.1.0"
__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AkSkAuth",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "InternalServerError",
    "InvalidJsonBody",
    "InvalidParam",
    "InvalidResponseError",
    "InvalidToken",
    "JobStatusChanged",
    "MethodNotAllowedError",
    "ModelArtsError",
    "NotAllowedToTerminate",
    "NotAuthorized",
    "NotFoundError",
    "ParameterError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ProjectMismatch",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailableError",
    "Status415Error",
    "TokenAuth",
    "TokenExpired",
    "TokenMissing",
    "TokenProjectIDNotMatch",
    "TokenUnparsable",
    "TrainingJob",
    "TrainingJobNotFound",
    "UnknownPath",
    "UnsupportedActionType",
]
