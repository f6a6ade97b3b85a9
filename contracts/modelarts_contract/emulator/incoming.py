"""An incoming HTTP request as the emulator's handlers see it: decoded once, body read in full."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from . import problems
from .config import MAX_BODY_BYTES


class RequestAbandoned(Exception):
    """The client went away before the whole request arrived: nothing is done, nothing answered."""


@dataclass(frozen=True)
class Request:
    """Method, path, query, lower-cased headers and body of one request."""

    method: str
    #: The path as the client sent it (still percent-encoded): what an AK/SK signature covers.
    raw_path: str
    #: The path's segments, percent-decoded, so an id may contain an encoded ``/``.
    segments: tuple[str, ...]
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; 400 ModelArts.2787 when it is anything else."""
        content_type = self.headers.get("content-type")
        # The official SDK sends "application/json;charset=UTF-8": parameters are fine.
        if content_type is not None:
            media_type = content_type.split(";", 1)[0].strip().lower()
            if media_type != "application/json":
                raise problems.invalid_json_body(f"content type {media_type!r} is not JSON")
        try:
            # Decoded first, strictly: json.loads(bytes) would guess UTF-16 and UTF-32 too, and
            # JSON on the wire is UTF-8 (RFC 8259, section 8.1).
            text = self.body.decode("utf-8")
            value = json.loads(text, parse_constant=_not_json)
        except UnicodeDecodeError:
            raise problems.invalid_json_body("it is not UTF-8") from None
        except (ValueError, RecursionError):
            # ValueError covers bad JSON, data after the value and NaN/Infinity (which Python
            # reads by default); RecursionError absurdly deep nesting.
            raise problems.invalid_json_body("it does not parse") from None
        if not isinstance(value, dict):
            raise problems.invalid_json_body(f"it is a JSON {type(value).__name__}, not an object")
        return value


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def header_map(scope: dict[str, Any]) -> dict[str, str]:
    """The request's headers by lower-cased name; repeated headers joined as HTTP allows."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


async def read_request(scope: dict[str, Any], receive: Any) -> Request:
    """Read the whole request; 413 as soon as the body is known to exceed the limit.

    Raises :class:`RequestAbandoned` when the connection closes before the body is complete:
    a request cut short is never acted on, however valid its first bytes look.
    """
    headers = header_map(scope)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise problems.body_too_large()
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise RequestAbandoned(f"the client left after {size} bytes of the body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise problems.body_too_large()
        chunks.append(chunk)
        more = message.get("more_body", False)
    if declared.isdigit() and size != int(declared):
        # The server reads exactly Content-Length bytes, so this is a defence in depth.
        raise RequestAbandoned(f"{size} bytes of body, {declared} declared")
    raw_path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
    return Request(
        method=scope["method"],
        raw_path=raw_path,
        segments=tuple(unquote(segment) for segment in raw_path.split("/")),
        query=parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True),
        headers=headers,
        body=b"".join(chunks),
    )
