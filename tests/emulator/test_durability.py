"""Races and crashes against a real server process: one transition per job, none lost."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

TOKEN = {"X-Auth-Token": "tok-1"}
TERMINATE = {"action_type": "terminate"}

pytestmark = pytest.mark.slow


async def terminate_all(base_url: str, paths: list[str]) -> list[httpx.Response]:
    """Send every terminate at once, each on its own connection."""
    limits = httpx.Limits(max_connections=len(paths))
    async with httpx.AsyncClient(base_url=base_url, headers=TOKEN, limits=limits) as http:
        return list(await asyncio.gather(*(http.post(path, json=TERMINATE) for path in paths)))


def test_fifty_concurrent_terminates_make_exactly_one_transition(
    spawn: Any, make_job: Any, tmp_path: Path
) -> None:
    server = spawn("--db", str(tmp_path / "jobs.db"), "--token", "tok-1=proj-1")
    job_id = make_job(server.state_url, "Running")
    path = f"/v2/proj-1/training-jobs/{job_id}/actions"

    answers = asyncio.run(terminate_all(server.base_url, [path] * 50))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202] + [409] * 49, statuses
    refused = {answer.json()["error_code"] for answer in answers if answer.status_code == 409}
    assert refused == {"ModelArts.2796"}
    final = httpx.get(f"{server.base_url}/v2/proj-1/training-jobs/{job_id}", headers=TOKEN)
    assert final.json()["status"]["phase"] in ("Terminating", "Terminated")


def test_kill_9_under_load_loses_no_acknowledged_terminate(
    spawn: Any, make_job: Any, tmp_path: Path
) -> None:
    db = str(tmp_path / "jobs.db")
    args = ("--db", db, "--token", "tok-1=proj-1", "--terminate-seconds", "3600")
    server = spawn(*args)
    job_ids = [make_job(server.state_url, "Running") for _ in range(120)]
    acknowledged: list[str] = []

    async def load() -> None:
        limits = httpx.Limits(max_connections=16)
        async with httpx.AsyncClient(
            base_url=server.base_url, headers=TOKEN, limits=limits
        ) as http:

            async def one(job_id: str) -> None:
                try:
                    answer = await http.post(
                        f"/v2/proj-1/training-jobs/{job_id}/actions", json=TERMINATE
                    )
                except httpx.TransportError:
                    return  # the server died mid-request: not acknowledged, nothing promised
                if answer.status_code == 202:
                    acknowledged.append(job_id)

            async def killer() -> None:
                while len(acknowledged) < 40:
                    await asyncio.sleep(0.001)
                server.kill()

            await asyncio.gather(killer(), *(one(job_id) for job_id in job_ids))

    asyncio.run(load())
    assert server.process.returncode == -9
    assert 40 <= len(acknowledged) < len(job_ids), "the kill must land mid-load"

    restarted = spawn(*args)
    with httpx.Client(base_url=restarted.base_url, headers=TOKEN) as http:
        phases = {
            job_id: http.get(f"/v2/proj-1/training-jobs/{job_id}").json()["status"]["phase"]
            for job_id in job_ids
        }
    lost = [job_id for job_id in acknowledged if phases[job_id] != "Terminating"]
    assert not lost, f"{len(lost)} acknowledged terminates were lost"
    assert set(phases.values()) <= {"Running", "Terminating"}


#: A second process that takes SQLite's write lock on a file and holds it for a while.
HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def hold_write_lock(db: str, seconds: float) -> subprocess.Popen[str]:
    """Start the lock holder; returns once it holds the lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, db, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_locked_database_is_answered_in_bounded_time_and_nothing_half_applied(
    spawn: Any, make_job: Any, tmp_path: Path
) -> None:
    db = str(tmp_path / "jobs.db")
    server = spawn("--db", db, "--token", "tok-1=proj-1", "--terminate-seconds", "3600")
    job_id = make_job(server.state_url, "Running")
    holder = hold_write_lock(db, 8)
    try:
        started = time.monotonic()
        answer = httpx.post(
            f"{server.base_url}/v2/proj-1/training-jobs/{job_id}/actions",
            json=TERMINATE,
            headers=TOKEN,
            timeout=30,
        )
        waited = time.monotonic() - started
    finally:
        holder.kill()  # the answer came while it held the lock; no need to wait out the 8 s
        holder.wait(timeout=30)
    assert waited < 15, f"answered after {waited:.1f} s"
    assert answer.status_code == 503, answer.text
    assert answer.json()["error_code"] == "ModelArts.2950"
    assert int(answer.headers["retry-after"]) >= 1
    read = httpx.get(f"{server.base_url}/v2/proj-1/training-jobs/{job_id}", headers=TOKEN)
    assert read.json()["status"]["phase"] == "Running"  # the refused terminate did nothing
    retried = httpx.post(
        f"{server.base_url}/v2/proj-1/training-jobs/{job_id}/actions", json=TERMINATE, headers=TOKEN
    )
    assert retried.status_code == 202


def test_sigterm_stops_the_emulator_while_a_request_waits_on_the_lock(
    spawn: Any, make_job: Any, tmp_path: Path
) -> None:
    db = str(tmp_path / "jobs.db")
    server = spawn("--db", db, "--token", "tok-1=proj-1")
    job_id = make_job(server.state_url, "Running")
    holder = hold_write_lock(db, 8)
    try:
        waiting = threading.Thread(
            target=lambda: _quietly_post(
                f"{server.base_url}/v2/proj-1/training-jobs/{job_id}/actions"
            ),
            daemon=True,
        )
        waiting.start()
        time.sleep(0.5)  # the terminate is now queued behind the lock
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=10)
        stopped = time.monotonic() - started
    finally:
        holder.kill()  # the answer came while it held the lock; no need to wait out the 8 s
        holder.wait(timeout=30)
    assert stopped < 10, f"stopped after {stopped:.1f} s"
    assert server.process.returncode == 0  # a clean stop: the store was closed


def _quietly_post(url: str) -> None:
    try:
        httpx.post(url, json=TERMINATE, headers=TOKEN, timeout=30)
    except httpx.TransportError:
        pass  # the server went away: nothing was acknowledged


def test_a_second_emulator_on_the_same_file_is_refused_at_start(spawn: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "jobs.db")
    spawn("--db", db, "--token", "tok-1=proj-1")
    second = subprocess.run(
        [sys.executable, "-m", "modelarts_contract.emulator", "--port", "0", "--db", db],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 2
    assert second.stderr.startswith("error: another emulator is already serving")
    assert "Traceback" not in second.stderr
