"""The spec's two operations: terminate a training job, and read it."""

from __future__ import annotations

from dataclasses import dataclass

from . import jobs, problems
from .incoming import Request
from .store import JobStore, NotAllowedToTerminate, TrainingJobNotFound

#: The only ``action_type`` the spec defines.
TERMINATE = "terminate"


@dataclass(frozen=True)
class Answer:
    """A successful answer: status and JSON body."""

    status: int
    body: bytes


async def terminate(store: JobStore, request: Request, project_id: str, job_id: str) -> Answer:
    """``POST …/actions``: 202 with the job now ``Terminating``, or the documented error."""
    payload = request.json_object()
    # Compared by hand, not through TerminateTrainingJobRequest: the generated models keep
    # unknown enum values (so old clients survive new servers), which a server must not do.
    if payload.get("action_type") != TERMINATE:
        raise problems.unsupported_action_type(repr(payload.get("action_type")))
    try:
        stored = await store.terminate(project_id, job_id)
    except TrainingJobNotFound:
        raise problems.training_job_not_found(job_id) from None
    except NotAllowedToTerminate as refused:
        raise problems.not_allowed_to_terminate(refused.phase) from None
    return Answer(202, jobs.render(stored.document))


async def get(store: JobStore, project_id: str, job_id: str) -> Answer:
    """``GET …/{training_job_id}``: 200 with the job."""
    try:
        stored = await store.get(project_id, job_id)
    except TrainingJobNotFound:
        raise problems.training_job_not_found(job_id) from None
    return Answer(200, jobs.render(stored.document))
