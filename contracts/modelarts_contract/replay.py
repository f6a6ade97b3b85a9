"""``modelarts-contract replay FILE``: see a failure again, with the credentials of the environment.

Prepares the jobs the failure was seen on (through the same provider-state endpoint), sends the
recorded requests again in order — signing AK/SK now, since a signature expires — prints each
status and body beside what the run saw, removes the jobs, and ends with one verdict line. Where
the run read a job through the provider states (``read``), the replay reads it there too, and a
later read's fields changed since the first read are compared with those the run saw change.

The failure **reproduces** when every request is answered as the run saw it: the same status
(or the same way of not answering: a timeout, a body too large …) and, for a JSON answer, the
same ``error_code``, the same job phase and secondary phase and the same field names (see
:func:`~modelarts_contract.reproduction.answer_seen`; a file written before those were recorded
is compared by status alone). Exit 1 then, 0 when some answer differs — the verdict names the
first — and 2 when the replay cannot run. What the replay compares is what a clause judges in
most failures; a failure in another part of a body (a changed name, a wrong time) is judged
again only by the clause: ``run --seed N --clause TX``, as the report prints it.

A replay file is input from elsewhere, so it is checked before anything is sent: its requests go
to its base URL only (``--base-url`` sends them to another server instead), its provider states
only to a URL on that base URL (``--state-url`` names any other), and never with headers that
carry credentials.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import httpx

from .bounded_http import BoundedClient
from .clauses.changes import unprompted_fields
from .clauses.lookalikes import LOOKALIKE_FORGERIES
from .config import ContractConfig
from .contract_run import provider_states
from .credentials import Credentials, credentials_from, rebuild_auth
from .errors import ExchangeError, ProviderStateError, UsageError
from .redaction import Redactor
from .reproduction import (
    REPLAY_FORMAT,
    UNCOPIED_HEADERS,
    answer_seen,
    failed_exchange,
    placeholder,
)
from .states import HttpProviderStates

#: A replay file is a few kilobytes; anything far larger is not one.
MAX_REPLAY_FILE_BYTES = 16 * 1024 * 1024
#: Characters of each answer's body printed.
BODY_CHARS = 2000
#: Exit codes: the failure is seen again, it is not, the replay could not run.
REPRODUCED, NOT_REPRODUCED, CANNOT_REPLAY = 1, 0, 2
#: Exchange errors that say the server is not there, rather than how it answers.
_UNREACHABLE = ("dropped", "connection")


@dataclass(frozen=True)
class ReplayTarget:
    """Where a replay sends: the server's base URL and the provider-state endpoint."""

    base_url: str
    state_url: str | None


def replay_file(
    path: str,
    environ: Mapping[str, str],
    *,
    timeout: float,
    base_url: str | None = None,
    state_url: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Replay the file at ``path``: 1 when the failure reproduces, 0 when not, 2 when it cannot run.

    ``base_url`` and ``state_url`` send the requests and provider states elsewhere than the file
    says. :class:`UsageError` (nothing sent) for a file that is not a replay file or that sends
    anywhere but its base URL.
    """
    document = _load(Path(path))
    target = replay_target(document, base_url, state_url)
    credentials = credentials_from(None, None, None, environ)
    redact = Redactor(credentials.secrets())
    states_wanted: list[dict[str, Any]] = document["states"]
    steps: list[dict[str, Any]] = document["requests"]
    project_id = states_wanted[0]["project_id"] if states_wanted else steps[0]["auth_project_id"]
    config = ContractConfig(
        base_url=target.base_url,
        project_id=project_id,
        credentials=credentials,
        state_url=target.state_url,
        timeout=timeout,
    )
    if states_wanted and not config.state_url:
        raise UsageError("the replay needs prepared jobs but the file has no state_url")

    def say(text: str) -> None:
        print(redact(text), file=out or sys.stdout, flush=True)

    client = BoundedClient(timeout, base_url=config.base_url)
    states: HttpProviderStates | None = None
    prepared: dict[str, tuple[str, str]] = {}
    differences: list[str] = []
    try:
        # Every request is checked before anything is sent.
        for number, step in enumerate(steps, 1):
            if "state_read" not in step:
                _request(client, config.base_url, step, number)
        say(f"replaying {document['clause']} against {config.base_url}: {_first_line(document)}")
        if states_wanted and config.state_url:
            states = provider_states(config.state_url, config)
            for state in states_wanted:
                job = states.setup(state["project_id"], state["phase"], state["secondary_phase"])
                prepared[state["key"]] = (state["project_id"], job.id)
                say(f"prepared a {state['phase']} job of project {state['project_id']}: {job.id}")
        first_reads: dict[str, Mapping[str, Any]] = {}
        for number, step in enumerate(steps, 1):
            if "state_read" in step and states is not None:
                difference = _read_again(states, step, prepared, first_reads, say)
                what = f"read {number} (of {step['state_read']} through the provider states)"
            else:
                difference = _send(client, config, step, number, prepared, say, redact)
                what = f"request {number} ({step['method']} {step['path']})"
            if difference is not None:
                differences.append(f"{what} {difference}")
    except ProviderStateError as error:
        say(f"error: {error}")
        return CANNOT_REPLAY
    except _Unreachable as error:
        say(f"error: the server cannot be reached: {error}")
        return CANNOT_REPLAY
    finally:
        if states is not None:
            for project, job_id in prepared.values():
                try:
                    states.teardown(project, job_id)
                except ProviderStateError as error:
                    say(f"note: {error}")
            states.close()
        client.close()
    if differences:
        say(f"not reproduced: {differences[0]}")
        return NOT_REPRODUCED
    say(
        f"reproduced: {document['clause']} fails again — all {len(steps)} answer(s) as the run "
        "saw them"
    )
    return REPRODUCED


def replay_target(
    document: Mapping[str, Any], base_url: str | None, state_url: str | None
) -> ReplayTarget:
    """Where the replay of ``document`` sends, with ``--base-url``/``--state-url`` applied.

    The file's state URL is used only when it lies on the file's base URL (it then moves with
    ``--base-url``); :class:`UsageError` otherwise, and for URLs that are not http(s).
    """
    recorded = str(document["base_url"]).rstrip("/")
    target = (base_url or recorded).rstrip("/")
    for name, url in (("--base-url", target), ("--state-url", state_url)):
        if url is not None and not _is_http_url(url):
            origin = "the replay file's base_url" if url == recorded else name
            raise UsageError(f"{origin} {url!r} is not an http(s) URL")
    if state_url is not None:
        return ReplayTarget(target, state_url)
    recorded_states = document.get("state_url")
    if not recorded_states:
        return ReplayTarget(target, None)
    if not _within(str(recorded_states), recorded):
        raise UsageError(
            f"the replay file's state_url {recorded_states!r} is not on its base URL "
            f"{recorded}: pass --state-url to send provider states there"
        )
    return ReplayTarget(target, target + str(recorded_states)[len(recorded) :])


def _request(
    client: BoundedClient,
    base_url: str,
    step: Mapping[str, Any],
    number: int,
    *,
    path: str | None = None,
    content: bytes = b"",
) -> httpx.Request:
    """The request ``step`` describes (``path`` instead of its own), on ``base_url``.

    :class:`UsageError` when it would leave ``base_url`` or is malformed.
    """
    path = step.get("path") if path is None else path
    method = step.get("method")
    headers = step.get("headers", [])
    if not isinstance(method, str) or not method.isalpha():
        raise UsageError(f"request {number} of the replay file has no valid method")
    # Only a path: an absolute URL ("http://…"), a scheme-relative one ("//host") or anything
    # httpx could read as either would send the run's credentials to another host.
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or path.startswith("//")
        or any(char in path for char in "\\\r\n\t ")
    ):
        raise UsageError(
            f"request {number} of the replay file does not stay on {base_url}: "
            f"its path {str(path)[:80]!r} is not a path"
        )
    if not isinstance(headers, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        for pair in headers
    ):
        raise UsageError(f"request {number} of the replay file has malformed headers")
    request = client.build_request(
        method,
        path,
        headers=[(name, value) for name, value in headers if name.lower() not in UNCOPIED_HEADERS],
        content=content,
    )
    if not _within(str(request.url), base_url):
        raise UsageError(
            f"request {number} of the replay file does not stay on {base_url}: "
            f"it would go to {str(request.url)[:120]}"
        )
    return request


def _send(
    client: BoundedClient,
    config: ContractConfig,
    step: Mapping[str, Any],
    number: int,
    prepared: Mapping[str, tuple[str, str]],
    say: Callable[[str], None],
    redact: Redactor,
) -> str | None:
    """Send ``step`` again; how its answer differs from what the run saw, or ``None``."""
    path: str = step["path"]
    body = (
        base64.b64decode(step["body_base64"])
        if "body_base64" in step
        else str(step.get("body", "")).encode("utf-8")
    )
    for key, (_, job_id) in prepared.items():
        path = path.replace(placeholder(key), quote(job_id, safe=""))
        body = body.replace(placeholder(key).encode(), job_id.encode())
    # The prepared ids come from the provider: the path they make is checked again.
    request = _request(client, config.base_url, step, number, path=path, content=body)
    label = step.get("auth")
    auth = _rebuild(label, config.credentials, step["auth_project_id"]) if label else None
    if auth is None:
        say(f"(the credentials this request carried, {label!r}, cannot be rebuilt: sent without)")
        auth = _Bare()
    recorded = step.get("answer_seen")
    seen_status = step.get("status_seen")
    try:
        response = client.exchange(request, auth)
    except ExchangeError as error:
        if error.kind in _UNREACHABLE and seen_status is not None:
            raise _Unreachable(error.message) from None
        say(f"{request.method} {path} → {error}  (the run saw {seen_status})")
        now = failed_exchange(error.kind)
    else:
        say(f"{request.method} {path} → {response.status_code}  (the run saw {seen_status})")
        text = response.content[: BODY_CHARS * 4 + 64 * 1024].decode("utf-8", errors="replace")
        say(redact.excerpt(text, BODY_CHARS))
        now = answer_seen(response)
    if isinstance(recorded, dict):
        return _difference(recorded, now)
    # A file from before answers were recorded: the status alone.
    status_now = now.get("status")
    if status_now == seen_status:
        return None
    return f"answered {status_now}, the run saw {seen_status}"


def _read_again(
    states: HttpProviderStates,
    step: Mapping[str, Any],
    prepared: Mapping[str, tuple[str, str]],
    first_reads: dict[str, Mapping[str, Any]],
    say: Callable[[str], None],
) -> str | None:
    """Read a prepared job through the provider states; a later read is compared with the first.

    How the fields changed since the first read differ from those the run saw change, or
    ``None``. A provider without ``read`` cannot replay this (:class:`ProviderStateError`).
    """
    key = step["state_read"]
    project_id, job_id = prepared[key]
    job = states.read(project_id, job_id)
    recorded = step.get("answer_seen")
    if key not in first_reads or not isinstance(recorded, dict):
        first_reads.setdefault(key, job)
        say(f"read job {job_id} of project {project_id} through the provider states")
        return None
    changed = sorted(unprompted_fields(first_reads[key], job))
    seen = sorted(str(name) for name in recorded.get("changed", ()))
    say(
        f"read job {job_id} of project {project_id} again: changed since the first read: "
        f"{', '.join(changed) or 'nothing'}  (the run saw {', '.join(seen) or 'nothing'})"
    )
    if changed == seen:
        return None
    return (
        f"showed {', '.join(changed) or 'nothing'} changed, the run saw "
        f"{', '.join(seen) or 'nothing'}"
    )


def _difference(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> str | None:
    """How an answer differs from the recorded one, in the parts a replay compares."""
    for key in ("exchange_error", "status", "json", "error_code", "phase", "secondary_phase"):
        if recorded.get(key) != now.get(key):
            return f"answered with {key} {now.get(key)!r}, the run saw {recorded.get(key)!r}"
    missing = sorted(set(recorded.get("fields", ())) - set(now.get("fields", ())))
    added = sorted(set(now.get("fields", ())) - set(recorded.get("fields", ())))
    if missing or added:
        change = ", ".join(
            [*(f"-{name}" for name in missing[:3]), *(f"+{name}" for name in added[:3])]
        )
        return f"answered with other fields than the run saw ({change})"
    return None


def _rebuild(label: str, credentials: Credentials, project_id: str) -> httpx.Auth | None:
    """The run's credentials, a forgery or a look-alike of them, made again from ``credentials``."""
    auth = rebuild_auth(label, credentials, project_id)
    if auth is not None:
        return auth
    lookalike = LOOKALIKE_FORGERIES.get(label)
    return lookalike.make(credentials, project_id) if lookalike is not None else None


class _Bare(httpx.Auth):
    """No credentials."""


class _Unreachable(Exception):
    """The server stopped answering during the replay."""


def _is_http_url(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def _within(url: str, base_url: str) -> bool:
    """Whether ``url`` is ``base_url`` or under it: same scheme, host and port, path below."""
    try:
        inner, base = httpx.URL(url), httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        return False
    base_path = base.raw_path.split(b"?")[0].rstrip(b"/")
    inner_path = inner.raw_path.split(b"?")[0]
    return (
        (inner.scheme, inner.host, inner.port) == (base.scheme, base.host, base.port)
        and not inner.userinfo
        and (inner_path == base_path or inner_path.startswith(base_path + b"/"))
    )


def _first_line(document: Mapping[str, Any]) -> str:
    lines = str(document["failure"]).splitlines()
    return lines[0] if lines else ""


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
    shapes = [
        ("states", ("key", "project_id", "phase"), ("secondary_phase",)),
        ("requests", ("method", "path", "auth_project_id"), ("auth",)),
    ]
    keys = {state.get("key") for state in document["states"] if isinstance(state, dict)}
    for number, item in enumerate(document["requests"], 1):
        if isinstance(item, dict) and "state_read" in item:
            _check_state_read(path, number, item, keys)
    for section, required_strings, optional_strings in shapes:
        for number, item in enumerate(document[section], 1):
            if section == "requests" and isinstance(item, dict) and "state_read" in item:
                continue
            if not isinstance(item, dict) or not all(
                isinstance(item.get(key), str) for key in required_strings
            ):
                raise UsageError(
                    f"{path}: {section} entry {number} needs {', '.join(required_strings)}"
                )
            for key in optional_strings:
                if not isinstance(item.get(key), str | None):
                    raise UsageError(f"{path}: {section} entry {number}: {key} is not a string")
    return document


def _check_state_read(path: Path, number: int, item: Mapping[str, Any], keys: set[Any]) -> None:
    """A read step names a prepared job, and what changed is a list of field names."""
    if item.get("state_read") not in keys or not isinstance(item.get("project_id"), str):
        raise UsageError(f"{path}: requests entry {number} reads a job the file does not prepare")
    seen = item.get("answer_seen")
    if seen is not None and not (
        isinstance(seen, dict)
        and isinstance(seen.get("changed"), list)
        and all(isinstance(name, str) for name in seen["changed"])
    ):
        raise UsageError(f"{path}: requests entry {number}: answer_seen.changed is not a list")
