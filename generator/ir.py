"""The intermediate representation the templates render: the API reduced to what the client needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    """A service error code the spec documents with an example, rendered as its own error class."""

    class_name: str
    error_code: str
    status: int
    example_msg: str


@dataclass(frozen=True)
class ErrorStatus:
    """A documented error status, rendered as an :class:`APIStatusError` subclass."""

    status: int
    class_name: str
    base_name: str
    description: str
    codes: tuple[ErrorCode, ...]


@dataclass(frozen=True)
class Operation:
    """One operation of the API, rendered as one method on each client."""

    name: str
    operation_id: str
    method: str
    path: str
    path_params: tuple[str, ...]
    summary: str
    description: str
    success_status: int
    response_model: str
    request_model: str | None
    #: When every required field of the request body has a single allowed value, the body is
    #: fixed and the method does not ask for it (terminate's ``{"action_type": "terminate"}``).
    fixed_body: tuple[tuple[str, str], ...] | None
    error_statuses: tuple[int, ...]


@dataclass(frozen=True)
class Api:
    """Everything the templates need about the API."""

    title: str
    version: str
    description: str
    default_base_url: str
    client_params: tuple[str, ...]
    operations: tuple[Operation, ...]
    error_statuses: tuple[ErrorStatus, ...]
    retryable_codes: tuple[ErrorCode, ...]
