"""Every exchange of a run ends: a deadline for the whole answer, a size cap counted after
decoding, one retry of a connection dropped before any byte."""

from __future__ import annotations

import socket
import threading
import tracemalloc
import zlib

import pytest
from hostile_servers import (
    dripped_body,
    encoded,
    endless_chunked_body,
    gzipped,
    hostile_server,
    resetting,
)
from modelarts_contract.bounded_http import MAX_BODY_BYTES, BoundedClient
from modelarts_contract.errors import ExchangeError


def _post(base_url: str, timeout: float = 5.0) -> int:
    client = BoundedClient(timeout, base_url=base_url)
    try:
        request = client.build_request("POST", "/v2/p/training-jobs/j/actions", json={})
        return client.exchange(request).status_code
    finally:
        client.close()


def test_a_dripped_body_ends_at_the_deadline() -> None:
    with hostile_server(dripped_body) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url, timeout=1.0)
    assert raised.value.kind == "timeout" and "within 1 s" in raised.value.message


def test_an_endless_body_is_cut_at_the_size_cap() -> None:
    with hostile_server(endless_chunked_body) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url)
    assert raised.value.kind == "too large" and "8 MiB" in raised.value.message


def test_a_connection_reset_before_any_byte_is_tried_again() -> None:
    with hostile_server(resetting(times=1)) as base_url:
        assert _post(base_url) == 400


def test_connections_reset_again_and_again_are_reported_as_dropped() -> None:
    with hostile_server(resetting(times=1000)) as base_url, pytest.raises(ExchangeError) as raised:
        _post(base_url)
    assert raised.value.kind == "dropped"
    assert "the server dropped connections under 1 concurrent request(s)" in raised.value.message


def _deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


JOB = b'{"metadata": {"id": "j"}, "status": {"phase": "Running"}}'


@pytest.mark.parametrize(
    ("body", "content_encoding"),
    [
        (gzipped(JOB), "gzip"),
        (gzipped(gzipped(JOB)), "gzip, gzip"),
        (gzipped(JOB[:20]) + gzipped(JOB[20:]), "x-gzip"),
        (zlib.compress(JOB), "deflate"),
        (_deflate_raw(JOB), "deflate"),
        (gzipped(zlib.compress(JOB)), "deflate, identity, gzip"),
    ],
    ids=["gzip", "gzip-twice", "gzip-members", "deflate-zlib", "deflate-raw", "deflate-gzip"],
)
def test_a_compressed_answer_is_read_decoded(body: bytes, content_encoding: str) -> None:
    with hostile_server(encoded(body, content_encoding)) as base_url:
        client = BoundedClient(5.0, base_url=base_url)
        try:
            response = client.exchange(client.build_request("GET", "/v2/p/training-jobs/j"))
        finally:
            client.close()
    assert response.content == JOB
    assert "content-encoding" not in response.headers


def test_a_stacked_gzip_bomb_is_stopped_at_the_cap_before_it_inflates() -> None:
    # 64 MiB of zeros gzipped twice: httpx would inflate the inner layer's one chunk whole.
    bomb = gzipped(gzipped(bytes(64 * 1024 * 1024)))
    with hostile_server(encoded(bomb, "gzip, gzip")) as base_url:
        tracemalloc.start()
        try:
            with pytest.raises(ExchangeError) as raised:
                _post(base_url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert raised.value.kind == "too large"
    assert "8 MiB, once decoded from gzip, gzip" in raised.value.message
    assert peak < 3 * MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("body", "content_encoding", "reason"),
    [
        (b"\x1b\x00\x00not brotli", "br", "encoded 'br', which the suite does not decode"),
        (b"not gzip at all", "gzip", "not valid gzip"),
        (JOB, "gzip, " * 9 + "gzip", "10 stacked content codings"),
    ],
    ids=["br", "not-gzip", "too-many"],
)
def test_an_answer_that_cannot_be_decoded_is_garbled(
    body: bytes, content_encoding: str, reason: str
) -> None:
    with (
        hostile_server(encoded(body, content_encoding)) as base_url,
        pytest.raises(ExchangeError) as raised,
    ):
        _post(base_url)
    assert raised.value.kind == "garbled" and reason in raised.value.message


def test_a_header_value_beyond_ascii_is_kept_as_sent() -> None:
    # HTTP allows obs-text in a field value; an answer carrying it is still judged.
    def answer(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
        body = b'{"error_code": "ModelArts.2775", "error_msg": "no"}'
        connection.sendall(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
            b"X-Note: \xc3\xa9t\xc3\xa9 \xff\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    with hostile_server(answer) as base_url:
        client = BoundedClient(5.0, base_url=base_url)
        try:
            request = client.build_request("POST", "/v2/p/training-jobs/j/actions", json={})
            response = client.exchange(request)
        finally:
            client.close()
    assert response.status_code == 400
    assert response.json()["error_code"] == "ModelArts.2775"
    assert response.headers.raw[1] == (b"X-Note", b"\xc3\xa9t\xc3\xa9 \xff")
