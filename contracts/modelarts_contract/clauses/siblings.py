"""Jobs beside the one a request addresses, and the check that the request left them alone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from ..session import Exchange
from ..spec import NOT_ALLOWED_CODE, TERMINABLE_PHASES
from ..states import PreparedJob
from .changes import unprompted_changes
from .context import ClauseContext, error_code_of


@dataclass(frozen=True)
class Sibling:
    """A job prepared beside the addressed one, in ``phase``, and how GET showed it at first."""

    job: PreparedJob
    phase: str
    seen: Mapping[str, Any] | None


@dataclass(frozen=True)
class Family:
    """The addressed job and its siblings in the same project, made before and after it."""

    target: PreparedJob
    siblings: tuple[Sibling, ...]

    def expect_unchanged(self, ctx: ClauseContext, what: str, cause: Exchange) -> None:
        """Fail when ``what`` (answered by ``cause``) changed a sibling.

        Compared with GET; without GET, each sibling is terminated instead and must answer as
        its phase says (202, or 409 when it cannot be terminated), so call this last.
        """
        for sibling in self.siblings:
            now = ctx.read_job(sibling.job.id) if sibling.seen is not None else None
            if sibling.seen is not None and now is not None:
                changed = unprompted_changes(sibling.seen, now)
                ctx.expect(
                    not changed,
                    f"{what} (job {self.target.id}) changed its sibling {sibling.job.id} "
                    f"(a {sibling.phase} job): {'; '.join(changed)}",
                    cause,
                )
            else:
                _probe(ctx, sibling, f"{what} (job {self.target.id})")


@contextmanager
def family(
    ctx: ClauseContext, phase: str, before: Sequence[str], after: Sequence[str]
) -> Iterator[Family]:
    """A job in ``phase`` with siblings in the phases ``before`` and ``after`` it, all torn down."""
    with ExitStack() as jobs:
        older = [(jobs.enter_context(ctx.prepared_job(p)), p) for p in before]
        target = jobs.enter_context(ctx.prepared_job(phase))
        newer = [(jobs.enter_context(ctx.prepared_job(p)), p) for p in after]
        siblings = tuple(
            Sibling(job, sibling_phase, ctx.read_job(job.id))
            for job, sibling_phase in [*older, *newer]
        )
        yield Family(target, siblings)


def _probe(ctx: ClauseContext, sibling: Sibling, after: str) -> None:
    # Without GET: a sibling left alone still answers a terminate as its phase says.
    probe = ctx.terminate(sibling.job.id)
    if sibling.phase in TERMINABLE_PHASES:
        ok, expected = probe.status == 202, "202"
    else:
        ok = probe.status == 409 and error_code_of(probe) == NOT_ALLOWED_CODE
        expected = f"409 {NOT_ALLOWED_CODE}"
    ctx.expect(
        ok,
        f"after {after}, terminating its sibling {sibling.job.id} (a {sibling.phase} job) "
        f"answered {probe.describe()}, not {expected}: it was changed",
        probe,
    )
