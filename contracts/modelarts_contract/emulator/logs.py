"""Logs that stay small under abuse: one line per kind of event per interval.

Ten thousand broken connections are one event told ten thousand times. The first of each kind
is logged as it comes (with its traceback, once); repeats within the interval are counted, and
the next line of that kind says how many were left out. Later tracebacks of a kind are cut to
their last line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

#: Seconds during which further events of a kind are counted, not written.
INTERVAL_SECONDS = 10.0
#: The loggers the emulator's server writes to: uvicorn's, asyncio's, and the emulator's own.
LIMITED_LOGGERS = (
    "uvicorn",
    "uvicorn.error",
    "asyncio",
    "modelarts_contract.emulator",
    "modelarts_contract.emulator.group_commit",
)
#: Kinds remembered at most; a flood of distinct messages cannot grow memory past this.
MAX_KINDS = 1024
_KIND_CHARS = 200


class RateLimit(logging.Filter):
    """Lets through one record per kind (logger, first line of the message) per ``interval`` s."""

    def __init__(
        self, interval: float = INTERVAL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        # kind -> (when it was last written, how many were left out since, traceback shown)
        self._kinds: dict[tuple[str, str], tuple[float, int, bool]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` is written; adjusts its message when repeats were left out."""
        # The first line names the event; asyncio puts the varying details (a handle's
        # timestamp, a socket) on the lines after it.
        kind = (record.name, str(record.msg).split("\n", 1)[0][:_KIND_CHARS])
        now = self._clock()
        with self._lock:
            last, skipped, traced = self._kinds.get(kind, (float("-inf"), 0, False))
            if now - last < self._interval:
                self._kinds[kind] = (last, skipped + 1, traced)
                return False
            if kind not in self._kinds and len(self._kinds) >= MAX_KINDS:
                self._kinds.clear()
            self._kinds[kind] = (now, 0, traced or record.exc_info is not None)
        if traced and record.exc_info:
            error = record.exc_info[1]
            _append(record, f": {type(error).__name__}: {error}")
            record.exc_info = None
            record.exc_text = None
        if skipped:
            _append(record, f" [{skipped} more like this in the last {self._interval:g} s]")
        return True


def _append(record: logging.LogRecord, text: str) -> None:
    # The message is a %-template when the record has arguments: keep its own % signs literal.
    record.msg = f"{record.msg}{text.replace('%', '%%') if record.args else text}"


_installed = RateLimit()


def limit_logs() -> None:
    """Put the rate limit on the emulator's loggers (idempotent)."""
    for name in LIMITED_LOGGERS:
        logger = logging.getLogger(name)
        if _installed not in logger.filters:
            logger.addFilter(_installed)
