"""The generated package's own client (modelarts_training.Client) against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from modelarts_contract.emulator import RunningEmulator
from modelarts_training.auth import AkSkAuth, TokenAuth
from modelarts_training.client import Client
from modelarts_training.errors import NotAllowedToTerminate, TokenUnparsable


def test_aksk_signed_terminate_then_get(emulator: RunningEmulator, make_job: Any) -> None:
    job_id = make_job(emulator.state_url, "Creating")
    auth = AkSkAuth("AK1", "SK1", "proj-1")
    with Client("proj-1", auth=auth, base_url=emulator.base_url) as client:
        terminated = client.terminate_training_job(job_id)
        read = client.get_training_job(job_id)
    assert terminated.metadata.id == job_id
    assert read.status.model_dump(mode="json")["phase"] == "Terminating"


def test_token_terminate_of_a_finished_job_raises_the_409(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Completed")
    with (
        Client("proj-1", auth=TokenAuth("tok-1"), base_url=emulator.base_url) as client,
        pytest.raises(NotAllowedToTerminate) as refused,
    ):
        client.terminate_training_job(job_id)
    assert (refused.value.status_code, refused.value.error_code) == (409, "ModelArts.2796")
    assert refused.value.request_id


def test_a_wrong_secret_key_raises_token_unparsable(
    emulator: RunningEmulator, make_job: Any
) -> None:
    job_id = make_job(emulator.state_url, "Running")
    auth = AkSkAuth("AK1", "not-SK1", "proj-1")
    with (
        Client("proj-1", auth=auth, base_url=emulator.base_url) as client,
        pytest.raises(TokenUnparsable),
    ):
        client.terminate_training_job(job_id)
