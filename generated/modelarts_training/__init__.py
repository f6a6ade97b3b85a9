"""Typed client for ModelArts training jobs (stub until the generator renders it)."""
