"""Look-alike ids and credentials differ from the real ones, each in the way its label says."""

from __future__ import annotations

import uuid
from difflib import SequenceMatcher
from urllib.parse import parse_qsl

import httpx
import pytest
from modelarts_contract.clauses.lookalikes import lookalike_credentials, lookalike_ids
from modelarts_contract.credentials import AkSkCredentials, TokenCredentials
from modelarts_training import signing

JOB = "3879564f-ad03-4aca-9963-1c97ea9afefd"
URL = f"http://127.0.0.1:8080/v2/proj-1/training-jobs/{JOB}/actions"


def _sent(auth: httpx.Auth) -> httpx.Request:
    """The last request the auth's flow sends for a terminate (a twin may go first)."""
    flow = auth.sync_auth_flow(httpx.Request("POST", URL, json={"action_type": "terminate"}))
    request = next(flow)
    while True:
        try:
            request = flow.send(httpx.Response(400))
        except StopIteration:
            return request


def test_lookalike_ids_are_other_ids_that_resemble_the_job() -> None:
    lookalikes = lookalike_ids(JOB)
    values = [value for _, value in lookalikes]
    assert JOB not in values and len(set(values)) == len(values)
    for what, value in lookalikes:
        assert SequenceMatcher(None, value.lower(), JOB).ratio() >= 0.6, what
    kinds = " ".join(what for what, _ in lookalikes)
    for kind in ("cut off", "appended", "re-cased", "trailing space", "trailing slash", "hyphens"):
        assert kind in kinds


def test_token_lookalikes_never_send_the_token() -> None:
    token = "MIIDxTCCAs2gAwIBAgIJAKL0UG"
    forged = lookalike_credentials(TokenCredentials(token), "proj-1")
    assert len(forged) >= 9
    for what, make_auth, _ in forged:
        sent = _sent(make_auth()).headers.get("X-Auth-Token")
        if "empty X-Auth-Token" in what:
            assert sent == ""
        elif sent is not None:
            assert sent != token and (sent.lower()[:8] == token.lower()[:8] or token[1:] in sent), (
                what
            )


@pytest.mark.parametrize("access_key", ["AK1", "HPUAXYZ0123ABCDEFGH"])
def test_signature_lookalikes_never_verify(access_key: str) -> None:
    credentials = AkSkCredentials(access_key, "secret-" + uuid.uuid4().hex)
    forged = [f for f in lookalike_credentials(credentials, "proj-1") if "empty" not in f.what]
    assert len(forged) >= 15
    for what, make_auth, reads in forged:
        request = _sent(make_auth())
        assert not reads, what
        header = signing.parse_authorization(request.headers["Authorization"])
        if header.access_key != access_key:
            continue  # an access key the server does not know
        with pytest.raises(signing.SignatureError):
            signing.verify(
                secret_key=credentials.secret_key,
                header=header,
                method=request.method,
                path=request.url.raw_path.split(b"?", 1)[0].decode("ascii"),
                query=parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True),
                headers=dict(request.headers.items()),
                body=request.content,
            )
        assert "Authorization" in request.headers, what


def test_the_run_s_own_signature_verifies() -> None:
    # The check above would pass vacuously if verify() refused every request built this way.
    credentials = AkSkCredentials("AK1", "SK1")
    request = _sent(credentials.auth("proj-1"))
    header = signing.parse_authorization(request.headers["Authorization"])
    signing.verify(
        secret_key="SK1",
        header=header,
        method=request.method,
        path=request.url.raw_path.decode("ascii"),
        query=[],
        headers=dict(request.headers.items()),
        body=request.content,
    )
