"""How the clients put arguments on the wire and read answers off it, for every operation.

Parameters are serialised as OpenAPI's ``style`` and ``explode`` say (``form``, ``simple``,
``spaceDelimited``, ``pipeDelimited``, ``deepObject``); a parameter left as ``None`` is not sent.
"""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeGuard, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from modelarts_training._retry import RetryPolicy
from modelarts_training.errors import APIConnectionError, APITimeoutError, InvalidResponseError

_T = TypeVar("_T")
_ADAPTERS: dict[object, pydantic.TypeAdapter[Any]] = {}
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass
class Call:
    """One request, built once and sent as often as the retry policy asks."""

    method: str
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    content: bytes | None = None
    data: dict[str, list[str]] | None = None
    files: list[tuple[str, tuple[str, bytes]]] | None = None

    def query(self, name: str, value: object, style: str, explode: bool) -> None:
        """Add a query parameter, unless ``value`` is ``None``."""
        if value is None:
            return
        if isinstance(value, Mapping):
            if style == "deepObject":
                self.params += [(f"{name}[{key}]", text(item)) for key, item in value.items()]
            elif explode:
                self.params += [(str(key), text(item)) for key, item in value.items()]
            else:
                self.params.append((name, ",".join(f"{key},{text(v)}" for key, v in value.items())))
        elif _is_list(value):
            items = [text(item) for item in value]
            if explode and style == "form":
                self.params += [(name, item) for item in items]
            else:
                self.params.append((name, _DELIMITERS.get(style, ",").join(items)))
        else:
            self.params.append((name, text(value)))

    def header(self, name: str, value: object) -> None:
        """Add a header (style ``simple``), unless ``value`` is ``None``."""
        if value is not None:
            self.headers[name] = simple(value)

    def cookie(self, name: str, value: object) -> None:
        """Add a cookie, unless ``value`` is ``None``."""
        if value is not None:
            self.cookies.append(f"{name}={simple(value)}")

    def json(self, value: object, kind: object, media_type: str) -> None:
        """Send ``value`` as JSON; fields left unset on a model are not sent."""
        if value is not None:
            adapter = _adapter(kind)
            self.content = adapter.dump_json(value, by_alias=True, exclude_unset=True)
            self.headers["Content-Type"] = media_type

    def raw(self, value: str | bytes | None, media_type: str) -> None:
        """Send ``value`` as the body as it is."""
        if value is not None:
            self.content = value.encode() if isinstance(value, str) else value
            self.headers["Content-Type"] = media_type

    def form(self, value: object, multipart: bool) -> None:
        """Send ``value``'s fields as a form; in a multipart form, bytes are file parts."""
        if value is None:
            return
        fields = _fields(value)
        self.data = {}
        self.files = [] if multipart else None
        for name, item in fields.items():
            for part in item if _is_list(item) else [item]:
                if self.files is not None and isinstance(part, bytes):
                    self.files.append((name, (name, part)))
                elif part is not None:
                    self.data.setdefault(name, []).append(
                        part if isinstance(part, str) else _form_text(part)
                    )

    def request(self) -> dict[str, Any]:
        """The keyword arguments of :meth:`httpx.Client.request` for this call."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(self.cookies)
        arguments: dict[str, Any] = {"params": self.params, "headers": headers}
        if self.content is not None:
            arguments["content"] = self.content
        if self.data is not None:
            arguments["data"] = self.data
        if self.files:
            arguments["files"] = self.files
        return arguments


def segment(value: object, name: str) -> str:
    """The path parameter ``name`` as one whole segment: every character that could end or split
    it is escaped, and an empty value, ``.`` and ``..`` are refused with :class:`ValueError`, as
    the URL would then name another path (``/jobs/..`` is ``/``) before anything is sent."""
    encoded = quote(simple(value), safe="")
    if encoded in ("", ".", ".."):
        raise ValueError(f"path parameter {name} may not be {encoded!r}: it would leave its place")
    return encoded


def text(value: object) -> str:
    """A scalar as the service reads it: JSON's ``true``/``false``, an enum's value, a date or
    time in ISO 8601 (``str`` of a datetime puts a space between date and time)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def simple(value: object) -> str:
    """A value in OpenAPI's ``simple`` style: lists and objects comma-separated."""
    if isinstance(value, Mapping):
        return ",".join(f"{key},{text(item)}" for key, item in value.items())
    if _is_list(value):
        return ",".join(text(item) for item in value)
    return text(value)


def parse_json(kind: type[_T], response: httpx.Response) -> _T:
    """The answer's JSON body read as ``kind``; :class:`InvalidResponseError` when it is not."""
    result: _T = parse_json_as(kind, response)
    return result


def parse_json_as(kind: object, response: httpx.Response) -> Any:
    """The answer's JSON body read as the type expression ``kind``."""
    try:
        return _adapter(kind).validate_json(response.content)
    except pydantic.ValidationError as error:
        raise InvalidResponseError(response=response, reason=str(error)) from error


def parse_any(response: httpx.Response) -> Any:
    """The answer's JSON body, decoded but not checked: the document gives no schema."""
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise InvalidResponseError(response=response, reason=str(error)) from error


def _adapter(kind: Any) -> pydantic.TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = pydantic.TypeAdapter(kind)
    return adapter


def _fields(value: object) -> dict[str, Any]:
    if isinstance(value, pydantic.BaseModel):
        dumped = value.model_dump(by_alias=True, exclude_unset=True)
        return dumped if isinstance(dumped, dict) else {}
    return dict(value) if isinstance(value, Mapping) else {}


def _form_text(value: object) -> str:
    if isinstance(value, Mapping | pydantic.BaseModel) or _is_list(value):
        return pydantic.TypeAdapter(object).dump_json(value).decode()
    return text(value)


def _is_list(value: object) -> TypeGuard[Sequence[object]]:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


@dataclass(frozen=True)
class CallOptions:
    """What one call changes of its client's settings: the methods' keyword-only options.

    ``timeout`` and ``retry`` replace the client's for this call; ``extra_headers`` are sent
    over the call's own headers, ``extra_query`` after its query parameters, and ``extra_body``'s
    fields are merged into its JSON object body (they win), or make up the body of a call that
    has none: for what the document does not describe yet.
    """

    timeout: float | httpx.Timeout | None = None
    retry: RetryPolicy | None = None
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, str] | None = None
    extra_body: Mapping[str, object] | None = None

    def arguments(self, call: Call) -> dict[str, Any]:
        """The keyword arguments of :meth:`httpx.Client.build_request` for ``call``."""
        arguments = call.request()
        if self.timeout is not None:
            arguments["timeout"] = self.timeout
        if self.extra_headers:
            arguments["headers"].update(self.extra_headers)
        if self.extra_query:
            arguments["params"] = [*arguments["params"], *self.extra_query.items()]
        if self.extra_body:
            arguments["content"] = _merged_json(arguments, self.extra_body)
        return arguments


class RawResponse(Generic[_T]):
    """A successful answer as it came (``with_raw_response``), and its result on demand.

    A streamed answer (``text/event-stream``) is not read yet: :meth:`parse` gives its event
    stream, which the caller closes (or reads to the end).
    """

    def __init__(self, response: httpx.Response, parse: Callable[[httpx.Response], _T]) -> None:
        #: The answer itself, as :mod:`httpx` received it.
        self.http_response = response
        self._parse = parse
        self._parsed: list[_T] = []

    @property
    def status_code(self) -> int:
        """The answer's HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers."""
        return self.http_response.headers

    def parse(self) -> _T:
        """The answer read as the method without ``with_raw_response`` returns it (read once)."""
        if not self._parsed:
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]


def connection_error(error: httpx.TransportError) -> APIConnectionError:
    """The package's error for a request that got no (complete) answer."""
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(str(error) or "timed out", request=error.request)
    return APIConnectionError(str(error), request=error.request)


def _merged_json(arguments: dict[str, Any], extra: Mapping[str, object]) -> bytes:
    content = arguments.get("content")
    try:
        body = json.loads(content) if content is not None else {}
    except ValueError:
        body = None
    if not isinstance(body, dict) or "data" in arguments or "files" in arguments:
        raise TypeError("extra_body adds fields to a JSON object body only")
    arguments["headers"].setdefault("Content-Type", "application/json")
    return _adapter(object).dump_json({**body, **extra})
