"""Servers that attack the client judging them, on real loopback sockets (no HTTP framework).

Each answers every request — the API's paths and the provider-state endpoint alike — in one
hostile way; the contract run must still end, in time and memory, with a verdict.
"""

from __future__ import annotations

import base64
import functools
import json
import socket
import socketserver
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: The path served as the provider-state endpoint (it answers like every other path).
STATES_PATH = "/_contract/states"

Answer = Callable[[socket.socket, bytes, threading.Event], None]


def _read_request(connection: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head


def dripped_body(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
    """Headers at once, then a promised megabyte of body, one byte every 2 s."""
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
    )
    while not stop.wait(2.0):
        connection.sendall(b" ")


def endless_chunked_body(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
    """A chunked JSON array that never ends."""
    connection.sendall(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"[" + b"0," * 32767
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    while not stop.is_set():
        connection.sendall(frame)


def deeply_nested_json(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
    """JSON nested 100,000 deep, for the API and the provider states alike."""
    body = b"[" * 100_000 + b"]" * 100_000
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def _credential(request: bytes) -> str:
    """The request's token or signature header value, as a server quoting it back would read it."""
    echoed = ""
    for line in request.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() in (b"x-auth-token", b"authorization"):
            echoed = value.strip().decode("latin-1")
    return echoed


def unauthorized_echoing_token(
    connection: socket.socket, request: bytes, stop: threading.Event
) -> None:
    """401 with the request's token (or signature) quoted back in the error message."""
    echoed = _credential(request)
    body = json.dumps(
        {"error_code": "APIG.0301", "error_msg": f"Incorrect IAM authentication: {echoed}"}
    ).encode()
    connection.sendall(
        b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


@contextmanager
def hostile_server(answer: Answer) -> Iterator[str]:
    """Serve ``answer`` on a free loopback port until the block ends; the base URL."""
    stop = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connection: socket.socket = self.request
            try:
                while not stop.is_set():
                    request = _read_request(connection)
                    if request is None:
                        return
                    answer(connection, request, stop)
            except OSError:
                return

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        time.sleep(0.05)


def resetting(times: int) -> Answer:
    """Reset the connection of the first ``times`` requests without a byte, then answer 400 JSON."""
    count = {"left": times}
    lock = threading.Lock()

    def answer(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
        with lock:
            reset = count["left"] > 0
            count["left"] -= 1
        if reset:
            # SO_LINGER 0: close() sends RST, the "connection reset by peer" of a full backlog.
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00" * 2)
            connection.close()
            raise OSError("reset on purpose")
        body = b'{"error_code": "ModelArts.2775", "error_msg": "no such job"}'
        connection.sendall(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return answer


def html_everywhere(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
    """A web server that is not this API: an HTML 404 page for every path."""
    body = b"<!doctype html><html><body><h1>Not Found</h1>" + b"\xe2\x80\x94" * 500 + b"</body>"
    connection.sendall(
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def gzipped(data: bytes) -> bytes:
    """``data`` as one gzip member."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def gzip_bomb(gigabytes: int = 1) -> bytes:
    """``gigabytes`` GiB of zeros gzipped twice: about 2.5 KB on the wire.

    The inner layer is 16 gzip members of 64 MiB each per GiB (a gzip body may hold several),
    which takes half a second to make where one 1 GiB member takes fifteen.
    """
    member = gzipped(bytes(64 * 1024 * 1024))
    return gzipped(member * 16 * gigabytes)


def encoded(body: bytes, content_encoding: str, status: str = "200 OK") -> Answer:
    """Answer ``body`` (already encoded) with ``Content-Encoding: content_encoding``."""

    def answer(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
        connection.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
            f"Content-Encoding: {content_encoding}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return answer


def stacked_gzip_bomb(connection: socket.socket, request: bytes, stop: threading.Event) -> None:
    """A JSON answer that inflates to a gibibyte, through ``Content-Encoding: gzip, gzip``."""
    encoded(_bomb(), "gzip, gzip")(connection, request, stop)


@functools.cache
def _bomb() -> bytes:
    return gzip_bomb()


def echo_forms(token: str) -> str:
    """``token`` as servers re-encode it, each form in one JSON string's raw text.

    JSON's ``\\/`` and ``\\uXXXX`` escapes, percent-encoding in both hex cases and with ``+``
    for a space, the token split by an escaped line break, and its bytes in base64 (alone, and
    after ``u:`` as a ``Basic`` header carries it, URL-safe) and in hex.
    """
    middle = len(token) // 2
    forms = [
        token.replace("\\", "\\\\").replace('"', '\\"').replace("/", "\\/"),
        "".join(f"\\u{ord(char):04x}" for char in token),
        urllib.parse.quote(token, safe=""),
        urllib.parse.quote_plus(token, safe="").lower(),
        token[:middle] + "\\n" + token[middle:],
        base64.b64encode(token.encode()).decode(),
        base64.urlsafe_b64encode(b"u:" + token.encode()).decode(),
        token.encode().hex(),
    ]
    return " | ".join(forms)


def echoing_token_in_forms(
    connection: socket.socket, request: bytes, stop: threading.Event
) -> None:
    """400 for everything, its error message quoting the request's token in many encodings."""
    echoed = _credential(request)
    body = (
        '{"error_code": "ModelArts.2775", "error_msg": "Incorrect token: '
        + echo_forms(echoed)
        + '"}'
    ).encode()
    connection.sendall(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
