"""Provider states, Pact style: the server under test prepares a job in a given phase on request.

A stateful clause asks for a job, uses it and hands it back. Over HTTP the suite posts
``{"action": "setup", "state": "training job", "params": {"project_id": P, "phase": PHASE,
"secondary_phase": SECONDARY}}`` to the state URL and expects ``{"training_job_id": ...,
"job"?: {...}}``; the secondary phase is always named, the one the spec pairs with the phase
(``x-secondary-phase-of``) unless a clause asks for another. Every state request carries the
run's credentials, exactly as the API requests do (an ``X-Auth-Token``, or an AK/SK signature
made for that very request), so a provider can authorize it. A server tested in-process passes
two functions instead.

One action is optional: ``{"action": "read", "state": "training job", "params": {"project_id":
P, "training_job_id": ID}}`` answered 2xx ``{"job": {...}}``, the stored job as GET shows it.
The cross-project clause reads project Q's job this way, since the run's credentials cannot
read it through the API. A provider without it answers one of :data:`READ_NOT_OFFERED`; any
other failure of a read is a failure of the provider states, as for a setup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from . import answer_json
from .bounded_http import BoundedClient
from .config import DEFAULT_TIMEOUT
from .credentials import Credentials
from .errors import ExchangeError, ProviderStateError, ProviderStateNotOffered
from .redaction import Redactor
from .spec import load_document

STATE_NAME = "training job"
#: Answers to a ``read`` that mean the provider has no such action: a bad request (an unknown
#: action), not found, method not allowed, not implemented. Nothing else means "not offered".
READ_NOT_OFFERED = frozenset({400, 404, 405, 501})


def _secondary_phases() -> dict[str, str]:
    status = load_document()["components"]["schemas"]["Status"]["properties"]
    return dict(status["secondary_phase"]["x-secondary-phase-of"])


#: The secondary phase the spec pairs with each phase: what a job "in phase X" shows.
SECONDARY_PHASE_OF: Mapping[str, str] = _secondary_phases()


def full_state(phase: str, secondary_phase: str | None) -> str | None:
    """The secondary phase a setup names: the one asked for, else the spec's pair of ``phase``."""
    return secondary_phase if secondary_phase is not None else SECONDARY_PHASE_OF.get(phase)


@dataclass(frozen=True)
class PreparedJob:
    """A job the provider prepared: its id and, when the provider sent it, the job itself."""

    id: str
    job: Mapping[str, Any] | None = None


class ProviderStates(Protocol):
    """Prepares and removes jobs in a given phase on the server under test."""

    #: Why the stateful clauses are skipped, or ``None`` when jobs can be prepared.
    unavailable_reason: str | None

    def setup(self, project_id: str, phase: str, secondary_phase: str | None = None) -> PreparedJob:
        """Create a job of ``project_id`` in ``phase``; :class:`ProviderStateError` on failure."""
        ...

    def teardown(self, project_id: str, job_id: str) -> None:
        """Remove a job made by :meth:`setup`."""
        ...

    def read(self, project_id: str, job_id: str) -> Mapping[str, Any]:
        """The job made by :meth:`setup` as GET would show it, read with the run's credentials.

        :class:`ProviderStateNotOffered` when the provider has no read;
        :class:`ProviderStateError` when it failed otherwise.
        """
        ...


class NoProviderStates:
    """No way to prepare jobs: the stateful clauses are reported skipped."""

    def __init__(
        self,
        reason: str = "needs provider states to prepare jobs in a given phase (pass --state-url)",
    ) -> None:
        self.unavailable_reason: str | None = reason

    def setup(self, project_id: str, phase: str, secondary_phase: str | None = None) -> PreparedJob:
        """Always fails: there is nothing to ask."""
        raise ProviderStateError("setup", STATE_NAME, "no provider-state endpoint is configured")

    def teardown(self, project_id: str, job_id: str) -> None:
        """Nothing to remove."""

    def read(self, project_id: str, job_id: str) -> Mapping[str, Any]:
        """Nothing to read."""
        raise ProviderStateNotOffered(
            "read", STATE_NAME, "no provider-state endpoint is configured"
        )


class HttpProviderStates:
    """Provider states served over HTTP at ``state_url``, asked with the run's ``credentials``.

    Each request authenticates as an API request on the project it names would: the token, or
    a signature of this request (method, path, headers, body) made when it is sent.
    """

    unavailable_reason: str | None = None

    def __init__(
        self,
        state_url: str,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        credentials: Credentials | None,
    ) -> None:
        self.state_url = state_url
        self._credentials = credentials
        # A provider may echo the credentials in its error: they go before its answer is cut.
        self._redactor = Redactor(credentials.secrets() if credentials else ())
        # Bounded like every exchange of a run: the provider may be as hostile as the server.
        self._client = BoundedClient(timeout)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def setup(self, project_id: str, phase: str, secondary_phase: str | None = None) -> PreparedJob:
        """Ask the provider for a job in ``phase``."""
        params: dict[str, Any] = {"project_id": project_id, "phase": phase}
        secondary = full_state(phase, secondary_phase)
        if secondary is not None:
            params["secondary_phase"] = secondary
        body = self._post(
            "setup", project_id, {"action": "setup", "state": STATE_NAME, "params": params}
        )
        job_id = body.get("training_job_id") if isinstance(body, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise ProviderStateError(
                "setup", STATE_NAME, f"the answer has no training_job_id string: {body!r:.200}"
            )
        job = body.get("job")
        return PreparedJob(job_id, job if isinstance(job, dict) else None)

    def teardown(self, project_id: str, job_id: str) -> None:
        """Ask the provider to remove the job."""
        self._post(
            "teardown",
            project_id,
            {
                "action": "teardown",
                "state": STATE_NAME,
                # Both places: the protocol puts the id beside "params", providers
                # written from the setup shape tend to look for it inside.
                "params": {"project_id": project_id, "training_job_id": job_id},
                "training_job_id": job_id,
            },
        )

    def read(self, project_id: str, job_id: str) -> Mapping[str, Any]:
        """Ask the provider for the job as GET would show it."""
        body = self._post(
            "read",
            project_id,
            {
                "action": "read",
                "state": STATE_NAME,
                "params": {"project_id": project_id, "training_job_id": job_id},
            },
            not_offered=READ_NOT_OFFERED,
        )
        job = body.get("job") if isinstance(body, dict) else None
        if not isinstance(job, dict):
            raise ProviderStateError(
                "read",
                STATE_NAME,
                f"the answer has no job object: {self._redactor.excerpt(repr(body), 200)}",
            )
        return job

    def _post(
        self,
        action: str,
        project_id: str,
        payload: dict[str, Any],
        not_offered: frozenset[int] = frozenset(),
    ) -> Any:
        auth = self._credentials.auth(project_id) if self._credentials else None
        try:
            response = self._client.exchange(
                self._client.build_request("POST", self.state_url, json=payload), auth
            )
        except ExchangeError as error:
            raise ProviderStateError(action, STATE_NAME, f"{self.state_url}: {error}") from None
        if not response.is_success:
            failure = (
                ProviderStateNotOffered
                if response.status_code in not_offered
                else ProviderStateError
            )
            raise failure(
                action,
                STATE_NAME,
                f"{self.state_url} answered {response.status_code}: "
                f"{self._redactor.excerpt(response.text, 200)}",
            )
        if not response.content:
            return {}
        try:
            return answer_json.loads(response.content)
        except (ValueError, RecursionError):
            raise ProviderStateError(
                action, STATE_NAME, f"{self.state_url} answered a body that is not JSON"
            ) from None


SetupFunction = Callable[[str, str, "str | None"], PreparedJob]
TeardownFunction = Callable[[str, str], None]
ReadFunction = Callable[[str, str], Mapping[str, Any]]


class CallableProviderStates:
    """Provider states given as Python functions, for servers tested in the same process.

    ``read_fn(project_id, job_id)``, optional, returns the job as GET would show it.
    """

    unavailable_reason: str | None = None

    def __init__(
        self,
        setup_fn: SetupFunction,
        teardown_fn: TeardownFunction,
        read_fn: ReadFunction | None = None,
    ) -> None:
        self._setup = setup_fn
        self._teardown = teardown_fn
        self._read = read_fn

    def setup(self, project_id: str, phase: str, secondary_phase: str | None = None) -> PreparedJob:
        """Call the setup function with the full state (the phase's paired secondary phase too).

        Any exception it raises becomes a :class:`ProviderStateError`.
        """
        try:
            return self._setup(project_id, phase, full_state(phase, secondary_phase))
        except ProviderStateError:
            raise
        except Exception as error:
            raise ProviderStateError("setup", STATE_NAME, repr(error)) from error

    def teardown(self, project_id: str, job_id: str) -> None:
        """Call the teardown function."""
        try:
            self._teardown(project_id, job_id)
        except Exception as error:
            raise ProviderStateError("teardown", STATE_NAME, repr(error)) from error

    def read(self, project_id: str, job_id: str) -> Mapping[str, Any]:
        """Call the read function; :class:`ProviderStateNotOffered` when none was given."""
        if self._read is None:
            raise ProviderStateNotOffered("read", STATE_NAME, "no read_fn was given")
        try:
            job = self._read(project_id, job_id)
        except ProviderStateError:
            raise
        except Exception as error:
            raise ProviderStateError("read", STATE_NAME, repr(error)) from error
        if not isinstance(job, Mapping):
            raise ProviderStateError("read", STATE_NAME, f"read_fn returned {type(job).__name__}")
        return job
