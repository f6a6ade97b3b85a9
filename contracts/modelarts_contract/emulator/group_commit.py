"""Group commit: one thread runs every database operation, many per transaction.

The operations waiting when a transaction starts all run in it, in order, each in its own
savepoint; one ``COMMIT`` (one fsync) then makes them all durable, and only after it does any
caller learn its outcome. Callers await the outcome from an event loop.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

#: How many waiting operations share one transaction at most.
MAX_GROUP = 256

_log = logging.getLogger("modelarts_contract.emulator.group_commit")

_Work = tuple[Callable[[], Any], Future[Any]]

# SQLite's primary result codes for "another connection holds the lock" (the extended codes
# keep them in the low byte).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


class StorageBusy(Exception):
    """The database stayed locked by another process for the whole busy timeout.

    Nothing of the group was applied; the caller may answer "try again".
    """


class GroupCommitter:
    """Runs operations on ``db`` in a thread of its own, committing them in groups.

    An operation raising one of ``refusals`` is an answer, not a failure: what it wrote stays.
    Any other exception undoes that operation alone and reaches its caller.
    """

    def __init__(
        self, db: sqlite3.Connection, refusals: tuple[type[Exception], ...], name: str
    ) -> None:
        self._db = db
        self._refusals = refusals
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, operation: Callable[[], T]) -> asyncio.Future[T]:
        """Queue ``operation``; the future resolves once its transaction has committed."""
        if not self._thread.is_alive():
            raise RuntimeError("the job store is closed")
        future: Future[T] = Future()
        self._queue.put((operation, future))
        return asyncio.wrap_future(future)

    def close(self, timeout: float | None = None) -> bool:
        """Run what is queued, then stop the thread; whether it stopped within ``timeout``."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < MAX_GROUP:
                try:
                    waiting = self._queue.get_nowait()
                except queue.Empty:
                    break
                if waiting is None:
                    self._queue.put(None)  # stop after this group
                    break
                group.append(waiting)
            self._commit(group)

    def _commit(self, group: list[_Work]) -> None:
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for operation, future in group:
                # A caller that gave up before its turn is skipped; once running, a future
                # can no longer be cancelled, so setting its outcome below cannot fail.
                if future.set_running_or_notify_cancel():
                    outcomes.append((future, *self._run(operation)))
            self._db.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - every waiting caller must hear of it
            told = _as_busy(error)
            if not isinstance(told, StorageBusy):
                _log.exception("a transaction of %d operations failed", len(group))
            self._roll_back()
            # Every caller of the group hears of it, whether its operation ran or not: one
            # that never started would otherwise wait for an answer that never comes.
            for _, future in group:
                if future.done():
                    continue
                if future.running() or future.set_running_or_notify_cancel():
                    future.set_exception(told)
            return
        # Only now, after the commit, does any caller learn its outcome.
        for future, value, failure in outcomes:
            if failure is None:
                future.set_result(value)
            else:
                future.set_exception(failure)

    def _roll_back(self) -> None:
        if not self._db.in_transaction:
            return
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error:
            # SQLite has already rolled back when a statement's failure ended the transaction.
            _log.warning("ROLLBACK after a failed transaction failed", exc_info=True)

    def _run(self, operation: Callable[[], Any]) -> tuple[Any, BaseException | None]:
        self._db.execute("SAVEPOINT operation")
        try:
            value = operation()
        except self._refusals as refused:
            self._db.execute("RELEASE operation")
            return None, refused
        except Exception as error:  # noqa: BLE001 - handed to the operation's caller
            self._db.execute("ROLLBACK TO operation")
            self._db.execute("RELEASE operation")
            return None, error
        self._db.execute("RELEASE operation")
        return value, None


def _as_busy(error: Exception) -> Exception:
    """``error``, or :class:`StorageBusy` when it is SQLite saying another process holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.OperationalError) and isinstance(code, int):
        return StorageBusy(str(error)) if code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED) else error
    return error
