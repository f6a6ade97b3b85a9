"""The one HTTP client of a run: timeouts, credentials, and every answer checked against the spec.

Every response whose request addresses an operation of the spec is validated with schemathesis'
response checks; what they find is kept as :class:`SchemaViolation` values for clause T1, which
covers every response the suite receives, those of the stateful clauses included.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .config import ContractConfig
from .errors import ClauseFailure
from .reproduction import curl_command
from .spec import ContractSchema

#: T1's checks. ``positive_data_acceptance`` is left out on purpose: the service answers
#: schema-valid requests with 400 (unknown job) and 409 (phase) by design.
RESPONSE_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
)
#: Violations kept in full; more are only counted, so a broken server cannot flood the report.
MAX_KEPT_VIOLATIONS = 20


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, with the ``curl`` command that sends it again."""

    request: httpx.Request
    response: httpx.Response
    curl: str

    @property
    def status(self) -> int:
        """The response's status code."""
        return self.response.status_code

    def json(self) -> Any:
        """The decoded body, or ``None`` when it is not JSON."""
        try:
            return self.response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None

    def describe(self) -> str:
        """Status and a short excerpt of the body, for failure messages."""
        text = self.response.text
        excerpt = text if len(text) <= 300 else text[:300] + "…"
        return f"{self.status} {excerpt}"


@dataclass(frozen=True)
class SchemaViolation:
    """A response that does not conform to the spec, and where it was met."""

    message: str
    curl: str
    seen_in: str


@dataclass
class ViolationLog:
    """The schema violations of a run, shared by every thread that sends requests."""

    kept: list[SchemaViolation] = field(default_factory=list)
    total: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, violation: SchemaViolation) -> None:
        """Keep ``violation`` (or only count it once enough are kept)."""
        with self._lock:
            self.total += 1
            if len(self.kept) < MAX_KEPT_VIOLATIONS:
                self.kept.append(violation)


class ContractSession:
    """Sends the suite's requests to the server under test."""

    def __init__(self, config: ContractConfig, schema: ContractSchema) -> None:
        self.config = config
        self.schema = schema
        self.violations = ViolationLog()
        self.error_exchanges: list[tuple[str, Exchange]] = []
        self._lock = threading.Lock()
        self._client = httpx.Client(
            base_url=config.base_url,
            timeout=config.timeout,
            auth=config.credentials.auth(config.project_id),
            follow_redirects=False,
        )
        self._clause_id = threading.local()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def set_clause(self, clause_id: str) -> None:
        """Name the clause the following requests of this thread belong to."""
        self._clause_id.value = clause_id

    @property
    def clause_id(self) -> str:
        """The clause the current thread's requests belong to."""
        return getattr(self._clause_id, "value", "?")

    def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | None = None,
        project_id: str | None = None,
    ) -> Exchange:
        """Send one request; a timeout or a broken connection fails the current clause."""
        request_auth = auth or self.config.credentials.auth(project_id or self.config.project_id)
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if content is not None:
            kwargs["content"] = content
            kwargs["headers"] = {"Content-Type": "application/json", **kwargs["headers"]}
        elif json_body is not None:
            kwargs["json"] = json_body
        request = self._client.build_request(method, path, **kwargs)
        exchange = self._exchange(request, request_auth)
        matched = self.schema.match(exchange.request.method, exchange.request.url.path)
        if matched is not None:
            self.validate(matched.operation.Case(path_parameters=matched.path_parameters), exchange)
        return exchange

    def send_raw(self, method: str, url: str, **kwargs: Any) -> Exchange:
        """Send a request built from httpx arguments, with the run's credentials, unvalidated.

        The caller validates the answer against the case it generated (:meth:`validate`).
        """
        request = self._client.build_request(method, url, **kwargs)
        return self._exchange(request, self.config.credentials.auth(self.config.project_id))

    def _exchange(self, request: httpx.Request, auth: httpx.Auth) -> Exchange:
        secrets = self.config.credentials.secrets()
        try:
            response = self._client.send(request, auth=auth)
        except httpx.TimeoutException:
            raise ClauseFailure(
                self.clause_id,
                f"no answer within {self.config.timeout:g} s (the server hangs)",
                curl_command(request, secrets),
                self.config.seed,
            ) from None
        except httpx.TransportError as error:
            raise ClauseFailure(
                self.clause_id,
                f"the connection failed: {error!r}",
                curl_command(request, secrets),
                self.config.seed,
            ) from None
        # The auth flow adds headers to a copy: the response's request is what went on the wire.
        exchange = Exchange(response.request, response, curl_command(response.request, secrets))
        if exchange.status >= 400:
            with self._lock:
                self.error_exchanges.append((self.clause_id, exchange))
        return exchange

    def validate(self, case: Any, exchange: Exchange) -> None:
        """Run T1's response checks on ``exchange`` and log what they find."""
        try:
            case.validate_response(exchange.response, checks=list(RESPONSE_CHECKS))
        except FailureGroup as group:
            titles = "; ".join(
                f"{failure.title}: {_first_line(failure.message)}" for failure in group.exceptions
            )
            self.violations.add(
                SchemaViolation(
                    f"{exchange.request.method} {exchange.request.url.path} → {exchange.status}: {titles}",
                    exchange.curl,
                    self.clause_id,
                )
            )


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[:3])


def case_request_kwargs(case: Any, base_url: str) -> dict[str, Any]:
    """The httpx arguments that send a schemathesis case, without the credentials it generated.

    Schemathesis generates values for the spec's security headers too; the run's own credentials
    replace them so that a case tests its body and path, not a random token.
    """
    kwargs = case.as_transport_kwargs(base_url=base_url)
    headers = {
        name: str(value)
        for name, value in (kwargs.get("headers") or {}).items()
        if name.lower() not in ("x-auth-token", "authorization", "user-agent")
    }
    result: dict[str, Any] = {"headers": headers, "params": kwargs.get("params") or None}
    if "json" in kwargs:
        result["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        result["content"] = data if isinstance(data, bytes) else str(data).encode()
    return {"method": kwargs["method"], "url": kwargs["url"], **result}
