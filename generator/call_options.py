"""The keyword-only options every client method takes after its operation's own parameters.

They are the fields of the rendered ``CallOptions``, in its order. An operation parameter never
takes one of these names (:data:`CALL_OPTIONS` is reserved: it gets a trailing ``_``).
"""

from __future__ import annotations

from generator.ir import Operation

#: Name → annotation and default, on every method.
OPTIONS = {
    "timeout": "float | httpx.Timeout | None = None",
    "retry": "RetryPolicy | None = None",
    "extra_headers": "Mapping[str, str] | None = None",
    "extra_query": "Mapping[str, str] | None = None",
}
#: Only where the request's body is JSON or there is none: its fields are merged into it.
BODY_OPTION = ("extra_body", "Mapping[str, object] | None = None")
CALL_OPTIONS = frozenset([*OPTIONS, BODY_OPTION[0]])


def option_names(op: Operation) -> list[str]:
    """The options ``op``'s methods take, in the order of ``CallOptions``' fields."""
    names = list(OPTIONS)
    return [*names, BODY_OPTION[0]] if op.body is None or op.body.kind == "json" else names


def option_params(op: Operation) -> list[str]:
    """The options as parameters of a ``def`` line."""
    annotations = {**OPTIONS, BODY_OPTION[0]: BODY_OPTION[1]}
    return [f"{name}: {annotations[name]}" for name in option_names(op)]
