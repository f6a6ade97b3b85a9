"""The generated signer signs byte for byte as huaweicloudsdkcore's ``Signer`` signs, for any
path, query, headers and body; and a verifier built from the SDK's own code accepts it on the wire.

The SDK's requests are built the way its client builds them (``ApiClient.build_future_request``):
path parameters percent-encoded with ``quote(value, safe="")``, query parameters as a list of
pairs, the header dict with ``Content-Type`` under that name, then ``BasicCredentials.sign_request``,
which adds ``X-Project-Id`` and signs.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, unquote

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from hypothesis import given, settings
from hypothesis import strategies as st
from modelarts_training import AkSkAuth, Client, signing
from modelarts_training.errors import APIStatusError

from .conftest import PROJECT_ID

AK, SK = "HPUAXXXXXXXXXXXXXXXX", "sk-0123456789abcdef0123456789abcdef01234567"
MOMENT = datetime(2026, 11, 28, 16, 0, 0, tzinfo=UTC)
SDK_DATE = "20261128T160000Z"
#: The canonical forms are cheap to compare: many more examples than a test that sends.
BROAD = settings(max_examples=4 * settings().max_examples)

# What makes canonicalisation hard: separators, escapes (valid and not), spaces, dots, tildes,
# plus signs, non-ASCII from several planes. Surrogates are left out: no HTTP client can send one.
_TRICKY = "/%2Ff .~+?#&=;é\u00a0\u3000训练\U0001f600"
_chars = st.one_of(
    st.sampled_from(_TRICKY),
    st.characters(blacklist_categories=("Cs",)),
)
texts = st.text(_chars, max_size=12)
#: Escapes a raw path may hold: a slash, a percent sign, invalid UTF-8, lower-case hex, a tilde.
_ESCAPES = ["%2F", "%2f", "%25", "%252F", "%FF", "%C3%A9", "%E8%AE%AD", "%7E", "%20", "%", "%4"]
raw_paths = st.lists(st.one_of(st.sampled_from(_ESCAPES + ["/", ".", ".."]), _chars), max_size=30)
# Names a client may use for its own headers (HTTP tokens), "_" included: the SDK never signs those.
_names = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=1)
_reserved = {"host", "x-sdk-date", "authorization", "content-type", "x-project-id"}
_reserved |= {"content-length", signing.CONTENT_SHA256_HEADER.lower()}
header_names = _names.filter(lambda name: name.lower() not in _reserved)
# Leading and trailing white space of every kind: the SDK strips it with str.strip().
header_values = st.builds(
    lambda before, middle, after: before + middle + after,
    st.sampled_from(["", " ", "\t", "\u00a0", "\u3000 "]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00")),
    st.sampled_from(["", " ", "\t", "\x85", "\u2003"]),
)
content_types = st.sampled_from(
    [
        None,
        "",
        "application/json",
        "application/json;charset=UTF-8",
        "application/bson",
        "Application/JSON",
        " application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ]
)
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "get"])


def _unique_by_case(headers: dict[str, str]) -> dict[str, str]:
    # HTTP names are case-insensitive; a dict holding "A" and "a" is no request anyone sends.
    seen: dict[str, str] = {}
    for name in headers:
        seen.setdefault(name.lower(), name)
    return {name: headers[name] for name in seen.values()}


#: What a request carries besides its method and path.
REQUEST_PARTS: dict[str, st.SearchStrategy[Any]] = {
    "query": st.lists(st.tuples(texts, texts), max_size=5),
    "headers": st.dictionaries(header_names, header_values, max_size=4).map(_unique_by_case),
    "content_type": content_types,
    "body": st.binary(max_size=32),
}


def _sdk_signed(request: SdkRequest) -> SdkRequest:
    signed: SdkRequest = BasicCredentials(AK, SK, PROJECT_ID).sign_request(request)
    return signed


@BROAD
@given(
    method=methods,
    path=raw_paths.map(lambda pieces: "/" + "".join(pieces)),
    **REQUEST_PARTS,
)
def test_canonical_forms_equal_the_sdks_for_any_request(
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    content_type: str | None,
    body: bytes,
) -> None:
    """Any text as the raw path (invalid escapes, dot segments, an encoded slash), any pairs."""
    sent = {**headers, signing.DATE_HEADER: SDK_DATE, "Host": "modelarts.test:8443"}
    if content_type is not None:
        sent["Content-Type"] = content_type
    sdk_request = SdkRequest(
        method=method,
        schema="https",
        host="modelarts.test:8443",
        resource_path=path,
        query_params=list(query),
        header_params=dict(sent),
        body=body,
    )
    signed = Signer(BasicCredentials(AK, SK)).sign(sdk_request)

    if not signing.payload_is_signed(sent):
        sent[signing.CONTENT_SHA256_HEADER] = signing.UNSIGNED_PAYLOAD
    ours = signing.sign(
        access_key=AK, secret_key=SK, method=method, path=path, query=query, headers=sent, body=body
    )
    assert ours.render() == signed.header_params["Authorization"]
    # The SDK stores each value as it sends it: stripped, its UTF-8 bytes as Latin-1 text.
    as_sent = {
        name: signing.header_value(value).encode("utf-8").decode("latin-1")
        for name, value in sent.items()
    }
    assert {**as_sent, "Authorization": ours.render()} == signed.header_params
    query_string = signing.canonical_query(query)
    assert signed.uri == (f"{path}?{query_string}" if query_string else path)


def _path_of(segments: list[str]) -> str:
    return "/v2/" + "/".join(quote(segment, safe="") for segment in segments)


@BROAD
@given(
    method=methods.map(str.upper),
    segments=st.lists(texts, min_size=1, max_size=4),
    **REQUEST_PARTS,
)
def test_aksk_auth_sends_the_headers_and_query_the_sdk_sends(
    method: str,
    segments: list[str],
    query: list[tuple[str, str]],
    headers: dict[str, str],
    content_type: str | None,
    body: bytes,
) -> None:
    """Path segments as path parameters hold them, encoded as the SDK's client encodes them."""
    given_headers: dict[str, bytes] = {name: value.encode() for name, value in headers.items()}
    if content_type is not None:
        given_headers["Content-Type"] = content_type.encode()
    request = httpx.Request(
        method,
        "https://modelarts.test:8443" + _path_of(segments),
        params=query,
        headers=given_headers,
        content=body,
    )
    # httpx drops "." and ".." segments, as requests does for the SDK: the path it sends is the
    # one to sign, so that is the SDK's resource path too.
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
    before = {name.decode(): value.decode() for name, value in request.headers.raw}
    sdk_request = _sdk_signed(
        SdkRequest(
            method=method,
            schema="https",
            host="modelarts.test:8443",
            resource_path=path,
            query_params=list(query),
            header_params={**before, signing.DATE_HEADER: SDK_DATE},
            body=body,
        )
    )

    auth = AkSkAuth(AK, SK, PROJECT_ID, clock=lambda: MOMENT)
    signed = next(auth.sync_auth_flow(request))

    ours = {name.decode().lower(): value for name, value in signed.headers.raw}
    theirs = {
        name.lower(): value.encode("latin-1") for name, value in sdk_request.header_params.items()
    }
    assert ours == theirs
    assert signed.url.raw_path == sdk_request.uri.encode("ascii")


# --- On the wire: a server whose verifier is the SDK's own signer ----------------------------


def _authorization_parts(value: str) -> dict[str, str]:
    """``SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`` as a dict (written here, from
    the format the SDK's ``_process_auth_header_value`` writes, not with the module under test)."""
    _, _, rest = value.partition(" ")
    return dict(part.strip().split("=", 1) for part in rest.split(","))


class _SdkVerifier(BaseHTTPRequestHandler):
    """Signs each request again with huaweicloudsdkcore's Signer, from what arrived on the wire,
    and answers the job (200) when the Authorization it computes is the one presented, else 401."""

    protocol_version = "HTTP/1.1"
    # One write per answer (the handler flushes after each request): headers and body in two
    # small segments would wait out the client's delayed ACK, 40 ms a request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    #: Set by the fixture on a subclass: the job every accepted GET answers, what was refused.
    job: ClassVar[dict[str, Any]]
    refused: ClassVar[list[str]]

    def do_GET(self) -> None:
        raw_path, _, raw_query = self.path.partition("?")
        # http.server reads header bytes as Latin-1; the SDK sends UTF-8.
        headers = {
            name: value.encode("latin-1").decode("utf-8") for name, value in self.headers.items()
        }
        presented = headers.get("Authorization", "")
        signed_names = _authorization_parts(presented).get("SignedHeaders", "").split(";")
        again = SdkRequest(
            method=self.command,
            schema="http",
            host=headers.get("Host", ""),
            resource_path=raw_path,
            query_params=parse_qsl(raw_query, keep_blank_values=True),
            header_params={k: v for k, v in headers.items() if k.lower() in signed_names},
            body=b"",
        )
        Signer(BasicCredentials(AK, SK)).sign(again)
        if again.header_params["Authorization"] == presented:
            job = {**self.job, "metadata": {**self.job["metadata"], "id": unquote(raw_path)}}
            self._answer(200, json.dumps(job).encode())
        else:
            self.refused.append(raw_path)
            error = {"error_code": "ModelArts.0203", "error_msg": "signature mismatch"}
            self._answer(401, json.dumps(error).encode())

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reports what it needs."""


@pytest.fixture
def sdk_verifier(seed_job: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """A loopback server verifying with the SDK's signer: its base URL and the paths it refused."""
    handler = type("Verifier", (_SdkVerifier,), {"job": seed_job, "refused": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.refused
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


#: The characters the issue's check puts in job ids, and some to make them ids at all.
_ID_ALPHABET = "/%/% éü训练-._~+abcdef0123456789"


def _random_ids(count: int) -> list[str]:
    chooser = random.Random(14)
    ids = set()
    while len(ids) < count:
        job_id = "".join(chooser.choices(_ID_ALPHABET, k=chooser.randint(1, 20)))
        if job_id not in (".", ".."):  # the client refuses these before sending anything
            ids.add(job_id)
    return sorted(ids)


def test_an_sdk_verifier_accepts_every_signature_of_the_generated_client(
    sdk_verifier: tuple[str, list[str]],
) -> None:
    base_url, refused = sdk_verifier
    ids = _random_ids(300)
    assert sum("/" in job_id for job_id in ids) > 100  # the ids the old signer got wrong
    answered = 0
    with Client(PROJECT_ID, base_url=base_url, auth=AkSkAuth(AK, SK, PROJECT_ID)) as client:
        for job_id in ids:
            try:
                client.get_training_job(job_id)
                answered += 1
            except APIStatusError as error:
                assert error.status_code == 401, error
    assert refused == []
    assert answered == len(ids)
