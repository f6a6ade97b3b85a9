"""T1: every response of both operations conforms to the spec."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .. import answer_json
from ..errors import ClauseFailure
from ..session import Exchange
from ..spec import OPERATIONS, ContractSchema
from .context import ClauseContext
from .registry import clause

#: Examples from the spec are few; they are all sent, whatever the budget.
EXAMPLES_PER_STRATEGY = 5
#: Coverage cases per operation; the spec's two operations have a few dozen in all.
MAX_COVERAGE_CASES = 100
#: T1's checks. ``positive_data_acceptance`` is left out on purpose: the service answers
#: schema-valid requests with 400 (unknown job) and 409 (phase) by design.
RESPONSE_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
)
#: Violations kept in full; more are only counted, so a broken server cannot flood the report.
MAX_KEPT_VIOLATIONS = 20


@dataclass(frozen=True)
class SchemaViolation:
    """A response that does not conform to the spec, and the exchange that drew it."""

    message: str
    exchange: Exchange


@dataclass
class SchemaObserver:
    """Checks every response of the run against the spec; keeps the first violations."""

    schema: ContractSchema
    kept: list[SchemaViolation] = field(default_factory=list)
    total: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, exchange: Exchange) -> None:
        """Run the response checks on ``exchange`` (requests outside the spec are not judged)."""
        case = exchange.case
        if case is None:
            matched = self.schema.match(exchange.request.method, exchange.request.url.path)
            if matched is None:
                return
            case = matched.operation.Case(path_parameters=matched.path_parameters)
        response = Response.from_any(exchange.response)
        try:
            # schemathesis decodes with json.loads, which raises on an integer of more than
            # 4,300 digits and reads NaN: it is handed the body as the suite reads it.
            response._deserialized = answer_json.loads(exchange.response.content)
        except answer_json.NotJson as error:
            self._keep(exchange, f"the body is not JSON: {error}")
            return
        except (ValueError, RecursionError):
            pass  # no JSON: the content-type and schema checks say what that means
        try:
            case.validate_response(response, checks=list(RESPONSE_CHECKS))
        except FailureGroup as group:
            self._keep(
                exchange,
                "; ".join(
                    f"{failure.title}: {_first_line(failure.message)}"
                    for failure in group.exceptions
                ),
            )
        except Exception as error:  # noqa: BLE001 — an answer odd enough to break the checks
            self._keep(exchange, f"the response could not be checked: {error!r:.200}")

    def _keep(self, exchange: Exchange, problem: str) -> None:
        problem = answer_json.readable(problem)
        request = exchange.request
        violation = SchemaViolation(
            f"{request.method} {request.url.path} → {exchange.status}: {problem}", exchange
        )
        with self._lock:
            self.total += 1
            if len(self.kept) < MAX_KEPT_VIOLATIONS:
                self.kept.append(violation)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[:3])


@clause("T1", "schema", observes_run=SchemaObserver)
def schema_conformance(ctx: ClauseContext) -> None:
    """Every response conforms to the spec (status, content type, body and error schemas)."""
    for method, path in OPERATIONS:
        operation = ctx.session.schema.operation(method, path)
        for label, strategy, budget in _strategies(ctx, operation):
            _send_generated(ctx, strategy, budget, f"{method} {path} ({label})")
        _send_coverage(ctx, operation, f"{method} {path} (coverage)")
    if ctx.states.unavailable_reason is None:
        _exercise_real_jobs(ctx)
    else:
        ctx.partial(
            "without provider states only generated (unknown) jobs are addressed: "
            "no 202 or 200 answer was checked"
        )
    log: SchemaObserver = ctx.observer
    if log.total:
        first = log.kept[0]
        listed = "\n".join(f"  - [{v.exchange.clause_id}] {v.message}" for v in log.kept[:5])
        more = f"\n  … {log.total - 5} more" if log.total > 5 else ""
        raise ctx.fail(
            f"{log.total} response(s) violate the spec, first in {first.exchange.clause_id}: "
            f"{first.message}\n{listed}{more}",
            first.exchange,
            also=(first.exchange.clause_id,),
        )


def _exercise_real_jobs(ctx: ClauseContext) -> None:
    # Generated ids never reach a job, so the 200 and 202 answers are only seen on prepared jobs.
    for phase in ("Running", "Completed"):
        with ctx.prepared_job(phase) as job:
            ctx.get_job(job.id)
            ctx.terminate(job.id)
            ctx.get_job(job.id)


def _send_coverage(ctx: ClauseContext, operation: Any, label: str) -> None:
    """Send schemathesis' coverage cases: boundary values and each way to break the body."""
    schema = ctx.session.schema.schema
    cases = schema.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation),
    )
    # Unexpected methods (TRACE, QUERY…) are left to T10: some HTTP stacks refuse them before
    # the application sees them, which says nothing about the service.
    own_cases = [case for case in cases if case.method.upper() == operation.method.upper()]
    for case in own_cases[:MAX_COVERAGE_CASES]:
        try:
            ctx.send_case(case)
        except ClauseFailure as failure:
            failure.message = f"{label}: {failure.message}"
            raise


def _strategies(ctx: ClauseContext, operation: Any) -> list[tuple[str, SearchStrategy[Any], int]]:
    own_project = {"project_id": ctx.config.project_id}
    budget = ctx.config.max_examples
    strategies: list[tuple[str, SearchStrategy[Any], int]] = [
        (f"example {i + 1}", strategy, EXAMPLES_PER_STRATEGY)
        for i, strategy in enumerate(operation.get_strategies_from_examples())
    ]
    # Half the positive cases address the caller's own project, so they pass authorisation and
    # reach the job lookup instead of stopping at 403.
    strategies.append(
        (
            "positive, own project",
            operation.as_strategy(path_parameters=own_project),
            max(1, budget // 2),
        )
    )
    strategies.append(("positive", operation.as_strategy(), max(1, budget - budget // 2)))
    if operation.body:
        # Without a body the only inputs to break are path strings, and the strings that break
        # their schema (empty ones) cannot be put in a URL: schemathesis finds no such case.
        strategies.append(("negative", operation.as_strategy(GenerationMode.NEGATIVE), budget))
    return strategies


def _send_generated(
    ctx: ClauseContext, strategy: SearchStrategy[Any], budget: int, label: str
) -> None:
    hung: list[ClauseFailure] = []

    @seed(ctx.config.seed)
    @settings(
        max_examples=budget,
        database=None,
        deadline=None,
        derandomize=False,
        # Failures are collected, never raised, so there is nothing to shrink or replay.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def send(case: Any) -> None:
        if hung:
            return
        try:
            ctx.send_case(case)
        except ClauseFailure as failure:
            hung.append(failure)

    try:
        send()
    except Unsatisfiable:
        # E.g. negative cases of GET: its only inputs are path strings, and the ones that break
        # the schema (empty strings) cannot be put in a URL.
        ctx.note(f"{label}: schemathesis could not generate such cases")
    if hung:
        failure = hung[0]
        failure.message = f"{label}: {failure.message}"
        raise failure
