"""The emulator's state: training jobs in SQLite, one row per (project, job).

Every phase change is one conditional ``UPDATE`` committed before the caller is answered, so
concurrent terminates of one job make exactly one transition and a crash loses no transition
that was acknowledged (WAL with ``synchronous=FULL`` makes each commit durable).

One thread owns the connection and commits in groups: the operations waiting when a
transaction starts all run in it, each sees the effects of those before it, and one fsync
makes them all durable before any of their callers is answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from .jobs import TERMINABLE_PHASES

T = TypeVar("T")

#: How many waiting operations share one transaction at most.
MAX_GROUP = 256
_log = logging.getLogger("modelarts_contract.emulator.store")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS training_jobs (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    phase TEXT NOT NULL,
    terminating_since REAL,
    document TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
)
"""

_TERMINABLE = ", ".join(f"'{phase}'" for phase in TERMINABLE_PHASES)

_TERMINATE = f"""
UPDATE training_jobs
SET phase = 'Terminating',
    terminating_since = ?,
    document = json_set(document, '$.status.phase', 'Terminating',
                        '$.status.secondary_phase', 'Terminating')
WHERE project_id = ? AND id = ? AND phase IN ({_TERMINABLE})
RETURNING document
"""

# The job finishes terminating by itself; the emulator notices when the job is next read.
_FINISH_TERMINATING = """
UPDATE training_jobs
SET phase = 'Terminated',
    document = json_set(document, '$.status.phase', 'Terminated',
                        '$.status.secondary_phase', 'Terminated')
WHERE project_id = ? AND id = ? AND phase = 'Terminating' AND terminating_since <= ?
"""


class TrainingJobNotFound(LookupError):
    """No job with this id in this project."""

    def __init__(self, project_id: str, job_id: str) -> None:
        super().__init__(f"no training job {job_id!r} in project {project_id!r}")
        self.project_id = project_id
        self.job_id = job_id


class NotAllowedToTerminate(Exception):
    """The job exists but its phase is not one terminate accepts."""

    def __init__(self, job_id: str, phase: str) -> None:
        super().__init__(f"training job {job_id!r} cannot be terminated in phase {phase}")
        self.job_id = job_id
        self.phase = phase


@dataclass(frozen=True)
class StoredJob:
    """A job as read from the store: its phase and its document as JSON text."""

    phase: str
    document: str


class JobStore:
    """Training jobs kept in one SQLite database (a file, or ``:memory:``).

    The public operations are coroutines; they resolve once their transaction has committed.
    """

    def __init__(self, db_path: str, terminate_seconds: float) -> None:
        self._terminate_seconds = terminate_seconds
        # isolation_level=None: transactions are opened explicitly, so nothing is left pending.
        # The connection is opened here, so a bad path fails the caller, then used only by
        # the writer thread.
        self._db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(_SCHEMA)
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._writer = threading.Thread(target=self._commit_loop, name="job-store", daemon=True)
        self._writer.start()

    def close(self) -> None:
        """Finish the queued operations and close the database."""
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
            self._db.close()

    async def add(self, project_id: str, document: dict[str, Any]) -> None:
        """Store a new job; its id and phase are read from the document."""
        await self._submit(lambda: self._add(project_id, document))

    async def delete(self, project_id: str, job_id: str) -> bool:
        """Remove a job; whether there was one."""
        return await self._submit(lambda: self._delete(project_id, job_id))

    async def get(self, project_id: str, job_id: str) -> StoredJob:
        """The job, moved on to ``Terminated`` if it has been terminating long enough.

        Raises :class:`TrainingJobNotFound`.
        """
        return await self._submit(lambda: self._get(project_id, job_id))

    async def terminate(self, project_id: str, job_id: str) -> StoredJob:
        """Move a Creating/Pending/Running job to ``Terminating``, durably, and return it.

        Raises :class:`TrainingJobNotFound` or :class:`NotAllowedToTerminate`; the job is never
        moved backwards.
        """
        return await self._submit(lambda: self._terminate(project_id, job_id))

    def _submit(self, operation: Callable[[], T]) -> asyncio.Future[T]:
        if not self._writer.is_alive():
            raise RuntimeError("the job store is closed")
        future: Future[T] = Future()
        self._queue.put((operation, future))
        return asyncio.wrap_future(future)

    def _commit_loop(self) -> None:
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
            self._commit_group(group)

    def _commit_group(self, group: list[tuple[Callable[[], Any], Future[Any]]]) -> None:
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for operation, future in group:
                # A caller that gave up before its turn is skipped; once running, a future
                # can no longer be cancelled, so setting its outcome below cannot fail.
                if future.set_running_or_notify_cancel():
                    outcomes.append((future, *self._run_one(operation)))
            self._db.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - every waiting caller must hear of it
            _log.exception("a transaction of %d operations failed", len(group))
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            for future, _, _ in outcomes:
                future.set_exception(error)
            return
        # Only now, after the commit, does any caller learn its outcome.
        for future, value, failure in outcomes:
            if failure is None:
                future.set_result(value)
            else:
                future.set_exception(failure)

    def _run_one(self, operation: Callable[[], Any]) -> tuple[Any, BaseException | None]:
        # A savepoint per operation: one that breaks is undone alone, the group's others stand.
        self._db.execute("SAVEPOINT operation")
        try:
            value = operation()
        except (TrainingJobNotFound, NotAllowedToTerminate) as refused:
            self._db.execute("RELEASE operation")
            return None, refused
        except Exception as error:  # noqa: BLE001 - handed to the operation's caller
            self._db.execute("ROLLBACK TO operation")
            self._db.execute("RELEASE operation")
            return None, error
        self._db.execute("RELEASE operation")
        return value, None

    def _add(self, project_id: str, document: dict[str, Any]) -> None:
        phase = document["status"]["phase"]
        self._db.execute(
            "INSERT INTO training_jobs (project_id, id, phase, terminating_since, document)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                project_id,
                document["metadata"]["id"],
                phase,
                time.time() if phase == "Terminating" else None,
                json.dumps(document),
            ),
        )

    def _delete(self, project_id: str, job_id: str) -> bool:
        cursor = self._db.execute(
            "DELETE FROM training_jobs WHERE project_id = ? AND id = ?", (project_id, job_id)
        )
        return cursor.rowcount > 0

    def _get(self, project_id: str, job_id: str) -> StoredJob:
        self._finish_terminating(project_id, job_id)
        return self._read(project_id, job_id)

    def _terminate(self, project_id: str, job_id: str) -> StoredJob:
        self._finish_terminating(project_id, job_id)
        row = self._db.execute(_TERMINATE, (time.time(), project_id, job_id)).fetchone()
        if row is None:
            raise NotAllowedToTerminate(job_id, self._read(project_id, job_id).phase)
        return StoredJob("Terminating", row[0])

    def _finish_terminating(self, project_id: str, job_id: str) -> None:
        deadline = time.time() - self._terminate_seconds
        self._db.execute(_FINISH_TERMINATING, (project_id, job_id, deadline))

    def _read(self, project_id: str, job_id: str) -> StoredJob:
        row = self._db.execute(
            "SELECT phase, document FROM training_jobs WHERE project_id = ? AND id = ?",
            (project_id, job_id),
        ).fetchone()
        if row is None:
            raise TrainingJobNotFound(project_id, job_id)
        return StoredJob(row[0], row[1])
