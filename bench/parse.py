"""Parse the seed's 202 example: generated pydantic models against the official SDK.

Both sides start from the raw response body. The generated side is what ``Client`` runs:
``TrainingJob.model_validate_json``. The SDK side is what ``ModelArtsClient.stop_training_job``
runs on an answer: ``Client.sync_response_handler`` (``json.loads`` with ``Decimal`` floats, then
reflection over ``openapi_types`` into ``StopTrainingJobResponse``).
"""

from __future__ import annotations

import json
import timeit
from importlib import resources
from typing import Any

#: Target from the issue: the generated models parse at least this many times faster.
TARGET_RATIO = 5.0


class _SdkResponse:
    """The parts of a ``requests.Response`` the SDK's response handler reads."""

    def __init__(self, body: bytes) -> None:
        self.status_code = 202
        self.headers = {"Content-Type": "application/json"}
        self.content = body
        self.text = body.decode("utf-8")


def seed_body() -> bytes:
    """The seed's 202 example as the service sends it."""
    text = (resources.files("modelarts_training") / "openapi.json").read_text(encoding="utf-8")
    example = json.loads(text)["components"]["examples"]["TerminatingJob"]["value"]
    return json.dumps(example).encode()


def _per_op_us(call: Any, number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e6


def run() -> None:
    """Print µs per parse for both and their ratio."""
    from huaweicloudsdkmodelarts.v1.modelarts_client import ModelArtsClient
    from modelarts_training import TrainingJob

    body = seed_body()
    sdk = ModelArtsClient()
    sdk_parsed = sdk.sync_response_handler(_SdkResponse(body), "StopTrainingJobResponse", [], None)
    ours = TrainingJob.model_validate_json(body)
    assert sdk_parsed.metadata.id == ours.metadata.id, "both sides must read the same job"

    ours_us = _per_op_us(lambda: TrainingJob.model_validate_json(body), 2000)
    sdk_us = _per_op_us(
        lambda: sdk.sync_response_handler(_SdkResponse(body), "StopTrainingJobResponse", [], None),
        500,
    )
    ratio = sdk_us / ours_us
    print(f"seed 202 example, {len(body)} bytes")
    print(f"  generated TrainingJob.model_validate_json : {ours_us:8.1f} µs/op")
    print(f"  official SDK sync_response_handler        : {sdk_us:8.1f} µs/op")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"  ratio {ratio:.1f}x ({verdict} the {TARGET_RATIO:.0f}x target)")


if __name__ == "__main__":
    run()
