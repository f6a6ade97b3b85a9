"""Generates the typed client package in generated/ from the OpenAPI document in spec/."""

#: What the command line says when interrupted, wherever the interrupt finds it.
INTERRUPTED = "interrupted; nothing was written"
#: Set to a non-empty value (or pass ``--debug``) to see the traceback of an internal error.
DEBUG_VARIABLE = "GENERATOR_DEBUG"
