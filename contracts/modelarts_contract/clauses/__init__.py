"""The clauses of the contract, T1 … T11; importing this package registers them all."""

from . import (  # noqa: F401  (imported for their registration)
    auth,
    bad_requests,
    client_requests,
    error_format,
    phase_gate,
    races,
    refusals,
    schema,
    state_change,
    terminate_body,
    unknown_job,
)
from .registry import Clause, registered_clauses

__all__ = ["Clause", "registered_clauses"]
