"""``modelarts-contract replay FILE``: see a failure again, with the credentials of the environment.

Prepares the jobs the failure was seen on (through the same provider-state endpoint), sends the
recorded requests again in order — signing AK/SK now, since a signature expires — prints each
status and body beside the status the run saw, and removes the jobs.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import httpx

from .bounded_http import BoundedClient
from .clauses.lookalikes import LOOKALIKE_FORGERIES
from .config import ContractConfig
from .contract_run import provider_states
from .credentials import Credentials, Redactor, credentials_from, rebuild_auth
from .errors import ExchangeError, ProviderStateError, UsageError
from .reproduction import REPLAY_FORMAT, placeholder
from .states import HttpProviderStates

#: A replay file is a few kilobytes; anything far larger is not one.
MAX_REPLAY_FILE_BYTES = 16 * 1024 * 1024
#: Characters of each answer's body printed.
BODY_CHARS = 2000


def replay_file(
    path: str, environ: Mapping[str, str], *, timeout: float, out: TextIO = sys.stdout
) -> int:
    """Replay the file at ``path``; 0 when every request was sent, 2 when the replay could not run."""
    document = _load(Path(path))
    credentials = credentials_from(None, None, None, environ)
    redact = Redactor(credentials.secrets())
    states_wanted: list[dict[str, Any]] = document["states"]
    requests: list[dict[str, Any]] = document["requests"]
    project_id = states_wanted[0]["project_id"] if states_wanted else requests[0]["auth_project_id"]
    config = ContractConfig(
        base_url=document["base_url"],
        project_id=project_id,
        credentials=credentials,
        state_url=document.get("state_url"),
        timeout=timeout,
    )

    def say(text: str) -> None:
        print(redact(text), file=out, flush=True)

    say(f"replaying {document['clause']}: {document['failure'].splitlines()[0]}")
    states: HttpProviderStates | None = None
    prepared: dict[str, tuple[str, str]] = {}
    client = BoundedClient(timeout, base_url=config.base_url)
    try:
        if states_wanted:
            if not config.state_url:
                raise UsageError("the replay needs prepared jobs but the file has no state_url")
            states = provider_states(config.state_url, config)
            for state in states_wanted:
                job = states.setup(state["project_id"], state["phase"], state["secondary_phase"])
                prepared[state["key"]] = (state["project_id"], job.id)
                say(f"prepared a {state['phase']} job of project {state['project_id']}: {job.id}")
        for step in requests:
            _send(client, config, step, prepared, say)
    except ProviderStateError as error:
        say(f"error: {error}")
        return 2
    finally:
        if states is not None:
            for project, job_id in prepared.values():
                try:
                    states.teardown(project, job_id)
                except ProviderStateError as error:
                    say(f"note: {error}")
            states.close()
        client.close()
    return 0


def _send(
    client: BoundedClient,
    config: ContractConfig,
    step: Mapping[str, Any],
    prepared: Mapping[str, tuple[str, str]],
    say: Any,
) -> None:
    path: str = step["path"]
    body = (
        base64.b64decode(step["body_base64"])
        if "body_base64" in step
        else str(step.get("body", "")).encode("utf-8")
    )
    for key, (_, job_id) in prepared.items():
        path = path.replace(placeholder(key), job_id)
        body = body.replace(placeholder(key).encode(), job_id.encode())
    request = client.build_request(
        step["method"], path, headers=[tuple(header) for header in step["headers"]], content=body
    )
    label = step.get("auth")
    auth = _rebuild(label, config.credentials, step["auth_project_id"]) if label else None
    if auth is None:
        say(f"(the credentials this request carried, {label!r}, cannot be rebuilt: sent without)")
        auth = _Bare()
    seen = step.get("status_seen")
    try:
        response = client.exchange(request, auth)
    except ExchangeError as error:
        say(f"{step['method']} {path} → {error}  (the run saw {seen})")
        return
    say(f"{step['method']} {path} → {response.status_code}  (the run saw {seen})")
    text = response.content[: BODY_CHARS * 4].decode("utf-8", errors="replace")
    say(text if len(text) <= BODY_CHARS else text[:BODY_CHARS] + "…")


def _rebuild(label: str, credentials: Credentials, project_id: str) -> httpx.Auth | None:
    """The run's credentials, a forgery or a look-alike of them, made again from ``credentials``."""
    auth = rebuild_auth(label, credentials, project_id)
    if auth is not None:
        return auth
    lookalike = LOOKALIKE_FORGERIES.get(label)
    return lookalike.make(credentials, project_id) if lookalike is not None else None


class _Bare(httpx.Auth):
    """No credentials."""


def _load(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_REPLAY_FILE_BYTES:
            raise UsageError(f"{path} is too large to be a replay file")
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except (ValueError, RecursionError):
        raise UsageError(f"{path} is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != REPLAY_FORMAT:
        raise UsageError(f"{path} is not a replay file ({REPLAY_FORMAT})")
    required = {"base_url": str, "states": list, "requests": list, "clause": str, "failure": str}
    for key, kind in required.items():
        if not isinstance(document.get(key), kind):
            raise UsageError(f"{path}: {key!r} is missing or not a {kind.__name__}")
    if not document["requests"]:
        raise UsageError(f"{path} has no request to replay")
    return document
