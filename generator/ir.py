"""The intermediate representation the templates render: the API reduced to what the client needs.

Every name here is already a valid, unique Python identifier and every annotation a Python type
expression built from those names; every other string is text from the document, which the
templates escape where it lands (:mod:`generator.escape`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    """A service error code the spec documents with an example, rendered as its own error class."""

    class_name: str
    error_code: str
    status: int
    example_msg: str
    #: ``x-retryable: true`` on the example: the code means "try again".
    retryable: bool


@dataclass(frozen=True)
class ErrorStatus:
    """A documented error status, rendered as an :class:`APIStatusError` subclass."""

    status: int
    class_name: str
    base_name: str
    description: str
    #: Every code the status documents; when there is one, its class is the status's class.
    documented: tuple[ErrorCode, ...]

    @property
    def codes(self) -> tuple[ErrorCode, ...]:
        """The codes with a class of their own (a status that documents one code needs none)."""
        return self.documented if len(self.documented) > 1 else ()


@dataclass(frozen=True)
class ErrorEnvelope:
    """Where an error body carries its code, message and request id (``x-error-envelope``)."""

    #: (code field, message field) pairs, tried in order; the first pair present wins.
    fields: tuple[tuple[str, str], ...]
    request_id_field: str | None
    request_id_header: str | None


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter of an operation."""

    name: str
    wire_name: str
    location: str
    annotation: str
    required: bool
    style: str
    explode: bool
    description: str
    #: Given once to the client (``x-client-parameter``) instead of to every method.
    client_level: bool


@dataclass(frozen=True)
class Body:
    """The request body: ``kind`` is json, form, multipart, text or binary."""

    kind: str
    media_type: str
    annotation: str
    required: bool
    description: str
    #: When every required field of a JSON body has a single allowed value, the body is fixed
    #: and the method does not ask for it (terminate's ``{"action_type": "terminate"}``).
    fixed: tuple[tuple[str, str], ...] | None


@dataclass(frozen=True)
class Answer:
    """A success response: ``status`` is a code, a ``2XX`` range or ``default``; ``kind`` is
    json, text, binary, empty or event-stream (``annotation`` is then each event's data)."""

    status: str
    kind: str
    annotation: str

    @property
    def returns(self) -> str:
        """The type a method returns for this answer."""
        return f"EventStream[{self.annotation}]" if self.kind == "event-stream" else self.annotation


@dataclass(frozen=True)
class PathPart:
    """A piece of an operation's path: literal text, or the Python name of a path parameter."""

    text: str
    parameter: str | None


@dataclass(frozen=True)
class Operation:
    """One operation of the API, rendered as one method on each client."""

    name: str
    operation_id: str
    method: str
    path: str
    path_parts: tuple[PathPart, ...]
    parameters: tuple[Parameter, ...]
    body: Body | None
    answers: tuple[Answer, ...]
    returns: str
    summary: str
    description: str
    deprecated: bool
    error_statuses: tuple[int, ...]

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        """The path parameters the method asks for (client-level ones excluded)."""
        return tuple(p for p in self.parameters if p.location == "path" and not p.client_level)

    @property
    def keyword_params(self) -> tuple[Parameter, ...]:
        """The query, header and cookie parameters: required ones first, then the optional."""
        others = [p for p in self.parameters if p.location != "path"]
        return tuple(sorted(others, key=lambda p: not p.required))

    @property
    def body_param(self) -> Body | None:
        """The body the method asks for: ``None`` when there is none or it is fixed."""
        return self.body if self.body is not None and self.body.fixed is None else None


@dataclass(frozen=True)
class AuthScheme:
    """A security scheme, rendered as an :class:`httpx.Auth` class.

    ``kind`` is api_key (``location`` header, query or cookie, under ``wire_name``), bearer
    (http bearer, oauth2 and openIdConnect: a token the caller obtains), basic, or
    sdk_hmac_sha256 (``x-signature``), with ``project_header`` carrying the project id.
    """

    key: str
    class_name: str
    kind: str
    location: str
    wire_name: str
    description: str
    project_header: str | None

    @property
    def constant(self) -> str:
        """The module constant holding ``wire_name``: ``TokenAuth`` in a header → ``TOKEN_HEADER``."""
        stem = self.class_name.removesuffix("Auth") or self.class_name
        words = "_".join(w.upper() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", stem))
        suffix = {"header": "HEADER", "query": "PARAMETER", "cookie": "COOKIE"}[self.location]
        return f"{words}_{suffix}"


@dataclass(frozen=True)
class ClientParameter:
    """A path parameter given once to the client's constructor."""

    name: str
    annotation: str
    description: str


@dataclass(frozen=True)
class Constant:
    """A fact of the document rendered as a module constant (``x-constants``)."""

    name: str
    description: str
    #: A Python literal of the value, built by the generator from JSON values.
    literal: str
    annotation: str


@dataclass(frozen=True)
class Api:
    """Everything the templates need about the API."""

    title: str
    version: str
    description: str
    default_base_url: str
    client_params: tuple[ClientParameter, ...]
    operations: tuple[Operation, ...]
    error_statuses: tuple[ErrorStatus, ...]
    envelope: ErrorEnvelope | None
    auth_schemes: tuple[AuthScheme, ...]
    constants: tuple[Constant, ...]

    @property
    def retryable_codes(self) -> tuple[ErrorCode, ...]:
        """The documented error codes that mean "try again"."""
        return tuple(
            code for status in self.error_statuses for code in status.documented if code.retryable
        )
