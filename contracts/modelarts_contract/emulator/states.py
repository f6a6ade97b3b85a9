"""Provider states: the contract suite asks the emulator to put a job in a given phase.

``POST /_contract/states`` with ``{"action": "setup", "state": "training job", "params":
{"project_id": P, "phase": PHASE, "secondary_phase": S?}}`` creates a job and answers 201
``{"training_job_id": ID, "job": {...}}``; ``{"action": "teardown", "state": "training job",
"params": {"project_id": P, "training_job_id": ID}}`` deletes it and answers 200.
"""

from __future__ import annotations

import json
from typing import Any

from . import jobs, problems
from .incoming import Request
from .operations import Answer
from .store import JobStore

#: The path of the provider-state endpoint.
STATES_PATH = "/_contract/states"
#: The only provider state the emulator knows.
TRAINING_JOB_STATE = "training job"


async def handle(store: JobStore, request: Request) -> Answer:
    """Set up or tear down one provider state."""
    payload = request.json_object()
    action = payload.get("action")
    state = payload.get("state")
    params = payload.get("params")
    if state != TRAINING_JOB_STATE:
        raise problems.invalid_state_request(
            f"unknown state {state!r}; the emulator knows only {TRAINING_JOB_STATE!r}"
        )
    if not isinstance(params, dict):
        raise problems.invalid_state_request("'params' must be a JSON object")
    if action == "setup":
        return await _setup(store, params)
    if action == "teardown":
        return await _teardown(store, params)
    raise problems.invalid_state_request(f"unknown action {action!r}; use 'setup' or 'teardown'")


async def _setup(store: JobStore, params: dict[str, Any]) -> Answer:
    project_id = _text(params, "project_id")
    phase = _text(params, "phase")
    secondary = params.get("secondary_phase")
    if secondary is not None and not isinstance(secondary, str):
        raise problems.invalid_state_request("'secondary_phase' must be a string")
    try:
        document = jobs.new_training_job(phase, secondary)
    except ValueError as error:
        raise problems.invalid_state_request(str(error)) from None
    await store.add(project_id, document)
    job_id = document["metadata"]["id"]
    body = {"training_job_id": job_id, "job": document}
    return Answer(201, json.dumps(body).encode("utf-8"))


async def _teardown(store: JobStore, params: dict[str, Any]) -> Answer:
    project_id = _text(params, "project_id")
    job_id = _text(params, "training_job_id")
    deleted = await store.delete(project_id, job_id)
    return Answer(200, json.dumps({"training_job_id": job_id, "deleted": deleted}).encode("utf-8"))


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise problems.invalid_state_request(f"'params.{name}' must be a non-empty string")
    return value
