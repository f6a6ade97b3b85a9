"""AK/SK request signing (SDK-HMAC-SHA256), the way the official Huawei Cloud SDK signs.

One canonicalisation serves both sides: :class:`modelarts_training.auth.AkSkAuth` signs outgoing
requests with it, and a server verifies incoming ones with :func:`verify`.

The algorithm: the canonical request is the method, the URI-encoded path ending in ``/``, the
sorted query string, the signed headers as ``name:value`` lines, the signed header list and the
hex SHA-256 of the body. The string to sign is ``SDK-HMAC-SHA256``, the ``X-Sdk-Date`` value and
the hex SHA-256 of the canonical request, one per line; the signature is its hex HMAC-SHA256
keyed with the secret key. There is no date or region key derivation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
#: How far a request's ``X-Sdk-Date`` may be from the verifier's clock.
MAX_CLOCK_SKEW = timedelta(minutes=15)
_EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()


class SignatureError(ValueError):
    """A request's AK/SK signature is missing, malformed, stale or wrong."""


@dataclass(frozen=True)
class SignatureHeader:
    """The parts of an ``Authorization: SDK-HMAC-SHA256 …`` header."""

    access_key: str
    signed_headers: tuple[str, ...]
    signature: str

    def render(self) -> str:
        """The header value, formatted as the official SDK formats it."""
        return (
            f"{ALGORITHM} Access={self.access_key}, "
            f"SignedHeaders={';'.join(self.signed_headers)}, Signature={self.signature}"
        )


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The path, each segment URI-encoded, always ending in ``/``.

    The path is split before it is decoded: an encoded ``%2F`` stays inside its segment, as the
    API gateway routes it, so ``a%2Fb`` and ``a/b`` are different paths with different signatures.
    """
    encoded = "/".join(_encode(unquote(segment)) for segment in path.split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(query: Iterable[tuple[str, str]]) -> str:
    """The query parameters, sorted by name then value, each part URI-encoded."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query))


def signed_header_names(headers: Mapping[str, str]) -> tuple[str, ...]:
    """The headers the SDK signs: all of them, lower-cased and sorted, except names with ``_``."""
    return tuple(sorted(name.lower() for name in headers if "_" not in name))


def canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    body: bytes,
) -> str:
    """The canonical form of a request that the signature covers."""
    lowered = {name.lower(): str(value).strip() for name, value in headers.items()}
    names = list(signed_headers)
    header_lines = "".join(f"{name}:{lowered.get(name, '')}\n" for name in names)
    body_hash = hashlib.sha256(body).hexdigest() if body else _EMPTY_BODY_HASH
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            header_lines,
            ";".join(names),
            body_hash,
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """What the secret key signs: the algorithm, the date and the canonical request's hash."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret_key: str, to_sign: str) -> str:
    """The hex HMAC-SHA256 of ``to_sign`` keyed with the secret key."""
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def format_date(moment: datetime) -> str:
    """A moment in the ``X-Sdk-Date`` format (UTC)."""
    return moment.astimezone(UTC).strftime(DATE_FORMAT)


def sign(
    *,
    access_key: str,
    secret_key: str,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
) -> SignatureHeader:
    """Sign a request whose ``headers`` already hold ``X-Sdk-Date`` and ``Host``."""
    names = signed_header_names(headers)
    canonical = canonical_request(method, path, query, headers, names, body)
    sdk_date = _header(headers, DATE_HEADER)
    if sdk_date is None:
        raise SignatureError(f"the request has no {DATE_HEADER} header")
    return SignatureHeader(
        access_key, names, signature(secret_key, string_to_sign(canonical, sdk_date))
    )


def parse_authorization(value: str) -> SignatureHeader:
    """Read an ``Authorization`` header value; :class:`SignatureError` when it is not one of ours."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureError(f"unsupported signing algorithm {algorithm!r}")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if not sep:
            raise SignatureError(f"malformed Authorization part {item.strip()!r}")
        parts[key] = val
    try:
        return SignatureHeader(
            parts["Access"], tuple(parts["SignedHeaders"].split(";")), parts["Signature"]
        )
    except KeyError as missing:
        raise SignatureError(f"the Authorization header has no {missing.args[0]}") from None


def verify(
    *,
    secret_key: str,
    header: SignatureHeader,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    now: datetime | None = None,
) -> None:
    """Check a parsed signature against the request; :class:`SignatureError` when it fails."""
    sdk_date = _header(headers, DATE_HEADER)
    if sdk_date is None:
        raise SignatureError(f"the request has no {DATE_HEADER} header")
    try:
        signed_at = datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureError(f"{DATE_HEADER} {sdk_date!r} is not in {DATE_FORMAT} form") from None
    if abs((now or datetime.now(UTC)) - signed_at) > MAX_CLOCK_SKEW:
        raise SignatureError(f"{DATE_HEADER} {sdk_date} is more than 15 minutes off")
    lowered = {name.lower() for name in headers}
    if DATE_HEADER.lower() not in header.signed_headers or any(
        name not in lowered for name in header.signed_headers
    ):
        raise SignatureError("the signed headers are not all present, or omit X-Sdk-Date")
    canonical = canonical_request(method, path, query, headers, header.signed_headers, body)
    expected = signature(secret_key, string_to_sign(canonical, sdk_date))
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError),
    # and a forged header may hold any.
    presented = header.signature.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected.encode("ascii"), presented):
        raise SignatureError("the signature does not match")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)
