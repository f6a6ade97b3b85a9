"""Provider states: the contract suite asks the emulator to put a job in a given phase.

``POST /_contract/states``, with credentials exactly as the API takes them (``X-Auth-Token``, or
an AK/SK signature of this request):

- ``{"action": "setup", "state": "training job", "params": {"project_id": P, "phase": PHASE,
  "secondary_phase": S?}}`` creates a job in project P and answers 201 ``{"training_job_id": ID,
  "job": {...}}``, remembering who asked.
- ``{"action": "teardown", "state": "training job", "params": {"project_id": P,
  "training_job_id": ID}}`` deletes the job and answers 200 ``{"training_job_id": ID,
  "deleted": true|false}``; only credentials valid for P, or the very credentials that set the
  job up, may delete it.
- ``{"action": "read", "state": "training job", "params": {"project_id": P,
  "training_job_id": ID}}`` answers 200 ``{"job": {...}}``, the job as ``GET`` shows it, to the
  same callers a teardown accepts; a job they may not read, or that is not there, is 403 (the
  answer tells no one which ids another project has). The contract reads a job of a project
  its credentials do not cover this way, to see that nothing they sent changed it.

No or bad credentials are 401 and change nothing; other credentials are 403 on a teardown or a
read, and the job stays. A setup may create a job in a project the credentials do not cover: the
contract's cross-project clause needs a job there that its own credentials must not be able to
terminate, and has no other project's credentials to ask with. Such a job harms nothing the
project had, and only its creator or the project can remove it.
"""

from __future__ import annotations

import json
from typing import Any

from . import jobs, problems
from .access import Caller, Gatekeeper
from .incoming import Request
from .operations import Answer
from .store import JobStore, TrainingJobNotFound

#: The path of the provider-state endpoint.
STATES_PATH = "/_contract/states"
#: The only provider state the emulator knows.
TRAINING_JOB_STATE = "training job"


async def handle(store: JobStore, gatekeeper: Gatekeeper, request: Request) -> Answer:
    """Set up or tear down one provider state, for a caller whose credentials verify."""
    caller = gatekeeper.authenticate(request)
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
        return await _setup(store, caller, params)
    if action == "teardown":
        return await _teardown(store, caller, params)
    if action == "read":
        return await _read(store, caller, params)
    raise problems.invalid_state_request(
        f"unknown action {action!r}; use 'setup', 'read' or 'teardown'"
    )


async def _setup(store: JobStore, caller: Caller, params: dict[str, Any]) -> Answer:
    project_id = _text(params, "project_id")
    phase = _text(params, "phase")
    secondary = params.get("secondary_phase")
    if secondary is not None and not isinstance(secondary, str):
        raise problems.invalid_state_request("'secondary_phase' must be a string")
    try:
        document = jobs.new_training_job(phase, secondary)
    except ValueError as error:
        raise problems.invalid_state_request(str(error)) from None
    await store.add(project_id, document, set_up_by=caller.identity)
    job_id = document["metadata"]["id"]
    body = {"training_job_id": job_id, "job": document}
    return Answer(201, json.dumps(body).encode("utf-8"))


async def _teardown(store: JobStore, caller: Caller, params: dict[str, Any]) -> Answer:
    project_id = _text(params, "project_id")
    job_id = _text(params, "training_job_id")
    if caller.may_act_on(project_id):
        deleted = await store.delete(project_id, job_id)
    elif await store.delete(project_id, job_id, set_up_by=caller.identity):
        deleted = True
    else:
        # Whether the job exists or not: the answer must not tell another project's ids.
        raise problems.project_mismatch(project_id)
    return Answer(200, json.dumps({"training_job_id": job_id, "deleted": deleted}).encode("utf-8"))


async def _read(store: JobStore, caller: Caller, params: dict[str, Any]) -> Answer:
    project_id = _text(params, "project_id")
    job_id = _text(params, "training_job_id")
    try:
        if caller.may_act_on(project_id):
            stored = await store.get(project_id, job_id)
        else:
            stored = await store.get(project_id, job_id, set_up_by=caller.identity)
    except TrainingJobNotFound:
        if caller.may_act_on(project_id):
            raise problems.training_job_not_found(job_id) from None
        # Whether the job exists or not: the answer must not tell another project's ids.
        raise problems.project_mismatch(project_id) from None
    job = json.loads(jobs.render(stored.document))
    return Answer(200, json.dumps({"job": job}).encode("utf-8"))


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise problems.invalid_state_request(f"'params.{name}' must be a non-empty string")
    return value
