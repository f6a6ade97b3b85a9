"""The generated models read the service's answers, including what the document does not know."""

from __future__ import annotations

import copy
import json
from typing import Any

import pydantic
import pytest
from modelarts_training import TrainingJob
from modelarts_training.models import ErrorResponse, Phase, Policy


def test_the_seed_example_parses_and_round_trips(seed_job: dict[str, Any]) -> None:
    job = TrainingJob.model_validate_json(json.dumps(seed_job))

    assert job.status.phase is Phase.Terminating
    dumped = job.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == seed_job


def test_an_undocumented_enum_value_is_kept(seed_job: dict[str, Any]) -> None:
    # The seed's own example already has `policy: economic`, outside the documented `regular`.
    job = TrainingJob.model_validate(seed_job)
    assert job.spec is not None and job.spec.resource is not None
    assert job.spec.resource.policy == "economic"
    assert isinstance(job.spec.resource.policy, Policy)

    answer = copy.deepcopy(seed_job)
    answer["status"]["phase"] = "Hibernating"
    phase = TrainingJob.model_validate(answer).status.phase
    assert isinstance(phase, Phase)
    assert phase.value == "Hibernating"
    assert Phase("Running") is Phase.Running


def test_undocumented_fields_are_kept_and_dumped_back(seed_job: dict[str, Any]) -> None:
    answer = copy.deepcopy(seed_job)
    answer["future_field"] = {"nested": [1, 2]}
    answer["metadata"]["labels"] = {"team": "vision"}

    job = TrainingJob.model_validate(answer)

    assert job.model_extra == {"future_field": {"nested": [1, 2]}}
    assert job.model_dump(mode="json", by_alias=True, exclude_unset=True) == answer


def test_a_required_field_is_still_required() -> None:
    error = ErrorResponse.model_validate({"error_code": "ModelArts.2775", "error_msg": "gone"})
    assert error.error_code == "ModelArts.2775"
    with pytest.raises(pydantic.ValidationError, match="metadata"):
        TrainingJob.model_validate({"status": {"phase": "Running"}})
