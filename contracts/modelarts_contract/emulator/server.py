"""Running the emulator under uvicorn: in the foreground (the CLI) or in a thread (tests)."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .app import RESET_EXTENSION, EmulatorApp, create_app
from .config import EmulatorConfig
from .logs import limit_logs
from .states import STATES_PATH

#: The only address the emulator binds by default: it is a local test double.
LOOPBACK = "127.0.0.1"
#: Seconds a stop (SIGTERM, SIGINT) waits for requests in flight before dropping them.
SHUTDOWN_GRACE_SECONDS = 3


class _ResettableProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, offering the app a way to drop the connection unanswered.

    ASGI has no message for "close without an answer"; the ``reset`` fault needs one. The
    function goes into the request's scope, as ``extensions[RESET_EXTENSION]["reset"]``.
    """

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {RESET_EXTENSION: {"reset": self._reset}}

    def _reset(self) -> None:
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            # Linger 0: the close is a TCP reset, as a crashed or overloaded server's would be.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()


@dataclass(frozen=True)
class RunningEmulator:
    """A started emulator: where to reach it, and its app (for direct access to the store)."""

    app: EmulatorApp
    host: str
    port: int

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``, the root the spec's paths hang from."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def state_url(self) -> str:
        """The provider-state endpoint."""
        return self.base_url + STATES_PATH


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one, read back from the socket."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not the default 0: asyncio turns Nagle off (TCP_NODELAY) only
    # on sockets that say they are TCP, and with Nagle on every answer waits ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def uvicorn_server(app: EmulatorApp, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for ``app``; the caller hands it the socket to serve on."""
    config = uvicorn.Config(
        app,
        http=_ResettableProtocol,
        log_level=log_level,
        lifespan="on",
        access_log=False,
        # A stop never waits on a request for long: what is still in flight then is dropped,
        # unanswered, and was not acknowledged (every answer follows its commit).
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
    limit_logs()  # after uvicorn.Config, which configures its loggers afresh
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(
    config: EmulatorConfig, host: str = LOOPBACK, port: int = 0
) -> Iterator[RunningEmulator]:
    """Serve a new emulator with real uvicorn in a background thread; stop it on exit."""
    sock = bind(host, port)
    try:
        app = create_app(config)
    except BaseException:
        sock.close()
        raise
    server = uvicorn_server(app)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="modelarts-emulator", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the emulator's server stopped while starting")
            time.sleep(0.01)
        yield RunningEmulator(app, host, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.close()
