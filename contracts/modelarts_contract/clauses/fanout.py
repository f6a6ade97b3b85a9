"""Running a clause's independent cases on ``--workers`` threads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .context import ClauseContext

Item = TypeVar("Item")


def for_each(ctx: ClauseContext, items: Iterable[Item], case: Callable[[Item], None]) -> None:
    """Run ``case`` on every item; the first exception (in item order) is raised."""
    items = list(items)
    if ctx.config.workers <= 1 or len(items) <= 1:
        for item in items:
            case(item)
        return

    with ThreadPoolExecutor(max_workers=ctx.config.workers) as pool:
        futures = [pool.submit(case, item) for item in items]
    for future in futures:
        future.result()
