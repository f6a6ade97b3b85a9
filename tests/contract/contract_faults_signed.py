"""Single-fault servers judged with AK/SK credentials, as the official SDK signs.

The fourth batch of the corpus, written as a hidden checker would, each a fault the suite
missed until its check was added: a signature dated ahead of the clock or made for another
method let in (T8), a 202 body in UTF-16 (T1) or ahead of the stored job (T3), an id that
reaches a job once percent-decoded again or NFKC-normalised (T6); and one the suite met with
an ERROR instead of a verdict: a 429 asking to wait more seconds than a float holds (T9). Each
is the real emulator behind an ASGI wrapper, as in the first batches.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from contract_faults import Exchange, Fault
from contract_faults_one_job import (
    _THROTTLED,
    _ConcurrencyFault,
    _LooseIdMatch,
    _LooseSignature,
    _query,
    _verifies,
)
from modelarts_contract.credentials import AkSkCredentials
from modelarts_training import signing

SIGNED = AkSkCredentials("AK1", "SK1")


class _Signed(Fault):
    """A fault the suite judges with AK/SK credentials."""

    credentials = SIGNED


def _sdk_date(scope: dict[str, Any]) -> datetime | None:
    value = dict(scope["headers"]).get(signing.DATE_HEADER.lower().encode())
    try:
        return datetime.strptime(value.decode("latin-1"), signing.DATE_FORMAT).replace(tzinfo=UTC)
    except (AttributeError, ValueError):
        return None


# --- T8: a signature that should not verify lets the request in ---------------------------


class AcceptsFutureSignatures(_LooseSignature):
    description = "only a signature's age is bounded: one dated an hour ahead is accepted"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        signed_at = _sdk_date(scope)
        if signed_at is None or signed_at <= datetime.now(UTC):
            return False
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            signing.verify(
                secret_key="SK1",
                header=signing.parse_authorization(authorization),
                method=scope["method"],
                path=scope["raw_path"].decode("latin-1"),
                query=_query(scope),
                headers=headers,
                body=body,
                now=signed_at,
            )
        except signing.SignatureError:
            return False
        return True


class SignatureIgnoresMethod(_LooseSignature):
    description = "the method is left out of the signed request: a PUT's signature lets a POST in"

    def lets_in(self, scope: dict[str, Any], body: bytes, authorization: str) -> bool:
        return any(
            _verifies({**scope, "method": method}, body, authorization)
            for method in ("GET", "PUT", "PATCH", "DELETE", "POST")
            if method != scope["method"]
        )


# --- T1, T3: the 202's body ----------------------------------------------------------------


class _Rewrites202(_Signed):
    clause = "T1"

    async def after(self, exchange: Exchange) -> None:
        if exchange.terminate_target() and exchange.status == 202:
            self.rewrite(exchange)

    def rewrite(self, exchange: Exchange) -> None:
        raise NotImplementedError


def _replace_body(exchange: Exchange, body: bytes, content_type: bytes) -> None:
    exchange.answer = body
    exchange.headers = [
        (k, v) for k, v in exchange.headers if k not in (b"content-type", b"content-length")
    ]
    exchange.headers += [(b"content-type", content_type), (b"content-length", b"%d" % len(body))]


class Accepted202InUtf16(_Rewrites202):
    description = "the 202 body is UTF-16 (application/json; charset=utf-16)"

    def rewrite(self, exchange: Exchange) -> None:
        text = exchange.answer.decode()
        _replace_body(exchange, text.encode("utf-16"), b"application/json; charset=utf-16")


class Accepted202ShowsTerminated(_Signed):
    clause = "T3"
    description = "the 202 body says Terminated while the stored job (GET) is Terminating"

    async def after(self, exchange: Exchange) -> None:
        if exchange.terminate_target() and exchange.status == 202:
            job = exchange.json()
            job["status"].update(phase="Terminated", secondary_phase="Terminated")
            exchange.set_json(job)


# --- T9: a 429 that asks to wait for ever --------------------------------------------------


class RetryAfterBeyondAnyClock(_ConcurrencyFault):
    description = "more than 4 terminates at once: 429 with a Retry-After of 400 digits"
    credentials = SIGNED
    tolerated, status, error = 4, 429, _THROTTLED
    # More seconds than a float holds: the wait must fail in time, not stop the clause.
    headers = ((b"retry-after", b"9" * 400),)


# --- T6: an id that only decodes or normalises to a job's reaches it ------------------------


class IdsNormalisedNfkc(_LooseIdMatch):
    credentials = SIGNED
    description = "ids are NFKC-normalised before the lookup: a fullwidth digit reaches the job"

    def same(self, requested: str, known: str) -> bool:
        return unicodedata.normalize("NFKC", requested) == known


class IdDecodedTwice(_LooseIdMatch):
    credentials = SIGNED
    description = (
        "the id segment is percent-decoded twice: an id holding %61 reaches the job of 'a'"
    )

    def same(self, requested: str, known: str) -> bool:
        return unquote(requested) == known


SIGNED_FAULTS: tuple[type[Fault], ...] = (
    AcceptsFutureSignatures,
    SignatureIgnoresMethod,
    Accepted202InUtf16,
    Accepted202ShowsTerminated,
    RetryAfterBeyondAnyClock,
    IdsNormalisedNfkc,
    IdDecodedTwice,
)
