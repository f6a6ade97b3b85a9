"""Streamed answers (``text/event-stream``) of a rendered client: the server-sent events format
as the HTML standard defines it, data read into the document's schemas, bounds, and a real
loopback server that streams slowly."""

from __future__ import annotations

import asyncio
import http.server
import inspect
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main

from .conftest import imported_from

MATRIX = Path(__file__).parent / "matrix"
#: How long a loopback server waits for the client's next step before it gives up: the test
#: then fails on what it saw, never hangs.
PATIENCE = 10.0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("streams") / "out"
    spec = str(MATRIX / "streams.yaml")
    assert main(["--spec", spec, "--out", str(out), "--package-name", "m_streams"]) == 0
    return out


@pytest.fixture(scope="module")
def streams(rendered: Path) -> Iterator[ModuleType]:
    with imported_from(rendered, "m_streams") as package:
        yield package


def test_a_streaming_package_is_formatted_and_lint_clean(rendered: Path) -> None:
    for command in (["format", "--check"], ["check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--line-length", "100", str(rendered)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def _events(package: ModuleType, chunks: list[bytes]) -> list[tuple[str, str, str, int | None]]:
    decoder = package._sse.EventDecoder()
    found = [event for chunk in chunks for event in decoder.feed(chunk)]
    return [(e.event, e.data, e.id, e.retry) for e in found]


def test_events_are_read_as_the_html_standard_defines_them(streams: ModuleType) -> None:
    wire = (
        b"\xef\xbb\xbf: a comment, then a BOM-led stream\n"
        b"data: first\n\n"
        b"event: add\r\ndata:  two spaces keep one\r\ndata\r\ndata:line3\r\n\r\n"
        b"id: 7\rretry: 1500\rdata: cr only\r\r"
        b"id: bad\x00id\nretry: 2s\nfield-we-ignore: x\ndata: keeps id 7\n\n"
        b"event: no data dispatches nothing\n\n"
        b"id\ndata: id cleared\n\n"
        b"data: cut off by the end of the answer"
    )

    assert _events(streams, [wire]) == [
        ("message", "first", "", None),
        ("add", " two spaces keep one\n\nline3", "", None),
        ("message", "cr only", "7", 1500),
        ("message", "keeps id 7", "7", 1500),
        ("message", "id cleared", "", 1500),
    ]


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=8))
def test_events_do_not_depend_on_how_the_answer_is_cut(
    streams: ModuleType, cuts: list[int]
) -> None:
    wire = "\ufeffdata: é\r\ndata: 😀\r\n\r\nevent: x\rdata: y\r\r:c\ndata: z\n\n".encode()
    points = sorted({min(cut, len(wire)) for cut in cuts})
    chunks = [wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)]

    assert _events(streams, chunks) == _events(streams, [wire])
    assert [data for _, data, _, _ in _events(streams, chunks)] == ["é\n😀", "y", "z"]


def test_an_event_larger_than_the_limit_is_refused(streams: ModuleType) -> None:
    decoder = streams._sse.EventDecoder(max_chars=100)
    decoder.feed(b"data: " + b"a" * 60 + b"\n")

    with pytest.raises(ValueError, match="longer than 100 characters"):
        decoder.feed(b"data: " + b"b" * 60 + b"\n")
    with pytest.raises(ValueError, match="longer than 100"):
        streams._sse.EventDecoder(max_chars=100).feed(b": endless comment " + b"x" * 200)
    assert streams._sse.MAX_EVENT_CHARS == 16 * 1024 * 1024


def _client(package: ModuleType, answer: httpx.Response) -> object:
    return package.Client(
        base_url="https://api.test",
        transport=httpx.MockTransport(lambda request: answer),
        retry=package.RetryPolicy(max_retries=0),
    )


def _sse(text: str) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/event-stream"}, content=text)


def test_an_answer_offering_json_or_events_is_read_by_its_content_type(
    streams: ModuleType,
) -> None:
    body = streams.models.ChatBody(prompt="hi", stream=True)
    whole = _client(streams, httpx.Response(200, json={"text": "hello"})).chat(body)  # type: ignore[attr-defined]
    wire = 'data: {"delta": "hel"}\n\ndata: {"delta": "lo"}\n\ndata: [DONE]\n\ndata: {"x": 1}\n\n'

    with _client(streams, _sse(wire)).chat(body) as stream:  # type: ignore[attr-defined]
        events = list(stream)

    assert type(whole).__name__ == "Completion" and whole.text == "hello"
    assert isinstance(stream, streams.EventStream)
    assert [type(e.data).__name__ for e in events] == ["Chunk", "Chunk"]
    assert "".join(e.data.delta for e in events) == "hello"
    signature = inspect.signature(streams.Client.chat)
    assert signature.return_annotation == "EventStream[models.Chunk] | models.Completion"
    assert inspect.signature(streams.AsyncClient.chat).return_annotation.startswith(
        "AsyncEventStream[models.Chunk]"
    )


def test_a_parameter_named_like_an_option_is_renamed_and_both_are_sent(
    streams: ModuleType,
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"text": "t"})

    client = streams.Client(base_url="https://api.test", transport=httpx.MockTransport(answer))
    client.chat(streams.models.ChatBody(prompt="p"), timeout_=3, timeout=2.0)

    assert seen[0].url.params["timeout"] == "3"
    assert seen[0].extensions["timeout"]["read"] == 2.0
    assert "extra_body" in inspect.signature(streams.Client.chat).parameters
    assert "extra_body" not in inspect.signature(streams.Client.add_note).parameters
    with pytest.raises(TypeError, match="JSON object body"):
        streams._wire.CallOptions(extra_body={"a": 1}).arguments(
            streams.client._add_note_request(streams.models.AddNoteBody(text="x"))
        )


def test_text_events_and_openapi_3_2_item_schemas(streams: ModuleType) -> None:
    ticks = list(_client(streams, _sse("data: 1\n\nevent: t\ndata: {no json}\n\n")).ticks())  # type: ignore[attr-defined]
    updates = list(_client(streams, _sse('data: {"delta": "d"}\n\n')).updates())  # type: ignore[attr-defined]

    assert [(e.event, e.data) for e in ticks] == [("message", "1"), ("t", "{no json}")]
    assert updates[0].data.delta == "d"


def test_an_event_that_does_not_match_its_schema_is_an_invalid_response(
    streams: ModuleType,
) -> None:
    stream = _client(streams, _sse('data: {"delta": 1}\n\n')).updates()  # type: ignore[attr-defined]

    with pytest.raises(streams.InvalidResponseError, match="event 'message'"):
        list(stream)


@pytest.mark.parametrize(
    "wire",
    [
        'event: error\ndata: {"type": "error", "error": {"message": "Overloaded"}}\n\n',
        'data: {"error": {"message": "Overloaded", "code": 529}}\n\n',
    ],
)
def test_an_error_reported_mid_stream_raises_a_stream_error(streams: ModuleType, wire: str) -> None:
    stream = _client(streams, _sse('data: {"delta": "a"}\n\n' + wire)).updates()  # type: ignore[attr-defined]
    seen = []

    with pytest.raises(streams.EventStreamError, match="Overloaded") as caught:
        for event in stream:
            seen.append(event.data.delta)

    assert seen == ["a"]
    assert isinstance(caught.value, streams.APIError)
    assert caught.value.body["error"]["message"] == "Overloaded"


class _CutOff(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'data: {"delta": "a"}\n\n'
        raise httpx.ReadError("connection reset mid-stream")


def test_a_stream_cut_off_midway_is_a_connection_error(streams: ModuleType) -> None:
    answer = httpx.Response(200, headers={"Content-Type": "text/event-stream"}, stream=_CutOff())
    seen = []

    with pytest.raises(streams.APIConnectionError, match="mid-stream"):
        for event in _client(streams, answer).updates():  # type: ignore[attr-defined]
            seen.append(event.data.delta)

    assert seen == ["a"]


def test_the_async_client_streams_events(streams: ModuleType) -> None:
    wire = 'event: a\ndata: {"delta": "x"}\n\nevent: b\ndata: {"delta": "y"}\n\n'

    async def read() -> list[tuple[str, str]]:
        async with (
            streams.AsyncClient(
                base_url="https://api.test",
                transport=httpx.MockTransport(lambda request: _sse(wire)),
            ) as client,
            await client.updates() as stream,
        ):
            assert isinstance(stream, streams.AsyncEventStream)
            return [(event.event, event.data.delta) async for event in stream]

    assert asyncio.run(read()) == [("a", "x"), ("b", "y")]


class _SlowStream(http.server.BaseHTTPRequestHandler):
    """Sends one event, then waits until the test says the client has read it, then the next;
    after the last scripted event it keeps sending until the client goes away."""

    protocol_version = "HTTP/1.1"
    read_by_client: list[threading.Event]
    client_left: threading.Event

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for number, was_read in enumerate(self.read_by_client):
                self._chunk(f'id: {number}\ndata: {{"delta": "{number}"}}\n\n'.encode())
                if not was_read.wait(PATIENCE):
                    return  # the client never got the event while the stream went on
            for _ in range(int(PATIENCE * 100)):
                self._chunk(b": still streaming\n\n")
                self.client_left.wait(0.01)
        except (BrokenPipeError, ConnectionResetError):
            self.client_left.set()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[tuple[str, type[_SlowStream]]]:
    handler = type(
        "Handler",
        (_SlowStream,),
        {"read_by_client": [threading.Event() for _ in range(3)], "client_left": threading.Event()},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(PATIENCE)


def test_events_arrive_one_by_one_while_the_server_still_streams(
    streams: ModuleType, slow_server: tuple[str, type[_SlowStream]]
) -> None:
    url, handler = slow_server
    seen: list[str] = []

    with streams.Client(base_url=url) as client:
        for event in client.updates():
            seen.append(event.data.delta)
            # The server sends the next event only after this: a client that waited for the
            # whole answer would see nothing until the server gave up.
            handler.read_by_client[len(seen) - 1].set()
            if len(seen) == len(handler.read_by_client):
                break

    assert seen == ["0", "1", "2"]
    assert handler.client_left.wait(PATIENCE), "stopping early must close the connection"


def test_the_async_client_reads_a_slow_stream_and_closes_it(
    streams: ModuleType, slow_server: tuple[str, type[_SlowStream]]
) -> None:
    url, handler = slow_server

    async def read() -> list[str]:
        seen: list[str] = []
        async with (
            streams.AsyncClient(base_url=url) as client,
            await client.updates() as stream,
        ):
            async for event in stream:
                seen.append(event.id)
                handler.read_by_client[len(seen) - 1].set()
                if len(seen) == len(handler.read_by_client):
                    break
        return seen

    assert asyncio.run(read()) == ["0", "1", "2"]
    assert handler.client_left.wait(PATIENCE)
