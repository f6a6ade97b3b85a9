"""Races and crashes against a real server process: one transition per job, none lost."""

from __future__ import annotations

import asyncio
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
