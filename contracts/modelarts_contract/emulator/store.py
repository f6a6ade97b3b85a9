"""The emulator's state: training jobs in SQLite, one row per (project, job).

Every phase change is one conditional ``UPDATE`` committed before the caller is answered, so
concurrent terminates of one job make exactly one transition and a crash loses no transition
that was acknowledged (WAL with ``synchronous=FULL`` makes each commit durable).

The operations run on one thread, committed in groups (:mod:`.group_commit`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from .group_commit import GroupCommitter
from .jobs import TERMINABLE_PHASES

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the one-emulator check is skipped there.
    fcntl = None  # type: ignore[assignment]

#: How long an operation waits for another process's write lock before it is answered 503.
BUSY_TIMEOUT_SECONDS = 3.0
#: How long closing waits for the writer thread (itself bounded by the busy timeout).
CLOSE_TIMEOUT_SECONDS = 2 * BUSY_TIMEOUT_SECONDS + 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS training_jobs (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    phase TEXT NOT NULL,
    terminating_since REAL,
    document TEXT NOT NULL,
    set_up_by TEXT,
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


class StoreInUse(Exception):
    """Another emulator already serves this database file."""


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

    def __init__(
        self,
        db_path: str,
        terminate_seconds: float,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self._terminate_seconds = terminate_seconds
        self._lock_fd = _claim(db_path)
        try:
            # isolation_level=None: transactions are opened explicitly, so nothing is left
            # pending. The connection is opened here, so a bad path fails the caller, then used
            # only by the writer thread.
            self._db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
            # Another process (a sqlite3 shell, a script) may hold the write lock for a moment;
            # past this, the operation is answered 503 with nothing applied. Set first, so that
            # opening waits as long too.
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(training_jobs)")}
            if "set_up_by" not in columns:  # a file written before provider states had owners
                self._db.execute("ALTER TABLE training_jobs ADD COLUMN set_up_by TEXT")
        except BaseException:
            _release(self._lock_fd)
            raise
        self._writer = GroupCommitter(
            self._db, (TrainingJobNotFound, NotAllowedToTerminate), name="job-store"
        )

    def close(self) -> None:
        """Finish the queued operations (within a bounded time) and close the database."""
        if self._writer.close(CLOSE_TIMEOUT_SECONDS):
            self._db.close()
            # Only now: closing any descriptor of the file drops SQLite's locks on it too.
            _release(self._lock_fd)
        # Else the writer is still inside SQLite: closing under it is unsafe, and the process
        # is ending anyway; every answered operation is already committed.

    async def add(
        self, project_id: str, document: dict[str, Any], set_up_by: str | None = None
    ) -> None:
        """Store a new job; its id and phase are read from the document.

        ``set_up_by`` names who asked for it (a provider-state caller), who may remove it.
        """
        await self._writer.submit(lambda: self._add(project_id, document, set_up_by))

    async def delete(self, project_id: str, job_id: str, set_up_by: str | None = None) -> bool:
        """Remove a job; whether there was one.

        With ``set_up_by``, only a job that caller set up is removed.
        """
        return await self._writer.submit(lambda: self._delete(project_id, job_id, set_up_by))

    async def get(self, project_id: str, job_id: str, set_up_by: str | None = None) -> StoredJob:
        """The job, moved on to ``Terminated`` if it has been terminating long enough.

        With ``set_up_by``, only a job that caller set up is found. Raises
        :class:`TrainingJobNotFound`.
        """
        return await self._writer.submit(lambda: self._get(project_id, job_id, set_up_by))

    async def terminate(self, project_id: str, job_id: str) -> StoredJob:
        """Move a Creating/Pending/Running job to ``Terminating``, durably, and return it.

        Raises :class:`TrainingJobNotFound` or :class:`NotAllowedToTerminate`; the job is never
        moved backwards.
        """
        return await self._writer.submit(lambda: self._terminate(project_id, job_id))

    def _add(self, project_id: str, document: dict[str, Any], set_up_by: str | None) -> None:
        phase = document["status"]["phase"]
        self._db.execute(
            "INSERT INTO training_jobs"
            " (project_id, id, phase, terminating_since, document, set_up_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                project_id,
                document["metadata"]["id"],
                phase,
                time.time() if phase == "Terminating" else None,
                json.dumps(document),
                set_up_by,
            ),
        )

    def _delete(self, project_id: str, job_id: str, set_up_by: str | None) -> bool:
        if set_up_by is None:
            cursor = self._db.execute(
                "DELETE FROM training_jobs WHERE project_id = ? AND id = ?", (project_id, job_id)
            )
        else:
            cursor = self._db.execute(
                "DELETE FROM training_jobs WHERE project_id = ? AND id = ? AND set_up_by = ?",
                (project_id, job_id, set_up_by),
            )
        return cursor.rowcount > 0

    def _get(self, project_id: str, job_id: str, set_up_by: str | None) -> StoredJob:
        self._finish_terminating(project_id, job_id)
        return self._read(project_id, job_id, set_up_by)

    def _terminate(self, project_id: str, job_id: str) -> StoredJob:
        self._finish_terminating(project_id, job_id)
        row = self._db.execute(_TERMINATE, (time.time(), project_id, job_id)).fetchone()
        if row is None:
            raise NotAllowedToTerminate(job_id, self._read(project_id, job_id).phase)
        return StoredJob("Terminating", row[0])

    def _finish_terminating(self, project_id: str, job_id: str) -> None:
        deadline = time.time() - self._terminate_seconds
        self._db.execute(_FINISH_TERMINATING, (project_id, job_id, deadline))

    def _read(self, project_id: str, job_id: str, set_up_by: str | None = None) -> StoredJob:
        query = "SELECT phase, document FROM training_jobs WHERE project_id = ? AND id = ?"
        if set_up_by is None:
            row = self._db.execute(query, (project_id, job_id)).fetchone()
        else:
            row = self._db.execute(
                query + " AND set_up_by = ?", (project_id, job_id, set_up_by)
            ).fetchone()
        if row is None:
            raise TrainingJobNotFound(project_id, job_id)
        return StoredJob(row[0], row[1])


def _claim(db_path: str) -> int | None:
    """Lock ``db_path`` for this emulator alone; the descriptor holding the lock.

    An advisory ``flock`` on the database file itself: the kernel drops it when the process
    dies (``kill -9`` included), and SQLite's own locks (``fcntl`` byte ranges) are separate
    from it on Linux and macOS. Two emulators on one file would each wait on the other's
    write lock and answer slowly, so the second one is refused at start instead.
    """
    if fcntl is None or db_path in ("", ":memory:"):
        return None
    try:
        fd = os.open(db_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise sqlite3.OperationalError(f"cannot open {db_path}: {error.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreInUse(
            f"another emulator is already serving {db_path}; give each emulator its own --db"
        ) from None
    except OSError:
        # A file system without flock (some network mounts): serve, unchecked.
        os.close(fd)
        return None
    return fd


def _release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)
