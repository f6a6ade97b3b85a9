"""Values that resemble valid ones: ids and credentials a careless server takes for the real ones.

A server that matches ids by prefix, ignores case or strips what it does not expect, or compares
only part of a token or of a signature, acts on a job it was not asked about. Every value here
differs from the valid one, so a correct server treats it as unknown or unauthenticated.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import httpx
from modelarts_training.auth import AkSkAuth, TokenAuth
from modelarts_training.signing import (
    DATE_FORMAT,
    DATE_HEADER,
    SignatureHeader,
    format_date,
    parse_authorization,
)

from ..credentials import AkSkCredentials, Credentials, TokenCredentials

#: The headers the spec's security schemes use (the IAM token; the project an AK/SK signs for).
TOKEN_HEADER = "X-Auth-Token"
PROJECT_HEADER = "X-Project-Id"


class Lookalike(NamedTuple):
    """A value resembling a valid one, and what makes it differ."""

    what: str
    value: str


def _other_char(char: str) -> str:
    """A character of the same kind (digit, letter of the same case) that is not ``char``."""
    for alphabet in ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        if char in alphabet:
            return alphabet[(alphabet.index(char) + len(alphabet) // 2) % len(alphabet)]
    return "x" if char != "x" else "y"


def _changed_at(value: str, index: int) -> str:
    return value[:index] + _other_char(value[index]) + value[index + 1 :]


def _recased(value: str) -> str:
    upper = value.upper()
    return upper if upper != value else value.lower()


#: Small alterations of a secret or an id: (what, how). A server comparing only part of the value,
#: or ignoring case, takes the altered value for the real one.
ALTERATIONS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("its last character changed", lambda v: _changed_at(v, len(v) - 1)),
    ("its first character changed", lambda v: _changed_at(v, 0)),
    ("its last character cut off", lambda v: v[:-1]),
    ("a character appended", lambda v: v + _other_char(v[-1])),
    ("its first half only", lambda v: v[: max(1, len(v) // 2)]),
)
RECASED = ("its letters re-cased", _recased)


def _altered(value: str) -> list[Lookalike]:
    """``value`` altered each way of :data:`ALTERATIONS` and re-cased, the no-ops left out."""
    changes = (
        [Lookalike(what, how(value)) for what, how in (*ALTERATIONS, RECASED)] if value else []
    )
    return [change for change in changes if change.value and change.value != value]


def _last_ascii_alnum(value: str) -> int | None:
    return next(
        (i for i in reversed(range(len(value))) if value[i].isascii() and value[i].isalnum()), None
    )


def _percent_encoded(value: str) -> str:
    """``value`` with its last ASCII letter or digit written ``%XX``: a job id that a server
    decoding the path twice reads as ``value``."""
    at = _last_ascii_alnum(value)
    return value if at is None else f"{value[:at]}%{ord(value[at]):02X}{value[at + 1 :]}"


def _fullwidth(value: str) -> str:
    """``value`` with its last ASCII letter or digit in its fullwidth form (U+FF01…): NFKC
    normalisation turns it back."""
    at = _last_ascii_alnum(value)
    return value if at is None else value[:at] + chr(ord(value[at]) + 0xFEE0) + value[at + 1 :]


def lookalike_ids(job_id: str) -> list[Lookalike]:
    """Ids that resemble ``job_id``: part of it, it with characters added, changed or re-cased.

    The values are raw, as job ids are: ``ClauseContext.terminate`` and ``get_job`` encode them.
    """
    candidates = [
        *_altered(job_id),
        Lookalike("its first character cut off", job_id[1:]),
        Lookalike("its middle part", job_id[2:-2]),
        Lookalike("a character prepended", _other_char(job_id[0]) + job_id),
        Lookalike("a trailing space", job_id + " "),
        Lookalike("a leading space", " " + job_id),
        Lookalike("a trailing tab", job_id + "\t"),
        # Python's str.strip() removes it too; HTTP does not.
        Lookalike("a trailing no-break space", job_id + "\u00a0"),
        Lookalike("a trailing slash", job_id + "/"),
        Lookalike("a file extension", job_id + ".json"),
        # Spellings a UUID parser (Python's uuid.UUID, for one) reads as the same UUID.
        Lookalike("its hyphens removed", job_id.replace("-", "")),
        Lookalike("braces around it", "{" + job_id + "}"),
        Lookalike("a urn:uuid: prefix", "urn:uuid:" + job_id),
        # Ids that decode or normalise to the job's: percent-decoded once more than the path
        # asks, or read after Unicode NFKC normalisation.
        Lookalike("a character percent-encoded in the id itself", _percent_encoded(job_id)),
        Lookalike("a character in its fullwidth form", _fullwidth(job_id)),
    ]
    unique: dict[str, Lookalike] = {}
    for candidate in candidates:
        if candidate.value and candidate.value != job_id:
            unique.setdefault(candidate.value, candidate)
    return list(unique.values())


def lookalike_projects(project_id: str) -> list[Lookalike]:
    """Project ids resembling ``project_id``: one character off, cut short, extended, re-cased."""
    return _altered(project_id)


class ForgedCredential(NamedTuple):
    """Credentials resembling the run's own, as the auth that sends them."""

    what: str
    make_auth: Callable[[], httpx.Auth]
    #: Whether a GET with it is forged too (a signature meant for a terminate may sign the GET).
    reads: bool = True


class _RawHeader(httpx.Auth):
    """Sends exactly the given header value (an empty one, or bytes outside ASCII), nothing else."""

    def __init__(self, name: str, value: bytes) -> None:
        self._header = {name.encode("ascii"): value}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set the header as given."""
        request.headers.update(self._header)
        # Byte values may be outside ASCII; httpx reads headers back in their declared encoding.
        request.headers.encoding = "iso-8859-1"
        yield request


def lookalike_credentials(credentials: Credentials, project_id: str) -> list[ForgedCredential]:
    """The look-alikes of :data:`LOOKALIKE_FORGERIES` that apply to ``credentials``."""
    chosen = []
    for what, forgery in LOOKALIKE_FORGERIES.items():
        if forgery.make(credentials, project_id) is not None:
            chosen.append(
                ForgedCredential(what, _maker(forgery, credentials, project_id), forgery.reads)
            )
    return chosen


def _maker(
    forgery: LookalikeForgery, credentials: Credentials, project_id: str
) -> Callable[[], httpx.Auth]:
    def make() -> httpx.Auth:
        auth = forgery.make(credentials, project_id)
        assert auth is not None, "chosen because it applies"
        return auth

    return make


Twin = Callable[[httpx.Request], httpx.Request]


class _MisdirectedSignature(httpx.Auth):
    """A signature made with the real keys, but for a request that differs from the one sent.

    ``twin`` turns the request about to be sent into the one that is signed (another body, path,
    method…); with ``send_twin`` the twin is sent first, so a server that remembers signatures it
    verified has seen this one. ``tamper`` changes the finished ``Authorization`` header;
    ``shift_date`` moves the ``X-Sdk-Date`` sent away from the one signed.
    """

    requires_request_body = True

    def __init__(
        self,
        credentials: AkSkCredentials,
        project_id: str,
        *,
        twin: Twin | None = None,
        send_twin: bool = False,
        tamper: Callable[[SignatureHeader], SignatureHeader] | None = None,
        shift_date: timedelta | None = None,
        add_query: bool = False,
    ) -> None:
        self._signer = AkSkAuth(credentials.access_key, credentials.secret_key, project_id)
        self._twin = twin
        self._send_twin = send_twin
        self._tamper = tamper
        self._shift_date = shift_date
        self._add_query = add_query

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign the twin (and send it), then send the real request with the twin's signature."""
        twin = self._twin(request) if self._twin else request
        self._signer.sign_request(twin)
        if self._send_twin:
            yield twin
        header = parse_authorization(twin.headers["Authorization"])
        if self._tamper:
            header = self._tamper(header)
        for name in (PROJECT_HEADER, "Host", DATE_HEADER):
            request.headers[name] = twin.headers[name]
        if self._shift_date:
            signed_at = datetime.strptime(twin.headers[DATE_HEADER], DATE_FORMAT)
            request.headers[DATE_HEADER] = format_date(
                (signed_at + self._shift_date).replace(tzinfo=UTC)
            )
        request.headers["Authorization"] = header.render()
        if self._add_query:
            request.url = request.url.copy_add_param("contract", "1")
        yield request


def _twin(request: httpx.Request, **changes: Any) -> httpx.Request:
    """A copy of ``request`` (the same headers) with another method, URL or body."""
    return httpx.Request(
        changes.get("method", request.method),
        changes.get("url", request.url),
        headers=changes.get("headers", request.headers.copy()),
        content=changes.get("content", request.content),
    )


def _path_segments(request: httpx.Request) -> list[str]:
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii").split("/")


def _with_path(request: httpx.Request, segments: list[str]) -> httpx.URL:
    return request.url.copy_with(raw_path="/".join(segments).encode("ascii"))


def _recased_body(request: httpx.Request) -> httpx.Request:
    # The same length, so Content-Length (a signed header) still matches: one letter re-cased,
    # which turns the terminate into a request the server refuses (400), harmless to send.
    body = request.content
    letters = [i for i, byte in enumerate(body) if chr(byte).isalpha()]
    if not letters:
        return _twin(request, content=body + b" ")
    i = letters[-1]
    return _twin(request, content=body[:i] + chr(body[i]).swapcase().encode() + body[i + 1 :])


def _empty_body(request: httpx.Request) -> httpx.Request:
    return _twin(request, content=b"")


def _other_job(request: httpx.Request) -> httpx.Request:
    # An unknown job of the same project: the last character of the job id changed.
    segments = _path_segments(request)
    at = min(segments.index("training-jobs") + 1, len(segments) - 1)
    segments[at] = _changed_at(segments[at], len(segments[at]) - 1) if segments[at] else "x"
    return _twin(request, url=_with_path(request, segments))


def _root_path(request: httpx.Request) -> httpx.Request:
    return _twin(request, url=request.url.copy_with(raw_path=b"/"))


def _as_put(request: httpx.Request) -> httpx.Request:
    return _twin(request, method="PUT")


def _get_of_job(request: httpx.Request) -> httpx.Request:
    segments = _path_segments(request)
    if segments[-1] == "actions":
        segments = segments[:-1]
    headers = request.headers.copy()
    for name in ("Content-Length", "Content-Type"):
        headers.pop(name, None)
    return _twin(
        request, method="GET", url=_with_path(request, segments), headers=headers, content=b""
    )


#: Makes a look-alike's auth from the run's credentials, or ``None`` when it does not apply to them.
Forgery = Callable[[Credentials, str], "httpx.Auth | None"]


class LookalikeForgery(NamedTuple):
    """How to make one look-alike, and whether a GET with it is forged too (a signature made for
    a terminate's twin may well be valid for the GET)."""

    make: Forgery
    reads: bool = True


def _token(alter: Callable[[str], str]) -> Forgery:
    def make(credentials: Credentials, project_id: str) -> httpx.Auth | None:
        if not isinstance(credentials, TokenCredentials):
            return None
        token = alter(credentials.token)
        return TokenAuth(token) if token and token != credentials.token else None

    return make


def _token_with_no_break_space(credentials: Credentials, project_id: str) -> httpx.Auth | None:
    # HTTP strips spaces and tabs around a header value (and h11 will not send them), but not a
    # no-break space, which a server's str.strip() does remove.
    if not isinstance(credentials, TokenCredentials):
        return None
    return _RawHeader(TOKEN_HEADER, credentials.token.encode("utf-8") + b"\xa0")


def _space_inside(value: str) -> str:
    return value[: len(value) // 2] + " " + value[len(value) // 2 :]


def _empty(header: str) -> Forgery:
    return lambda credentials, project_id: _RawHeader(header, b"")


def _signature(**how: Any) -> Forgery:
    def make(credentials: Credentials, project_id: str) -> httpx.Auth | None:
        if not isinstance(credentials, AkSkCredentials):
            return None
        return _MisdirectedSignature(credentials, project_id, **how)

    return make


def _with_signature(change: Callable[[str], str]) -> Forgery:
    return _signature(tamper=lambda header: replace(header, signature=change(header.signature)))


def _access_key(alter: Callable[[str], str]) -> Forgery:
    def make(credentials: Credentials, project_id: str) -> httpx.Auth | None:
        if not isinstance(credentials, AkSkCredentials):
            return None
        key = alter(credentials.access_key)
        if not key or key == credentials.access_key:
            return None
        return _MisdirectedSignature(
            credentials, project_id, tamper=lambda header: replace(header, access_key=key)
        )

    return make


#: Credentials resembling the run's own, by what makes them differ. Each is made from the run's
#: credentials when it is sent (signatures are made then too), so a reproduction can name it and
#: make it again without holding any value.
LOOKALIKE_FORGERIES: dict[str, LookalikeForgery] = {
    "an empty X-Auth-Token header": LookalikeForgery(_empty(TOKEN_HEADER)),
    "an empty Authorization header": LookalikeForgery(_empty("Authorization")),
    **{
        f"the token with {what}": LookalikeForgery(_token(how))
        for what, how in (*ALTERATIONS, RECASED, ("a space inside", _space_inside))
    },
    "the token with a trailing no-break space": LookalikeForgery(_token_with_no_break_space),
    # Sent first, and refused or harmless: a server that remembers the signatures it verified,
    # with or without the body or path, must still not take them for this request.
    "the signature of a request sent before with another body": LookalikeForgery(
        _signature(twin=_recased_body, send_twin=True), reads=False
    ),
    "the signature of a request sent before for another job": LookalikeForgery(
        _signature(twin=_other_job, send_twin=True), reads=False
    ),
    "the signature of a GET of the job sent before": LookalikeForgery(
        _signature(twin=_get_of_job, send_twin=True), reads=False
    ),
    # The same path, headers and body: only the method signed differs.
    "a signature for the same request sent as PUT": LookalikeForgery(
        _signature(twin=_as_put), reads=False
    ),
    "a signature for an empty body": LookalikeForgery(_signature(twin=_empty_body), reads=False),
    "a signature for the path /": LookalikeForgery(_signature(twin=_root_path), reads=False),
    "the signature of the request without the query string it is sent with": LookalikeForgery(
        _signature(add_query=True), reads=False
    ),
    "a signature for another X-Sdk-Date": LookalikeForgery(
        _signature(shift_date=timedelta(seconds=1)), reads=False
    ),
    # Not re-cased: hex in upper case is the same signature, and a server may well accept it.
    **{
        f"the signature with {what}": LookalikeForgery(_with_signature(how), reads=False)
        for what, how in ALTERATIONS
    },
    **{
        f"the access key with {what}": LookalikeForgery(_access_key(how), reads=False)
        for what, how in (*ALTERATIONS, RECASED)
    },
}
