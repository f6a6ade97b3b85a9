"""Authentication for the API as :class:`httpx.Auth` objects, one per security scheme the
document declares.

:class:`AkSkAuth` (AkSk): AK/SK request signing, as the official SDKs do by default. The request carries
`X-Sdk-Date: YYYYMMDDTHHMMSSZ` (UTC, accepted within 15 minutes of the server's clock),
`X-Project-Id`, and
`Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;…>, Signature=<hex>`.
The signature is the hex HMAC-SHA256, keyed with the SK, of
`SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex SHA-256 of the canonical request>`. The canonical
request is six lines, computed as the official Python SDK computes them (huaweicloudsdkcore,
`signer.Signer`): the upper-cased method; the path as sent, percent-decoded once, split at
`/`, each segment percent-encoded again (all but letters, digits and `-._~`), ending in
`/`, so an encoded slash `%2F` signs as a `/` (the route still keeps `%2F` inside its
segment); the query pairs sorted by name then value, each side percent-encoded alike,
`name=` for an empty value; each signed header as `name:value` (name lower-cased, value
stripped of surrounding white space) followed by a newline; the signed header names,
lower-cased, sorted and joined with `;` (the SDK signs every header it sets, `Host` and
`X-Sdk-Date` among them, but for names holding `_`);
the hex SHA-256 of the body, or the value of `X-Sdk-Content-Sha256` when the request
signs one (the SDK sends `UNSIGNED-PAYLOAD` there for a body that is neither JSON nor
BSON). Header values beyond ASCII are sent, and signed, in UTF-8.

:class:`TokenAuth` (IamToken): An IAM user token, scoped to the project in the path.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import UTC, datetime

import httpx

from modelarts_training.signing import (
    CONTENT_SHA256_HEADER,
    DATE_HEADER,
    UNSIGNED_PAYLOAD,
    canonical_query,
    format_date,
    header_value,
    payload_is_signed,
    sign,
)

TOKEN_HEADER = "X-Auth-Token"
PROJECT_HEADER = "X-Project-Id"

#: Hop-by-hop headers (RFC 9110, section 7.6.1): a proxy may rewrite or drop them, so they are
#: never signed, like the official SDK, which signs only the headers it sets itself.
UNSIGNED_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


class AkSkAuth(httpx.Auth):
    """Sign every request with an access key / secret key pair, as the official SDK signs.

    ``clock`` returns the signing moment; it defaults to the current UTC time and exists so that
    tests can sign a request reproducibly.
    """

    # The body is part of the signature, so httpx must read a streamed body before auth runs.
    requires_request_body = True

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        project_id: str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._access_key = access_key
        self._secret_key = secret_key
        self._project_id = project_id
        self._clock = clock or _utc_now

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add ``X-Sdk-Date``, ``X-Project-Id``, ``Host`` and the ``Authorization`` signature."""
        self.sign_request(request)
        yield request

    def sign_request(self, request: httpx.Request) -> None:
        """Sign ``request`` in place, and make it what the official SDK would send.

        httpx has already set every header it will send (``Host``, ``Content-Length``,
        ``User-Agent``…) when auth runs and adds none afterwards, so every signed header goes on
        the wire with the value that was signed. As the SDK does, each signed header is then sent
        stripped and in UTF-8, and the query string in its canonical form (sorted,
        percent-encoded), which every server decodes alike.
        """
        request.headers[DATE_HEADER] = format_date(self._clock())
        if self._project_id is not None:
            request.headers[PROJECT_HEADER] = self._project_id
        # The official SDK signs the endpoint's netloc (host, plus the port when one is given);
        # httpx drops a scheme's default port from the URL, so this is also the Host it sends.
        request.headers["Host"] = request.url.netloc.decode("ascii")
        request.headers.pop("Authorization", None)
        if not payload_is_signed(request.headers):
            request.headers[CONTENT_SHA256_HEADER] = UNSIGNED_PAYLOAD
        signed = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in UNSIGNED_HEADERS
        }
        query = request.url.params.multi_items()
        header = sign(
            access_key=self._access_key,
            secret_key=self._secret_key,
            method=request.method,
            path=request.url.raw_path.split(b"?", 1)[0].decode("ascii"),
            query=query,
            headers=signed,
            body=request.content,
        )
        request.url = request.url.copy_with(query=canonical_query(query).encode("ascii") or None)
        request.headers = _as_signed(request.headers, signed)
        request.headers["Authorization"] = header.render()


class TokenAuth(httpx.Auth):
    """Authenticate every request with a key in the header ``X-Auth-Token``."""

    def __init__(self, token: str) -> None:
        self._key = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the key to the request."""
        request.headers[TOKEN_HEADER] = self._key
        yield request


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _as_signed(headers: httpx.Headers, signed: dict[str, str]) -> httpx.Headers:
    """``headers`` with each signed one sent once, with the value signed, in UTF-8."""
    sent: list[tuple[bytes, bytes]] = []
    done: set[str] = set()
    for raw_name, raw_value in headers.raw:
        name = raw_name.decode(headers.encoding).lower()
        if name not in signed:
            sent.append((raw_name, raw_value))
        elif name not in done:
            # httpx joined repeated headers with ", " when it listed them: that is what was
            # signed, so it is what is sent, as one header.
            done.add(name)
            sent.append((raw_name, header_value(signed[name]).encode("utf-8")))
    return httpx.Headers(sent)
