"""The training-job documents the emulator hands out, built and checked with the generated models."""

from __future__ import annotations

import json
import time
import uuid
from importlib.resources import files
from typing import Any

from modelarts_training.constants import TERMINABLE_PHASES
from modelarts_training.models import TrainingJob

__all__ = ["TERMINABLE_PHASES"]  # declared once, in the spec (x-constants)


def _status_enums() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    # Read from the spec the package ships rather than from generated enum classes, whose
    # names belong to the generator.
    spec = json.loads((files("modelarts_training") / "openapi.json").read_text(encoding="utf-8"))
    status = spec["components"]["schemas"]["Status"]["properties"]
    secondary = status["secondary_phase"]
    pairs = dict(secondary["x-secondary-phase-of"])
    return tuple(status["phase"]["enum"]), tuple(secondary["enum"]), pairs


#: The phases and secondary phases the spec lists, and the secondary phase a job gets when only
#: its phase is asked for (the spec's ``x-secondary-phase-of``).
PHASES, SECONDARY_PHASES, DEFAULT_SECONDARY_PHASE = _status_enums()


def new_training_job(phase: str, secondary_phase: str | None = None) -> dict[str, Any]:
    """A full job document in ``phase``, shaped like the spec's ``TerminatingJob`` example.

    Raises ``ValueError`` for a phase the spec does not list.
    """
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; known: {', '.join(PHASES)}")
    secondary = secondary_phase or DEFAULT_SECONDARY_PHASE[phase]
    if secondary not in SECONDARY_PHASES:
        raise ValueError(
            f"unknown secondary_phase {secondary!r}; known: {', '.join(SECONDARY_PHASES)}"
        )
    job_id = str(uuid.uuid4())
    now_ms = int(time.time() * 1000)
    started = phase not in ("Creating", "Pending")
    document = {
        "kind": "job",
        "metadata": {
            "id": job_id,
            "name": f"trainjob-emulated-{job_id[:8]}",
            "description": "",
            "create_time": now_ms,
            "workspace_id": "0",
            "ai_project": "default-ai-project",
            "user_name": "emulator",
        },
        "status": {
            "phase": phase,
            "secondary_phase": secondary,
            "duration": 0,
            "start_time": now_ms if started else 0,
            "tasks": ["worker-0"],
        },
        "algorithm": {
            "code_dir": "obs://emulator/py_mnist/",
            "boot_file": "obs://emulator/py_mnist/train.py",
            "inputs": [
                {
                    "name": "data_url",
                    "local_dir": "/home/ma-user/modelarts/inputs/data_url_0",
                    "remote": {"obs": {"obs_url": "/emulator/data/py_mnist/"}},
                }
            ],
            "outputs": [
                {
                    "name": "train_url",
                    "local_dir": "/home/ma-user/modelarts/outputs/train_url_0",
                    "remote": {"obs": {"obs_url": "/emulator/train_output/"}},
                    "mode": "upload_periodically",
                    "period": 30,
                }
            ],
            "engine": {
                "engine_id": "pytorch-cp36-1.4.0-v2",
                "engine_name": "PyTorch",
                "engine_version": "PyTorch-1.4.0-python3.6-v2",
            },
        },
        "spec": {
            "resource": {
                "policy": "regular",
                "flavor_id": "modelarts.vm.p100.large",
                "flavor_name": "Computing GPU(P100) instance",
                "node_count": 1,
                "flavor_detail": {
                    "flavor_type": "GPU",
                    "billing": {"code": "modelarts.vm.gpu.p100", "unit_num": 1},
                    "flavor_info": {
                        "cpu": {"arch": "x86", "core_num": 8},
                        "gpu": {"unit_num": 1, "product_name": "NVIDIA-P100", "memory": "8GB"},
                        "memory": {"size": 64, "unit": "GB"},
                    },
                },
            },
        },
    }
    return checked(document)


def checked(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as the generated ``TrainingJob`` model reads and writes it back.

    Going through the model is the point: the emulator answers only what a client built from
    the spec can parse.
    """
    job = TrainingJob.model_validate(document)
    rendered: dict[str, Any] = job.model_dump(mode="json", by_alias=True, exclude_none=True)
    return rendered


def render(document_json: str) -> bytes:
    """A stored job document as the JSON body of an answer, validated by the model."""
    job = TrainingJob.model_validate_json(document_json)
    return job.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8")
