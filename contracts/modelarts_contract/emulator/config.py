"""What an emulator instance is started with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .faults import Fault

#: The largest request body the service accepts; larger ones are answered 413.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class EmulatorConfig:
    """Settings of one emulator: where its state lives, who may call it, how fast jobs move.

    ``tokens`` maps an IAM token to the projects it may act on; ``aksk`` maps an access key to
    its secret key and projects. ``terminate_seconds`` is how long a job stays ``Terminating``
    before a read shows it ``Terminated`` (0: at the next read). ``faults`` are injected into API
    requests (see :mod:`.faults`), drawn from ``fault_seed``; injected 429 and 503 answers carry
    ``Retry-After: fault_retry_after``.
    """

    db_path: str = ":memory:"
    tokens: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    aksk: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    terminate_seconds: float = 1.0
    states_enabled: bool = True
    faults: tuple[Fault, ...] = ()
    fault_seed: int | None = None
    fault_retry_after: int = 1
