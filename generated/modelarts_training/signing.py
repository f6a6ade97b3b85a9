"""AK/SK request signing (SDK-HMAC-SHA256), computed exactly as the official Huawei Cloud SDK
(huaweicloudsdkcore's ``Signer``) computes it.

One canonicalisation serves both sides: :class:`modelarts_training.auth.AkSkAuth` signs outgoing
requests with it, and a server verifies incoming ones with :func:`verify`.

The canonical request is six lines: the method; the path, decoded once, split at ``/``, each
segment URI-encoded again, ending in ``/``; the query pairs sorted and URI-encoded; the signed
headers as ``name:value`` lines (lower-cased names, values stripped); the signed header names; the
hex SHA-256 of the body (or the ``X-Sdk-Content-Sha256`` value the request carries, which the SDK
sets to ``UNSIGNED-PAYLOAD`` when the body is neither JSON nor BSON). The string to sign is
``SDK-HMAC-SHA256``, the signing moment and the hex SHA-256 of the canonical request, one per
line; the signature is its hex HMAC-SHA256 keyed with the secret key. There is no date or region
key derivation.

Because the path is decoded before it is split, an encoded slash signs as a separator:
``a%2Fb`` and ``a/b`` have the same canonical path. The signature covers the path's characters,
not its segmentation; which resource the path names is the server's routing, which keeps
``%2F`` inside its segment.
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
#: A header that stands in for the body's hash in the canonical request when present.
CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256"
#: Its value when the body is left out of the signature.
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
#: Content types whose bodies the SDK signs; with any other, it sends ``UNSIGNED-PAYLOAD``.
SIGNED_CONTENT_TYPES = ("application/json", "application/bson")
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
    # surrogateescape: text a server decoded from bytes that are not UTF-8 is encoded back to
    # those very bytes, so no two requests share a canonical form by being "replaced" alike.
    return quote(value, safe="~", errors="surrogateescape")


def canonical_uri(path: str) -> str:
    """The path as the SDK canonicalises it: decoded once, split at ``/``, each segment
    URI-encoded, always ending in ``/``.

    ``path`` is the path as sent on the wire, still percent-encoded; a server passes the path as
    it received it, never one its framework has already decoded (``%2525`` would be decoded twice).
    """
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(query: Iterable[tuple[str, str]]) -> str:
    """The query pairs, sorted by name then value, each part URI-encoded; ``name=`` for an empty
    value, a repeated name once per value.

    The SDK sends exactly this string as the request's query, so it is also what a signer puts
    on the wire.
    """
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query))


def signed_header_names(headers: Mapping[str, str]) -> tuple[str, ...]:
    """The headers the SDK signs: all of them, lower-cased and sorted, except names with ``_``."""
    return tuple(sorted(name.lower() for name in headers if "_" not in name))


def header_value(value: str) -> str:
    """A header's value as it is signed and sent: Python's ``str.strip()`` of it, as the SDK
    strips it (every Unicode white space, not only HTTP's spaces and tabs)."""
    return str(value).strip()


def payload_is_signed(headers: Mapping[str, str]) -> bool:
    """Whether the SDK signs the body of a request with these headers: it does unless a
    ``Content-Type`` is set and starts with neither JSON's nor BSON's media type.

    When it does not, the signer sends ``X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD``.
    """
    content_type = _header(headers, "Content-Type")
    return not content_type or content_type.startswith(SIGNED_CONTENT_TYPES)


def payload_hash(headers: Mapping[str, str], body: bytes) -> str:
    """What the canonical request holds for the body: the empty body's hash for no body, else
    the request's ``X-Sdk-Content-Sha256`` value when it has a non-empty one, else the body's."""
    if not body:
        return _EMPTY_BODY_HASH
    declared = header_value(_header(headers, CONTENT_SHA256_HEADER) or "")
    if declared:
        # The SDK reads the value back after storing it as its UTF-8 bytes read as Latin-1.
        return declared.encode("utf-8", "surrogateescape").decode("latin-1")
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    body: bytes,
) -> str:
    """The canonical form of a request that the signature covers."""
    # Lower-cased, the last of two names differing only in case wins, as in the SDK's dict.
    lowered = {name.lower(): header_value(value) for name, value in headers.items()}
    names = list(signed_headers)
    header_lines = "".join(f"{name}:{lowered.get(name, '')}\n" for name in names)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            header_lines,
            ";".join(names),
            payload_hash(headers, body),
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """What the secret key signs: the algorithm, the date and the canonical request's hash."""
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret_key: str, to_sign: str) -> str:
    """The hex HMAC-SHA256 of ``to_sign`` keyed with the secret key."""
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def format_date(moment: datetime) -> str:
    """A moment in the ``X-Sdk-Date`` format (UTC)."""
    return moment.astimezone(UTC).strftime(DATE_FORMAT)


def parse_date(sdk_date: str) -> datetime:
    """An ``X-Sdk-Date`` value as a UTC moment; :class:`SignatureError` when it is not one."""
    try:
        return datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureError(f"{DATE_HEADER} {sdk_date!r} is not in {DATE_FORMAT} form") from None


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
    """Sign a request whose ``headers`` are all it sends and already hold ``X-Sdk-Date`` and
    ``Host`` (and ``X-Sdk-Content-Sha256`` when :func:`payload_is_signed` says so)."""
    names = signed_header_names(headers)
    canonical = canonical_request(method, path, query, headers, names, body)
    sdk_date = _header(headers, DATE_HEADER)
    if sdk_date is None:
        raise SignatureError(f"the request has no {DATE_HEADER} header")
    # The SDK signs the moment it read from the header, formatted again.
    moment = format_date(parse_date(sdk_date))
    return SignatureHeader(
        access_key, names, signature(secret_key, string_to_sign(canonical, moment))
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
    """Check a parsed signature against the request; :class:`SignatureError` when it fails.

    Pass the request as received: ``path`` still percent-encoded (see :func:`canonical_uri`),
    ``query`` as its decoded pairs, ``headers`` with their values decoded from UTF-8 (which is
    how the SDK sends a value beyond ASCII) and ``body`` as its bytes.

    Stricter than the algorithm alone, and never for a request the SDK signs: ``X-Sdk-Date``
    must be signed and within :data:`MAX_CLOCK_SKEW`, every signed header present, and an
    ``X-Sdk-Content-Sha256`` signed and either ``UNSIGNED-PAYLOAD`` or the body's own hash.
    """
    sdk_date = _header(headers, DATE_HEADER)
    if sdk_date is None:
        raise SignatureError(f"the request has no {DATE_HEADER} header")
    signed_at = parse_date(sdk_date)
    if abs((now or datetime.now(UTC)) - signed_at) > MAX_CLOCK_SKEW:
        raise SignatureError(f"{DATE_HEADER} {sdk_date} is more than 15 minutes off")
    lowered = {name.lower() for name in headers}
    if DATE_HEADER.lower() not in header.signed_headers or any(
        name not in lowered for name in header.signed_headers
    ):
        raise SignatureError("the signed headers are not all present, or omit X-Sdk-Date")
    _check_declared_payload(header, headers, body)
    canonical = canonical_request(method, path, query, headers, header.signed_headers, body)
    expected = signature(secret_key, string_to_sign(canonical, format_date(signed_at)))
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError),
    # and a forged header may hold any.
    presented = header.signature.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected.encode("ascii"), presented):
        raise SignatureError("the signature does not match")


def _check_declared_payload(
    header: SignatureHeader, headers: Mapping[str, str], body: bytes
) -> None:
    declared = _header(headers, CONTENT_SHA256_HEADER)
    if declared is None or not body:
        return  # the canonical request holds the body's own hash
    if CONTENT_SHA256_HEADER.lower() not in header.signed_headers:
        raise SignatureError(f"{CONTENT_SHA256_HEADER} decides what is signed, yet is not signed")
    value = header_value(declared)
    if value and value != UNSIGNED_PAYLOAD and value.lower() != hashlib.sha256(body).hexdigest():
        raise SignatureError(
            f"{CONTENT_SHA256_HEADER} is neither {UNSIGNED_PAYLOAD} nor the body's SHA-256"
        )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)
