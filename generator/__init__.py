"""Generates the typed client package in generated/ from the OpenAPI document in spec/."""

#: What the command line says when interrupted, wherever the interrupt finds it.
INTERRUPTED = "interrupted; nothing was written"
