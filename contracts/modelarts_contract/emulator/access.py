"""Who is calling: an IAM token or an AK/SK signature, and the projects it may act on.

AK/SK requests are checked with the generated package's own canonicalisation
(:mod:`modelarts_training.signing`), the one its signer uses and the official SDK's, so signer and
verifier cannot drift. It is handed the request as it came off the wire: the path still
percent-encoded (the canonicalisation decodes it once, as the SDK does), header values read as
the UTF-8 the SDK sends.
Every way credentials can fail is a 401 with the spec's error body, and an unknown access key
fails exactly as a wrong signature does, so the answers tell no one which keys exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from modelarts_training.signing import SignatureError, parse_authorization, verify

from . import problems
from .config import EmulatorConfig
from .incoming import Request

#: What an unknown access key is checked against: a secret no caller can know.
_NO_SUCH_SECRET = secrets.token_hex(32)


@dataclass(frozen=True)
class Caller:
    """Credentials that verified: the projects each one may act on, and who they are."""

    #: One tuple per credential presented; a project must be in every one.
    allowed: tuple[tuple[str, ...], ...]
    #: A stable name for the credentials (a token's hash, an access key), never a secret.
    identity: str

    def may_act_on(self, project_id: str) -> bool:
        """Whether every credential presented covers ``project_id``."""
        return all(project_id in projects for projects in self.allowed)


class Gatekeeper:
    """Decides whether a request may act on a project; raises :class:`problems.ApiError` if not."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._tokens = {_utf8(token): projects for token, projects in config.tokens.items()}
        self._aksk = dict(config.aksk)

    def admit(self, request: Request, project_id: str) -> Caller:
        """Let the request through, or raise 401 (who are you?) / 403 (not your project)."""
        caller = self.authenticate(request)
        if not caller.may_act_on(project_id):
            raise problems.project_mismatch(project_id)
        return caller

    def authenticate(self, request: Request) -> Caller:
        """The verified caller, or 401.

        Every credential presented is checked: a valid token does not excuse a forged
        signature sent beside it, so no request succeeds while carrying bad credentials.
        """
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token is None and authorization is None:
            raise problems.token_missing()
        allowed: list[tuple[str, ...]] = []
        names: list[str] = []
        if token is not None:
            allowed.append(self._projects_of_token(token))
            names.append("token:" + hashlib.sha256(_utf8(token)).hexdigest()[:32])
        if authorization is not None:
            access_key, projects = self._projects_of_signature(authorization, request)
            allowed.append(projects)
            names.append("ak:" + access_key)
        return Caller(tuple(allowed), " ".join(names))

    def _projects_of_token(self, token: str) -> tuple[str, ...]:
        # Compare against every known token in constant time, so timing reveals no prefix.
        presented = _utf8(token)
        found: tuple[str, ...] | None = None
        for known, projects in self._tokens.items():
            if hmac.compare_digest(known, presented):
                found = projects
        if found is None:
            raise problems.credentials_rejected("unknown token")
        return found

    def _projects_of_signature(
        self, authorization: str, request: Request
    ) -> tuple[str, tuple[str, ...]]:
        try:
            header = parse_authorization(authorization)
        except SignatureError as error:
            raise problems.credentials_rejected(str(error)) from None
        entry = self._aksk.get(header.access_key)
        # An unknown key is verified too, against a secret nobody has: it fails at the same
        # step, with the same message, as a known key with a wrong signature.
        secret_key, projects = entry if entry is not None else (_NO_SUCH_SECRET, ())
        try:
            verify(
                secret_key=secret_key,
                header=header,
                method=request.method,
                path=_as_sent(request.raw_path),
                query=request.query,
                headers={name: _as_sent(value) for name, value in request.headers.items()},
                body=request.body,
            )
        except SignatureError as error:
            raise problems.credentials_rejected(str(error)) from None
        if entry is None:  # not reachable but by guessing a 256-bit secret
            raise problems.credentials_rejected("the signature does not match")
        return header.access_key, projects


def _utf8(text: str) -> bytes:
    # surrogatepass: a value from a non-UTF-8 command line must not break every comparison.
    return text.encode("utf-8", "surrogatepass")


def _as_sent(text: str) -> str:
    """Text read as Latin-1 (a character a byte) read again as UTF-8, as the SDK encodes what is
    beyond ASCII. Bytes that are not UTF-8 stay themselves (surrogateescape), so they match only
    a signature over those very bytes, never one over a "replaced" look-alike."""
    return text.encode("latin-1").decode("utf-8", "surrogateescape")
