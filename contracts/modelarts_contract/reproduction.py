"""``curl`` commands that reproduce a request, with the caller's secrets left out."""

from __future__ import annotations

import shlex
from collections.abc import Iterable

import httpx

#: Headers curl sets by itself, or that only describe this one connection.
_IMPLIED_HEADERS = frozenset(
    {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}
)
SECRET_PLACEHOLDER = "$MODELARTS_SECRET"


def curl_command(request: httpx.Request, secrets: Iterable[str] = ()) -> str:
    """A shell command that sends ``request`` again; each secret becomes a placeholder."""
    parts = ["curl", "-X", request.method]
    for name, value in request.headers.items():
        if name.lower() in _IMPLIED_HEADERS:
            continue
        parts += ["-H", f"{name}: {value}"]
    body = request.content
    if body:
        parts += ["--data-raw", body.decode("utf-8", errors="replace")]
    parts.append(str(request.url))
    command = " ".join(shlex.quote(part) for part in parts)
    for secret in secrets:
        if secret:
            command = command.replace(secret, SECRET_PLACEHOLDER)
    return command
