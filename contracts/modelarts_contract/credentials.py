"""The caller's credentials, and the forged ones T8 sends to prove they are checked.

Signing itself lives in ``modelarts_training`` (one canonicalisation shared with servers that
verify); this module only chooses which :class:`httpx.Auth` a request carries.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from modelarts_training.auth import AkSkAuth, TokenAuth


@dataclass(frozen=True)
class TokenCredentials:
    """An IAM token sent as ``X-Auth-Token``."""

    token: str

    def auth(self, project_id: str) -> httpx.Auth:
        """The auth that authenticates requests on ``project_id``."""
        return TokenAuth(self.token)

    def secrets(self) -> tuple[str, ...]:
        """Values never to print in a reproduction."""
        return (self.token,)


@dataclass(frozen=True)
class AkSkCredentials:
    """An access key / secret key pair; requests are signed SDK-HMAC-SHA256."""

    access_key: str
    secret_key: str

    def auth(self, project_id: str) -> httpx.Auth:
        """The auth that signs requests on ``project_id``."""
        return AkSkAuth(self.access_key, self.secret_key, project_id)

    def secrets(self) -> tuple[str, ...]:
        """Values never to print in a reproduction."""
        return (self.secret_key,)


Credentials = TokenCredentials | AkSkCredentials


class _NoAuth(httpx.Auth):
    """Sends the request without any credentials."""


def no_credentials() -> httpx.Auth:
    """An auth that adds nothing: the request carries no credentials at all."""
    return _NoAuth()


def bad_token() -> httpx.Auth:
    """A token no server can know."""
    return TokenAuth("contract-forged-" + secrets.token_hex(16))


def bad_signature(credentials: Credentials, project_id: str) -> httpx.Auth:
    """A well-formed AK/SK signature made with the wrong secret key.

    With AK/SK credentials the real access key is used, so only the secret is wrong; with a
    token the access key is invented too.
    """
    access_key = (
        credentials.access_key
        if isinstance(credentials, AkSkCredentials)
        else "CONTRACTFORGEDAK" + secrets.token_hex(4).upper()
    )
    return AkSkAuth(access_key, "forged-" + secrets.token_hex(16), project_id)


#: How old a stale signature is: well past the 15 minutes of clock skew the spec allows.
STALE_SIGNATURE_AGE = timedelta(hours=1)


def stale_signature(credentials: AkSkCredentials, project_id: str) -> httpx.Auth:
    """A correct signature with the real keys, dated an hour ago: a replayed request."""
    return AkSkAuth(
        credentials.access_key,
        credentials.secret_key,
        project_id,
        clock=lambda: datetime.now(UTC) - STALE_SIGNATURE_AGE,
    )
