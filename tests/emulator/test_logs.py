"""Logs stay small under abuse: one line per kind of event per interval, one traceback per kind."""

from __future__ import annotations

import logging
import os
import resource
import socket
import subprocess
import sys
import time
from typing import Any

import pytest
from modelarts_contract.emulator.logs import RateLimit


def record(message: str = "socket.accept() out of system resource", traced: bool = True) -> Any:
    try:
        raise OSError(24, "Too many open files")
    except OSError:
        exc_info = sys.exc_info() if traced else None
    return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, message, None, exc_info)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_line_per_kind_per_interval_with_the_count_left_out() -> None:
    clock = Clock()
    limit = RateLimit(interval=10, clock=clock)
    first = record()
    assert limit.filter(first) and first.exc_info is not None  # the first keeps its traceback
    assert not any(limit.filter(record()) for _ in range(9999))
    assert limit.filter(record("another kind", traced=False))
    clock.now = 10.5
    later = record()
    assert limit.filter(later)
    assert later.exc_info is None  # a kind's traceback is shown once
    message = later.getMessage()
    assert "9999 more like this in the last 10 s" in message
    assert "OSError: [Errno 24] Too many open files" in message


def test_a_message_with_arguments_keeps_formatting() -> None:
    clock = Clock()
    limit = RateLimit(interval=1, clock=clock)
    first = logging.LogRecord("x", logging.WARNING, __file__, 1, "%d%% of %s", (50, "fds"), None)
    assert limit.filter(first)
    assert not limit.filter(logging.LogRecord("x", 30, __file__, 1, "%d%% of %s", (9, "a"), None))
    clock.now = 2
    again = logging.LogRecord("x", logging.WARNING, __file__, 1, "%d%% of %s", (60, "fds"), None)
    assert limit.filter(again)
    assert again.getMessage() == "60% of fds [1 more like this in the last 1 s]"


@pytest.mark.slow
def test_running_out_of_file_descriptors_writes_a_few_lines_not_a_flood() -> None:
    def few_descriptors() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))

    process = subprocess.Popen(
        [sys.executable, "-m", "modelarts_contract.emulator", "--port", "0", "--db", ":memory:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=few_descriptors,  # noqa: PLW1509 - only sets a limit, no locks involved
    )
    assert process.stdout is not None
    address = process.stdout.readline().rsplit("//", 1)[1].strip()
    host, port = address.rsplit(":", 1)
    connections = []
    try:
        for _ in range(400):  # four times what the emulator may hold open
            conn = socket.create_connection((host, int(port)), timeout=5)
            conn.sendall(b"GET /v2/p/training-jobs/x HTTP/1.1\r\nHost: x\r\n\r\n")
            connections.append(conn)
        time.sleep(3)
    finally:
        for conn in connections:
            conn.close()
        process.terminate()
        output, _ = process.communicate(timeout=20)
    # One traceback per kind of event (running out of descriptors; accepting on the socket
    # closed at shutdown), never one per connection.
    assert output.count("Traceback") <= 3, output[:2000]
    assert len(output.splitlines()) < 80, output[:2000]
