"""Generates the typed client package in generated/ from the OpenAPI document in spec/."""
