"""Render the generated package's files from the intermediate representation with Jinja2."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.ir import Api, Operation

PACKAGE = "modelarts_training"
DISTRIBUTION = "modelarts-training"
#: The version of the package, not of the API (that one is ``info.version`` in the spec).
VERSION = "0.1.0"
TEMPLATES = Path(__file__).parent / "templates"
#: Package file → template. Each template renders exactly one file.
PACKAGE_TEMPLATES = {
    "__init__.py": "__init__.py.jinja2",
    "_retry.py": "_retry.py.jinja2",
    "auth.py": "auth.py.jinja2",
    "client.py": "client.py.jinja2",
    "errors.py": "errors.py.jinja2",
    "signing.py": "signing.py.jinja2",
}
PROJECT_TEMPLATES = {"pyproject.toml": "pyproject.toml.jinja2", "README.md": "README.md.jinja2"}


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; a template in ``user_templates`` overrides ours of the same name."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(TEMPLATES)]
    if user_templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(user_templates))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Python and Markdown, not HTML
    )
    env.filters["docstring"] = docstring
    env.filters["path_template"] = path_template
    env.filters["dict_literal"] = dict_literal
    env.filters["call_arguments"] = call_arguments
    return env


def render_package(
    api: Api,
    document: Mapping[str, Any],
    models_source: str,
    user_templates: Path | None = None,
) -> dict[str, str]:
    """Every file of the generated project, by path relative to its root."""
    env = environment(user_templates)
    operation_models = sorted(
        {op.response_model for op in api.operations}
        | {op.request_model for op in api.operations if op.request_model and not op.fixed_body}
    )
    error_names = sorted(
        ["ModelArtsError", "APIConnectionError", "APITimeoutError", "InvalidResponseError"]
        + ["APIStatusError", "ServerError"]
        + [status.class_name for status in api.error_statuses]
        + [code.class_name for status in api.error_statuses for code in status.codes]
    )
    context = {
        "api": api,
        "package": PACKAGE,
        "distribution": DISTRIBUTION,
        "version": VERSION,
        "models": operation_models,
        "error_names": error_names,
        "exports": sorted(
            ["AkSkAuth", "AsyncClient", "Client", "RetryPolicy", "TokenAuth"]
            + error_names
            + operation_models
        ),
    }
    files = {
        f"{PACKAGE}/{name}": env.get_template(t).render(context)
        for name, t in PACKAGE_TEMPLATES.items()
    }
    files.update(
        {name: env.get_template(t).render(context) for name, t in PROJECT_TEMPLATES.items()}
    )
    files[f"{PACKAGE}/models.py"] = models_source
    files[f"{PACKAGE}/py.typed"] = ""
    files[f"{PACKAGE}/openapi.json"] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return dict(sorted(files.items()))


def docstring(text: str, indent: int) -> str:
    """Text safe inside a triple-quoted docstring, continuation lines indented by ``indent``."""
    safe = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = safe.splitlines()
    return (
        "\n".join([lines[0], *((" " * indent + line) if line else "" for line in lines[1:])])
        if lines
        else ""
    )


def path_template(path: str) -> str:
    """An OpenAPI path as the body of a Python f-string, each parameter escaped as a segment."""
    return re.sub(r"{([^}]+)}", r"{_segment(\1)}", path)


def dict_literal(pairs: tuple[tuple[str, str], ...]) -> str:
    """A Python dict literal of string pairs, double-quoted as the formatter wants."""
    return json.dumps(dict(pairs))


def call_arguments(op: Operation, api: Api) -> str:
    """The arguments a client method passes to its operation's request builder."""
    names = [f"self._{p}" if p in api.client_params else p for p in op.path_params]
    if op.request_model and not op.fixed_body:
        names.append("body")
    return ", ".join(names)
