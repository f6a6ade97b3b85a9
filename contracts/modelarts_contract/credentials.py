"""The caller's credentials, where they come from, and the forged ones T8 sends.

Signing itself lives in ``modelarts_training`` (one canonicalisation shared with servers that
verify); this module only chooses which :class:`httpx.Auth` a request carries. Every auth the
suite sends is a :class:`LabelledAuth`, so that a reproduction can name it without its secret
and build it again, signed at the moment it is replayed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from modelarts_training.auth import AkSkAuth, TokenAuth

from .errors import UsageError

#: Environment variables the credentials are read from when no option gives them; the AK/SK
#: names are the official SDK's, so a machine set up for the SDK needs nothing more.
TOKEN_VARIABLE = "MODELARTS_TOKEN"
ACCESS_KEY_VARIABLE = "HUAWEICLOUD_SDK_AK"
SECRET_KEY_VARIABLE = "HUAWEICLOUD_SDK_SK"
#: The label of a request made with the run's own credentials.
RUN_CREDENTIALS = "run"


@dataclass(frozen=True)
class TokenCredentials:
    """An IAM token sent as ``X-Auth-Token``."""

    token: str

    def auth(self, project_id: str) -> httpx.Auth:
        """The auth that authenticates requests on ``project_id``."""
        return LabelledAuth(TokenAuth(self.token), RUN_CREDENTIALS, project_id)

    def secrets(self) -> tuple[str, ...]:
        """Values that never leave the process."""
        return (self.token,)


@dataclass(frozen=True)
class AkSkCredentials:
    """An access key / secret key pair; requests are signed SDK-HMAC-SHA256."""

    access_key: str
    secret_key: str

    def auth(self, project_id: str) -> httpx.Auth:
        """The auth that signs requests on ``project_id``."""
        return LabelledAuth(
            AkSkAuth(self.access_key, self.secret_key, project_id), RUN_CREDENTIALS, project_id
        )

    def secrets(self) -> tuple[str, ...]:
        """Values that never leave the process."""
        return (self.access_key, self.secret_key)

    def __repr__(self) -> str:
        return "AkSkCredentials(access_key=…, secret_key=…)"


Credentials = TokenCredentials | AkSkCredentials


def credentials_from(
    token: str | None,
    access_key: str | None,
    secret_key: str | None,
    environ: Mapping[str, str],
    *,
    flag_names: tuple[str, str, str] = ("--token", "--ak", "--sk"),
) -> Credentials:
    """The run's credentials: the options when any is given, else the environment.

    :class:`UsageError` names what is missing or contradictory.
    """
    token_flag, ak_flag, sk_flag = flag_names
    if token or access_key or secret_key:
        if token and (access_key or secret_key):
            raise UsageError(f"give either {token_flag} or {ak_flag}/{sk_flag}, not both")
        if token:
            return TokenCredentials(token)
        if access_key and secret_key:
            return AkSkCredentials(access_key, secret_key)
        raise UsageError(f"{ak_flag} and {sk_flag} go together")
    env_token = environ.get(TOKEN_VARIABLE) or None
    env_ak = environ.get(ACCESS_KEY_VARIABLE) or None
    env_sk = environ.get(SECRET_KEY_VARIABLE) or None
    if env_token and (env_ak or env_sk):
        raise UsageError(
            f"both {TOKEN_VARIABLE} and {ACCESS_KEY_VARIABLE}/{SECRET_KEY_VARIABLE} are set; "
            f"choose one with {token_flag} or {ak_flag}/{sk_flag}"
        )
    if env_token:
        return TokenCredentials(env_token)
    if env_ak and env_sk:
        return AkSkCredentials(env_ak, env_sk)
    if env_ak or env_sk:
        raise UsageError(f"{ACCESS_KEY_VARIABLE} and {SECRET_KEY_VARIABLE} go together")
    raise UsageError(
        f"credentials are needed: {TOKEN_VARIABLE}, or {ACCESS_KEY_VARIABLE} and "
        f"{SECRET_KEY_VARIABLE}, in the environment ({token_flag} or {ak_flag}/{sk_flag} "
        "also work, but show in process lists)"
    )


class LabelledAuth(httpx.Auth):
    """An auth with a label that says how to build it again, and the project it acts on."""

    def __init__(self, inner: httpx.Auth, label: str, project_id: str) -> None:
        self.inner = inner
        self.label = label
        self.project_id = project_id
        self.requires_request_body = inner.requires_request_body

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The inner auth's flow."""
        return (yield from self.inner.auth_flow(request))


class _NoAuth(httpx.Auth):
    """Sends the request without any credentials."""


Forgery = Callable[[Credentials, str], httpx.Auth]


def _no_credentials(credentials: Credentials, project_id: str) -> httpx.Auth:
    return _NoAuth()


def _unknown_token(credentials: Credentials, project_id: str) -> httpx.Auth:
    return TokenAuth("contract-forged-" + secrets.token_hex(16))


def _wrong_signature(credentials: Credentials, project_id: str) -> httpx.Auth:
    # With AK/SK credentials the real access key is used, so only the secret is wrong; with a
    # token the access key is invented too.
    access_key = (
        credentials.access_key
        if isinstance(credentials, AkSkCredentials)
        else "CONTRACTFORGEDAK" + secrets.token_hex(4).upper()
    )
    return AkSkAuth(access_key, "forged-" + secrets.token_hex(16), project_id)


#: How far from now a stale (or early) signature is dated: well past the 15 minutes of clock
#: skew the spec allows either way.
STALE_SIGNATURE_AGE = timedelta(hours=1)


def _dated(shift: timedelta) -> Forgery:
    """A signature made with the real keys on a clock ``shift`` away from now."""

    def make(credentials: Credentials, project_id: str) -> httpx.Auth:
        if not isinstance(credentials, AkSkCredentials):
            return _unknown_token(credentials, project_id)
        return AkSkAuth(
            credentials.access_key,
            credentials.secret_key,
            project_id,
            clock=lambda: datetime.now(UTC) + shift,
        )

    return make


#: Forged credentials by label; a replay builds them again from the run's credentials.
FORGERIES: dict[str, Forgery] = {
    "no credentials": _no_credentials,
    "an unknown token": _unknown_token,
    "a wrong signature": _wrong_signature,
    "a signature dated an hour ago": _dated(-STALE_SIGNATURE_AGE),
    # A server that bounds only a signature's age takes one dated ahead for ever.
    "a signature dated an hour ahead": _dated(STALE_SIGNATURE_AGE),
}


def forged(label: str, credentials: Credentials, project_id: str) -> httpx.Auth:
    """The forgery ``label`` (a key of :data:`FORGERIES`) on ``project_id``, labelled."""
    return LabelledAuth(FORGERIES[label](credentials, project_id), label, project_id)


def rebuild_auth(label: str, credentials: Credentials, project_id: str) -> httpx.Auth | None:
    """The auth a recorded request carried, built again; ``None`` when ``label`` is unknown."""
    if label == RUN_CREDENTIALS:
        return credentials.auth(project_id)
    if label in FORGERIES:
        return forged(label, credentials, project_id)
    return None


def no_credentials() -> httpx.Auth:
    """An auth that adds nothing: the request carries no credentials at all."""
    return LabelledAuth(_NoAuth(), "no credentials", "")


def bad_token() -> httpx.Auth:
    """A token no server can know."""
    return LabelledAuth(_unknown_token(TokenCredentials(""), ""), "an unknown token", "")


def bad_signature(credentials: Credentials, project_id: str) -> httpx.Auth:
    """A well-formed AK/SK signature made with the wrong secret key."""
    return forged("a wrong signature", credentials, project_id)
