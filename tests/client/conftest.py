"""Fixtures for the generated client's behaviour tests: a scripted service behind MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import httpx
import pytest

PROJECT_ID = "0a1b2c3d4e5f"
JOB_ID = "cf63aba9-63b1-4219-b717-708a2665100b"
BASE_URL = "https://modelarts.test"


def _spec() -> dict[str, Any]:
    text = (resources.files("modelarts_training") / "openapi.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The OpenAPI document shipped inside the generated package."""
    return _spec()


@pytest.fixture(scope="session")
def seed_job(spec: dict[str, Any]) -> dict[str, Any]:
    """The seed's 202 example: a job that has just been terminated."""
    return dict(spec["components"]["examples"]["TerminatingJob"]["value"])


class ScriptedService:
    """Answers requests from a script of responses, recording every request it receives."""

    def __init__(self, answers: list[httpx.Response | Exception]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def scripted() -> Callable[..., ScriptedService]:
    """Build a :class:`ScriptedService`; the last answer repeats for any further request."""
    return lambda *answers: ScriptedService(list(answers))


@pytest.fixture
def sleeps() -> Iterator[list[float]]:
    """A list that a fake ``sleep`` appends to, so retries never really wait."""
    yield []
