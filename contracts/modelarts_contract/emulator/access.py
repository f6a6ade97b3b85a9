"""Who is calling: an IAM token or an AK/SK signature, and the projects it may act on.

AK/SK requests are checked with the generated package's own canonicalisation
(:mod:`modelarts_training.signing`), the one its signer uses, so signer and verifier cannot drift.
"""

from __future__ import annotations

import hmac

from modelarts_training.signing import SignatureError, parse_authorization, verify

from . import problems
from .config import EmulatorConfig
from .incoming import Request


class Gatekeeper:
    """Decides whether a request may act on a project; raises :class:`problems.ApiError` if not."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._tokens = dict(config.tokens)
        self._aksk = dict(config.aksk)

    def admit(self, request: Request, project_id: str) -> None:
        """Let the request through, or raise 401 (who are you?) / 403 (not your project).

        Every credential presented is checked: a valid token does not excuse a forged
        signature sent beside it, so no request succeeds while carrying bad credentials.
        """
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token is None and authorization is None:
            raise problems.token_missing()
        allowed: list[tuple[str, ...]] = []
        if token is not None:
            allowed.append(self._projects_of_token(token))
        if authorization is not None:
            allowed.append(self._projects_of_signature(authorization, request))
        if any(project_id not in projects for projects in allowed):
            raise problems.project_mismatch(project_id)

    def _projects_of_token(self, token: str) -> tuple[str, ...]:
        # Compare against every known token in constant time, so timing reveals no prefix.
        found: tuple[str, ...] | None = None
        for known, projects in self._tokens.items():
            if hmac.compare_digest(known.encode("utf-8"), token.encode("utf-8")):
                found = projects
        if found is None:
            raise problems.credentials_rejected("unknown token")
        return found

    def _projects_of_signature(self, authorization: str, request: Request) -> tuple[str, ...]:
        try:
            header = parse_authorization(authorization)
        except SignatureError as error:
            raise problems.credentials_rejected(str(error)) from None
        entry = self._aksk.get(header.access_key)
        if entry is None:
            raise problems.credentials_rejected("unknown access key")
        secret_key, projects = entry
        try:
            verify(
                secret_key=secret_key,
                header=header,
                method=request.method,
                path=request.raw_path,
                query=request.query,
                headers=request.headers,
                body=request.body,
            )
        except SignatureError as error:
            raise problems.credentials_rejected(str(error)) from None
        return projects
