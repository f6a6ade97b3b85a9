"""``curl`` commands that reproduce a request, with the caller's secrets left out."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from difflib import SequenceMatcher

import httpx

#: Headers curl sets by itself, or that only describe this one connection or test case.
_IMPLIED_HEADERS = frozenset(
    {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}
)
#: The shell variable a reproduction reads a secret from.
SECRET_VARIABLE = "MODELARTS_SECRET"
#: How alike (0-1, case ignored) a header value and a secret may be before the value is hidden
#: too: the suite sends the secret altered slightly (T8), which would show nearly all of it.
RESEMBLANCE = 0.6
#: Shorter secrets are not looked for inside other values: no real credential is that short,
#: and "t" would hide every header.
MIN_RESEMBLING_LENGTH = 4


def curl_command(request: httpx.Request, secrets: Iterable[str] = ()) -> str:
    """A shell command that sends ``request`` again; a secret header value becomes ``$MODELARTS_SECRET``."""
    hidden = {secret for secret in secrets if secret}
    words = ["curl", "-X", shlex.quote(request.method)]
    for name, value in request.headers.items():
        if name.lower() in _IMPLIED_HEADERS or name.lower().startswith("x-schemathesis"):
            continue
        # Whole values only: a short secret must not be cut out of every other word.
        if value in hidden:
            words += ["-H", f'"{name}: ${SECRET_VARIABLE}"']
        elif any(
            _resembles(value, secret) for secret in hidden if len(secret) >= MIN_RESEMBLING_LENGTH
        ):
            words += ["-H", shlex.quote(f"{name}: <a value resembling the secret, not shown>")]
        else:
            words += ["-H", shlex.quote(f"{name}: {value}")]
    if request.content:
        words += ["--data-raw", shlex.quote(request.content.decode("utf-8", errors="replace"))]
    words.append(shlex.quote(str(request.url)))
    return " ".join(words)


def _resembles(value: str, secret: str) -> bool:
    """Whether ``value`` shows much of ``secret``: it, part of it, or it slightly altered."""
    value, secret = value.lower(), secret.lower()
    return secret in value or SequenceMatcher(None, value, secret).ratio() >= RESEMBLANCE
