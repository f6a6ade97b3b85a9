"""The job store on its own: one transition per job, failures kept to their own operation."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from modelarts_contract.emulator.jobs import new_training_job
from modelarts_contract.emulator.store import JobStore, NotAllowedToTerminate, TrainingJobNotFound


def test_concurrent_terminates_in_one_group_make_one_transition(tmp_path: Path) -> None:
    store = JobStore(str(tmp_path / "jobs.db"), terminate_seconds=60)
    job = new_training_job("Running")
    job_id = job["metadata"]["id"]

    async def race() -> list[object]:
        await store.add("p", job)
        calls = [store.terminate("p", job_id) for _ in range(50)]
        return await asyncio.gather(*calls, return_exceptions=True)

    try:
        outcomes = asyncio.run(race())
    finally:
        store.close()
    refused = [o for o in outcomes if isinstance(o, NotAllowedToTerminate)]
    assert len(refused) == 49 and all(r.phase == "Terminating" for r in refused)


def test_a_failing_operation_does_not_undo_its_neighbours(tmp_path: Path) -> None:
    store = JobStore(str(tmp_path / "jobs.db"), terminate_seconds=60)
    running = new_training_job("Running")
    duplicate = new_training_job("Pending")

    async def scenario() -> list[object]:
        await store.add("p", running)
        await store.add("p", duplicate)
        # Queued back to back (usually one group): the duplicate insert breaks, the
        # terminate beside it must stand.
        return await asyncio.gather(
            store.add("p", duplicate),
            store.terminate("p", running["metadata"]["id"]),
            return_exceptions=True,
        )

    try:
        broken, terminated = asyncio.run(scenario())
        assert isinstance(broken, sqlite3.IntegrityError)
        assert getattr(terminated, "phase", None) == "Terminating"
    finally:
        store.close()
    reopened = JobStore(str(tmp_path / "jobs.db"), terminate_seconds=60)
    try:
        stored = asyncio.run(reopened.get("p", running["metadata"]["id"]))
        assert stored.phase == "Terminating"
    finally:
        reopened.close()


def test_an_unknown_job_and_a_closed_store_are_told_apart() -> None:
    store = JobStore(":memory:", terminate_seconds=0)
    with pytest.raises(TrainingJobNotFound):
        asyncio.run(store.get("p", "nope"))
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        asyncio.run(store.get("p", "nope"))
