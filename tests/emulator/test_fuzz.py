"""Schemathesis fuzzes the emulator in-process: no server error, every answer as documented."""

from __future__ import annotations

import asyncio
import json
from importlib.resources import files
from typing import Any

import schemathesis
from modelarts_contract.emulator import EmulatorConfig, create_app
from modelarts_contract.emulator.jobs import new_training_job
from schemathesis.specs.openapi.checks import positive_data_acceptance

SPEC = json.loads((files("modelarts_training") / "openapi.json").read_text(encoding="utf-8"))
APP = create_app(EmulatorConfig(tokens={"tok-1": ("proj-1",)}, terminate_seconds=0))
RUNNING_JOB = new_training_job("Running")
asyncio.run(APP.store.add("proj-1", RUNNING_JOB))


def fuzzing(**parameters: str) -> Any:
    """The spec, served in-process by ``APP``, with a valid token and some fixed parameters."""
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.app = APP
    schema.config.update(
        base_url="http://127.0.0.1", headers={"X-Auth-Token": "tok-1"}, parameters=parameters
    )
    return schema


# Random project and job ids: authorisation, path decoding and unknown jobs.
any_job = fuzzing()
# The token's project and a real job, so bodies reach the phase rules and 200/202 answers
# are checked against the TrainingJob schema.
known_job = fuzzing(project_id="proj-1", training_job_id=RUNNING_JOB["metadata"]["id"])


def check(case: schemathesis.Case) -> None:
    # positive_data_acceptance counts a 400 as refusing valid data, but an unknown job is
    # 400 ModelArts.2775 by the spec; every other check runs, not_a_server_error first.
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.headers.get("x-request-id"), case.as_curl_command()


@any_job.parametrize()
def test_fuzzed_ids_get_documented_answers_and_never_a_server_error(
    case: schemathesis.Case,
) -> None:
    check(case)


@known_job.parametrize()
def test_fuzzed_bodies_on_a_real_job_get_documented_answers(case: schemathesis.Case) -> None:
    check(case)
