"""Reproductions: the provider states and requests that showed a failure, as a replay file.

A failure's replay names the jobs to prepare again (phase, project), the requests sent to
them and, where a clause read a job through the provider states, those reads, with the job ids as placeholders and the credentials as a label
(:data:`~modelarts_contract.credentials.RUN_CREDENTIALS` or a forgery's name), never a value: the
replay command (:mod:`modelarts_contract.replay`) signs them again when it runs.

Beside each request stands what its answer was (:func:`answer_seen`): the status, and for a JSON
answer its ``error_code``, its job's ``status.phase`` and ``status.secondary_phase``, and the
names of its fields. A replay compares its answers with these to say whether the failure is
still there; the job ids, times and messages, which differ from one run to the next, are left out.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from . import answer_json

#: The format's name and version, first in every replay file.
REPLAY_FORMAT = "modelarts-contract replay 1"
#: Requests kept per prepared job; a clause sends a few dozen at most.
MAX_REPLAY_REQUESTS = 60
#: Field names of an answer kept at most (a huge answer would make a huge replay file).
MAX_FIELDS_SEEN = 200
#: Headers the replay does not copy: the client sets them, or they carry credentials.
UNCOPIED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "accept-encoding",
        "connection",
        "user-agent",
        "accept",
        "x-auth-token",
        "authorization",
        "x-sdk-date",
        "x-project-id",
    }
)


def placeholder(key: str) -> str:
    """How a prepared job's id is written in a replayed path or body."""
    return "{" + key + "}"


@dataclass(frozen=True)
class PreparedState:
    """A job a replay prepares again: its placeholder key, project and phase."""

    key: str
    project_id: str
    phase: str
    secondary_phase: str | None = None


@dataclass(frozen=True)
class ReplayRequest:
    """A request as it was sent, with job ids as placeholders and no credential values."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    auth: str | None
    auth_project_id: str
    status: int | None
    #: What the answer was, as :func:`answer_seen` or :func:`failed_exchange` describe it.
    seen: dict[str, Any] | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The request as a replay file holds it."""
        value: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "headers": [list(header) for header in self.headers],
            "auth": self.auth,
            "auth_project_id": self.auth_project_id,
            "status_seen": self.status,
        }
        if self.seen is not None:
            value["answer_seen"] = self.seen
        try:
            value["body"] = self.body.decode("utf-8")
        except UnicodeDecodeError:
            value["body_base64"] = base64.b64encode(self.body).decode("ascii")
        return value


@dataclass(frozen=True)
class StateRead:
    """A read of a prepared job through the provider states (``read``), between the requests.

    The first read of a job is the reference; a later one names the fields that had changed
    since (as :func:`~modelarts_contract.clauses.changes.unprompted_fields` finds them), and a
    replay compares the fields it finds changed with those.
    """

    key: str
    project_id: str
    #: The fields changed since the job's first read; ``None`` for the first read itself.
    changed: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The read as a replay file holds it."""
        value: dict[str, Any] = {"state_read": self.key, "project_id": self.project_id}
        if self.changed is not None:
            value["answer_seen"] = {"changed": list(self.changed)}
        return value


@dataclass(frozen=True)
class Replay:
    """What to prepare and send (and read through the provider states) to see a failure again."""

    states: tuple[PreparedState, ...]
    requests: tuple[ReplayRequest | StateRead, ...]

    def document(
        self, *, clause: str, message: str, base_url: str, state_url: str | None, seed: int | None
    ) -> dict[str, Any]:
        """The replay file's content."""
        return {
            "format": REPLAY_FORMAT,
            "clause": clause,
            "failure": message,
            "seed": seed,
            "base_url": base_url,
            "state_url": state_url,
            "states": [
                {
                    "key": state.key,
                    "project_id": state.project_id,
                    "phase": state.phase,
                    "secondary_phase": state.secondary_phase,
                }
                for state in self.states
            ],
            "requests": [request.to_json() for request in self.requests],
        }


def answer_seen(response: httpx.Response) -> dict[str, Any]:
    """What a replay compares of ``response``: its status and, when JSON, the parts that say
    what happened (the error code, the job's phases, which fields there are)."""
    seen: dict[str, Any] = {"status": response.status_code}
    try:
        body = answer_json.loads(response.content)
    except (ValueError, RecursionError):
        seen["json"] = False
        return seen
    seen["json"] = True
    if isinstance(body, dict):
        for key in ("error_code",):
            if isinstance(body.get(key), str):
                seen[key] = body[key]
        status = body.get("status")
        if isinstance(status, dict):
            for key in ("phase", "secondary_phase"):
                if isinstance(status.get(key), str):
                    seen[key] = status[key]
    seen["fields"] = sorted(_field_names(body))[:MAX_FIELDS_SEEN]
    return seen


def failed_exchange(kind: str) -> dict[str, Any]:
    """What a replay compares of an exchange that ended without an answer (``timeout`` …)."""
    return {"exchange_error": kind}


def _field_names(value: Any, prefix: str = "") -> set[str]:
    """``status/phase``, ``tasks/*/name``…: the fields of a JSON value, items of arrays as one."""
    names: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}{key}"
            names.add(name)
            if len(names) < MAX_FIELDS_SEEN:
                names |= _field_names(item, name + "/")
    elif isinstance(value, list):
        for item in value:
            names |= _field_names(item, prefix + "*/")
            if len(names) >= MAX_FIELDS_SEEN:
                break
    return names


def write_replay_file(directory: Path, stem: str, document: dict[str, Any], text: str) -> Path:
    """Write ``text`` (the document, already redacted) to a new file in ``directory``; its path.

    A file of that name already there is never replaced: the next free name is taken.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for attempt in range(1000):
        name = f"{stem}.json" if attempt == 0 else f"{stem}-{attempt}.json"
        target = directory / name
        try:
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        return target
    raise FileExistsError(f"no free replay file name for {stem} in {directory}")


def replay_command(path: Path) -> str:
    """The shell command that replays the file at ``path``."""
    return f"modelarts-contract replay {shlex.quote(str(path))}"


def dumps(document: dict[str, Any]) -> str:
    """A replay document as the text of its file."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
