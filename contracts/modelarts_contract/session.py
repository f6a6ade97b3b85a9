"""The one HTTP client of a run: bounded exchanges, credentials, and the observers of every answer.

Each request is sent for a :class:`Caller` (the clause that sends it), which records it for the
failure's reproduction. Clauses that judge the whole run (T1 every response, T10 every error)
see each exchange through a :class:`RunObserver` they declare in the registry; the session knows
neither of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from . import answer_json
from .bounded_http import BoundedClient
from .config import ContractConfig
from .credentials import LabelledAuth
from .errors import ClauseFailure, ExchangeError
from .redaction import Redactor
from .reproduction import Replay, answer_seen, failed_exchange
from .spec import ContractSchema

#: Connections open at once at most (races and fan-outs send a few dozen requests together).
MAX_CONNECTIONS = 100
#: Characters of an answer's body quoted in a failure message.
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class Exchange:
    """One request and its whole answer, the clause that sent it and how to send it again.

    ``case`` is the schemathesis case the request was generated from, when it was;
    ``redactor`` blanks the run's secrets in what :meth:`describe` quotes of the answer.
    """

    request: httpx.Request
    response: httpx.Response
    clause_id: str
    replay: Replay
    case: Any = None
    redactor: Redactor = field(default_factory=lambda: Redactor(()), repr=False)

    @property
    def status(self) -> int:
        """The response's status code."""
        return self.response.status_code

    def json(self) -> Any:
        """The decoded body, or ``None`` when it is not JSON."""
        try:
            return answer_json.loads(self.response.content)
        except (ValueError, RecursionError):
            return None

    def describe(self) -> str:
        """Status and a short excerpt of the body, for failure messages.

        The body is redacted before it is cut: a cut secret is no longer recognisable whole.
        """
        # Bytes enough for the excerpt and a secret echoed in its longest escaped form after it.
        room = EXCERPT_CHARS * 4 + 64 * 1024
        text = self.response.content[:room].decode("utf-8", errors="replace")
        return f"{self.status} {self.redactor.excerpt(text, EXCERPT_CHARS)}"


class Caller(Protocol):
    """The clause a request is sent for: it names itself and records what it sends."""

    @property
    def clause_id(self) -> str:
        """The clause's id."""
        ...

    def record(
        self,
        request: httpx.Request,
        auth: str | None,
        auth_project_id: str,
        status: int | None,
        seen: dict[str, Any] | None = None,
    ) -> Replay:
        """Note ``request`` (answered ``status``, ``seen`` as a replay compares it); its replay."""
        ...


class RunObserver(Protocol):
    """Sees every exchange of the run, whichever clause sent it (declared in the registry)."""

    def observe(self, exchange: Exchange) -> None:
        """Judge ``exchange``; called from the thread that sent it."""
        ...


class ContractSession:
    """Sends the suite's requests to the server under test."""

    def __init__(
        self,
        config: ContractConfig,
        schema: ContractSchema,
        observers: Sequence[RunObserver] = (),
    ) -> None:
        self.config = config
        self.schema = schema
        self.observers = tuple(observers)
        #: Built once: it derives every window of every secret.
        self.redactor = Redactor(config.credentials.secrets())
        self._client = BoundedClient(
            config.timeout,
            base_url=config.base_url,
            # Room for every concurrent request a clause sends, so none waits for a connection.
            max_connections=max(MAX_CONNECTIONS, config.race_requests + 8),
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def send(
        self,
        caller: Caller,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | None = None,
        project_id: str | None = None,
    ) -> Exchange:
        """Send one request for ``caller``; an exchange that cannot complete fails its clause."""
        request_auth = auth or self.config.credentials.auth(project_id or self.config.project_id)
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if content is not None:
            kwargs["content"] = content
            kwargs["headers"] = {"Content-Type": "application/json", **kwargs["headers"]}
        elif json_body is not None:
            kwargs["json"] = json_body
        request = self._client.build_request(method, path, **kwargs)
        return self._exchange(caller, request, request_auth, None)

    def send_case(self, caller: Caller, case: Any) -> Exchange:
        """Send a schemathesis case with the run's credentials instead of generated ones."""
        kwargs = case_request_kwargs(case, self.config.base_url)
        request = self._client.build_request(**kwargs)
        return self._exchange(
            caller, request, self.config.credentials.auth(self.config.project_id), case
        )

    def _exchange(
        self, caller: Caller, request: httpx.Request, auth: httpx.Auth, case: Any
    ) -> Exchange:
        label, auth_project = (
            (auth.label, auth.project_id)
            if isinstance(auth, LabelledAuth)
            else (None, self.config.project_id)
        )
        try:
            response = self._client.exchange(request, auth)
        except ExchangeError as error:
            raise ClauseFailure(
                caller.clause_id,
                f"{request.method} {request.url.path}: {error.message}",
                caller.record(request, label, auth_project, None, failed_exchange(error.kind)),
                self.config.seed,
            ) from None
        replay = caller.record(
            request, label, auth_project, response.status_code, answer_seen(response)
        )
        exchange = Exchange(
            response.request, response, caller.clause_id, replay, case, self.redactor
        )
        for observer in self.observers:
            observer.observe(exchange)
        return exchange


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
