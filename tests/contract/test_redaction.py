"""No secret leaves a run, in any form a server re-encodes it, whole or cut."""

from __future__ import annotations

import base64
import json
import random
import string
import urllib.parse
from collections.abc import Callable

import pytest
from hostile_servers import echo_forms
from modelarts_contract.redaction import REDACTED, Redactor


def _random_text(seed: int, length: int, alphabet: str = string.ascii_letters) -> str:
    chooser = random.Random(seed)
    return "".join(chooser.choice(alphabet) for _ in range(length))


TOKEN = "hostile/Token+with space-" + _random_text(3, 60, string.ascii_letters + string.digits)


def _shows_a_run_of(secret: str, text: str, length: int = 8) -> bool:
    folded = text.lower()
    return any(
        secret[start : start + length].lower() in folded
        for start in range(len(secret) - length + 1)
    )


@pytest.mark.parametrize(
    "form",
    [
        TOKEN,
        json.dumps(TOKEN),
        json.dumps(TOKEN).replace("/", "\\/"),
        "".join(f"\\u{ord(char):04X}" for char in TOKEN),
        json.dumps(json.dumps(TOKEN)),
        urllib.parse.quote(TOKEN, safe=""),
        urllib.parse.quote(TOKEN, safe="").lower(),
        urllib.parse.quote_plus(TOKEN, safe=""),
        TOKEN[:30] + "\n    " + TOKEN[30:],
        TOKEN[:30] + "\\r\\n" + TOKEN[30:],
        TOKEN.upper(),
        TOKEN[:40] + "X" + TOKEN[41:],
    ],
    ids=[
        "verbatim",
        "json",
        "json-escaped-slash",
        "unicode-escapes",
        "json-twice",
        "percent-upper",
        "percent-lower",
        "percent-plus",
        "line-break",
        "escaped-line-break",
        "re-cased",
        "one-character-changed",
    ],
)
def test_a_re_encoded_secret_is_blanked(form: str) -> None:
    text = f'{{"error_msg": "bad token {form} for project p1"}}'
    redacted = Redactor([TOKEN])(text)
    assert REDACTED in redacted
    assert not _shows_a_run_of(TOKEN, redacted), redacted
    assert redacted.startswith('{"error_msg": "bad token ') and "for project p1" in redacted


def test_every_form_a_hostile_server_echoes_is_blanked_at_once() -> None:
    redacted = Redactor([TOKEN])(echo_forms(TOKEN))
    assert not _shows_a_run_of(TOKEN, redacted), redacted


def test_a_long_secret_cut_anywhere_shows_no_run_of_it() -> None:
    secret = _random_text(5, 2000)
    redactor = Redactor([secret])
    body = f'{{"error_msg": "token {secret} refused"}}'
    # The cut before the redaction (a report's column, a failure's excerpt) …
    for cut in (25, 229, 1000, 2010):
        assert not _shows_a_run_of(secret, redactor(body[:cut])), cut
    # … and after it.
    excerpt = redactor.excerpt(body, 229)
    assert excerpt.startswith('{"error_msg": "token [redacted] refused"}')


@pytest.mark.parametrize("prefix", [b"", b"u:", b"us:"], ids=["aligned", "offset-1", "offset-2"])
@pytest.mark.parametrize(
    "encode",
    [base64.b64encode, base64.urlsafe_b64encode, lambda data: data.hex().encode()],
    ids=["base64", "base64url", "hex"],
)
def test_a_secret_echoed_in_base64_or_hex_is_blanked(
    prefix: bytes, encode: Callable[[bytes], bytes]
) -> None:
    # Wherever in a longer base64 text the secret's bytes start (a Basic header's user:token).
    echoed = encode(prefix + TOKEN.encode()).decode("ascii")
    redacted = Redactor([TOKEN])(f"Authorization: Basic {echoed} refused")
    assert REDACTED in redacted and redacted.endswith(" refused")
    for start in range(len(echoed) - 20 + 1):
        assert echoed[start : start + 20] not in redacted, redacted


def test_an_excerpt_is_cut_after_redacting() -> None:
    redactor = Redactor([TOKEN])
    assert redactor.excerpt("a" * 50 + TOKEN, 60) == "a" * 50 + REDACTED
    assert redactor.excerpt("b" * 100, 60) == "b" * 60 + "…"


def test_text_without_secrets_is_left_as_it_is() -> None:
    redactor = Redactor([TOKEN, "tok"])
    text = 'POST /v2/p1/training-jobs/0f9c…/actions → 409 {"error_code": "ModelArts.2796"}\n  tok'
    assert redactor(text) == text
    # Short values are no credential: a report blanking every "tok" would be unreadable.
    assert Redactor(["tok-1"])("tok-1 and tok-2") == f"{REDACTED} and tok-2"
