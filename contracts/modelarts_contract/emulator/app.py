"""The emulator as a plain ASGI app: routing, authentication, and one way to answer an error.

Every answer, success or failure, carries an ``X-Request-Id``; every failure has the spec's
``ErrorResponse`` body. No exception escapes to the server, so no framework error page is ever
sent: the unexpected becomes 500 ModelArts.2950 with the same body.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from modelarts_training.models import ErrorResponse, TrainingJob

from . import operations, problems, states
from .access import Gatekeeper
from .config import EmulatorConfig
from .faults import FaultInjector
from .group_commit import StorageBusy
from .incoming import Request, RequestAbandoned, read_request
from .operations import Answer
from .store import JobStore

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_log = logging.getLogger("modelarts_contract.emulator")
# Not uuid4: request ids need no secrecy, and os.urandom releases the GIL to the store's thread.
# An own generator, not the random module's: hypothesis reseeds that one for every example,
# which would repeat ids across the requests of an in-process fuzz run.
_REQUEST_IDS = random.Random()
#: The scope extension the emulator's own server adds: ``{"reset": f}``, f drops the connection.
RESET_EXTENSION = "modelarts_contract.emulator.reset"
#: ``Retry-After`` when the storage stayed busy: the lock holder is usually done by then.
BUSY_RETRY_AFTER = 1


class EmulatorApp:
    """The ASGI callable; holds the store and the credentials it was configured with."""

    def __init__(self, config: EmulatorConfig) -> None:
        # The generated models are built on first use: the two the emulator answers with are
        # built here, so that no request pays for it, and none that finds the process out of
        # file descriptors fails while building one.
        for model in (ErrorResponse, TrainingJob):
            model.model_rebuild()
        self.config = config
        self.store = JobStore(config.db_path, config.terminate_seconds)
        self._gatekeeper = Gatekeeper(config)
        self._faults = (
            FaultInjector(config.faults, config.fault_seed, config.fault_retry_after)
            if config.faults
            else None
        )

    def close(self) -> None:
        """Close the store; call once the server has stopped."""
        self.store.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request or the lifespan protocol."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = f"{_REQUEST_IDS.getrandbits(128):032x}"
        try:
            request = await read_request(scope, receive)
            if self._is_state_request(request):
                answer = await self._states(request)
            else:
                if self._faults is not None and await _injected(self._faults, scope, receive):
                    return
                answer = await self._dispatch(request)
        except RequestAbandoned:
            return  # nobody is listening, and nothing was done
        except problems.ApiError as error:
            await _send_error(send, error, request_id)
        except StorageBusy:
            _log.warning("the database stayed locked by another process: answered 503")
            await _send_error(send, problems.service_unavailable(BUSY_RETRY_AFTER), request_id)
        except Exception:  # noqa: BLE001 - the catch-all that keeps framework pages away
            _log.exception("unexpected error in request %s", request_id)
            await _send_error(send, problems.internal_error(), request_id)
        else:
            await _send(send, answer.status, answer.body, request_id, {})

    def _is_state_request(self, request: Request) -> bool:
        return self.config.states_enabled and request.raw_path == states.STATES_PATH

    async def _states(self, request: Request) -> Answer:
        _allow(request, "POST")
        return await states.handle(self.store, self._gatekeeper, request)

    async def _dispatch(self, request: Request) -> Answer:
        segments = request.segments
        if (
            len(segments) in (5, 6)
            and segments[:2] == ("", "v2")
            and segments[3] == "training-jobs"
        ):
            project_id, job_id = segments[2], segments[4]
            if project_id and job_id:
                if len(segments) == 5:
                    _allow(request, "GET")
                    self._gatekeeper.admit(request, project_id)
                    return await operations.get(self.store, project_id, job_id)
                if segments[5] == "actions":
                    _allow(request, "POST")
                    self._gatekeeper.admit(request, project_id)
                    return await operations.terminate(self.store, request, project_id, job_id)
        raise problems.path_not_found(request.raw_path)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # The store stays open: an in-process test may run the lifespan more than once.
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(config: EmulatorConfig) -> EmulatorApp:
    """A new emulator app with its own store, opened now."""
    return EmulatorApp(config)


async def _injected(faults: FaultInjector, scope: Scope, receive: Receive) -> bool:
    """Apply the next drawn fault; whether it replaced the request (which then did nothing)."""
    draw = faults.draw()
    if draw.delay:
        await asyncio.sleep(draw.delay)
    if draw.kind is None:
        return False
    error = faults.error_for(draw.kind)
    if error is not None:
        raise error
    reset = scope.get("extensions", {}).get(RESET_EXTENSION, {}).get("reset")
    if reset is None:
        # Served by another ASGI server, which offers no way to drop a connection.
        raise problems.service_unavailable(faults.retry_after)
    reset()
    # Wait until the server has seen the connection go, so it sends no page of its own.
    while (await receive())["type"] != "http.disconnect":
        pass
    return True


def _allow(request: Request, method: str) -> None:
    if request.method != method:
        raise problems.method_not_allowed(request.method, (method,))


async def _send_error(send: Send, error: problems.ApiError, request_id: str) -> None:
    body = ErrorResponse(
        error_code=error.error_code, error_msg=error.error_msg, request_id=request_id
    ).model_dump_json(by_alias=True, exclude_none=True)
    await _send(send, error.status, body.encode("utf-8"), request_id, error.headers)


async def _send(
    send: Send, status: int, body: bytes, request_id: str, headers: dict[str, str]
) -> None:
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"x-request-id", request_id.encode("ascii")),
    ]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
