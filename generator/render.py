"""Render the generated package's files from the intermediate representation with Jinja2."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.config import Identity
from generator.distribution import Metadata
from generator.error_catalog import FIXED_CLASSES
from generator.escape import (
    docstring,
    fstring_text,
    md_block,
    md_code,
    md_text,
    py_str,
    toml_str,
)
from generator.ir import Answer, Api, Operation
from generator.lazy_models import lazy_statements
from generator.readme import Usage, auth_arguments, install_line

TEMPLATES = Path(__file__).parent / "templates"
#: Package file → template. Each template renders exactly one file.
PACKAGE_TEMPLATES = {
    "__init__.py": "__init__.py.jinja2",
    "_retry.py": "_retry.py.jinja2",
    "_wire.py": "_wire.py.jinja2",
    "client.py": "client.py.jinja2",
    "constants.py": "constants.py.jinja2",
    "errors.py": "errors.py.jinja2",
}
PROJECT_TEMPLATES = {"pyproject.toml": "pyproject.toml.jinja2", "README.md": "README.md.jinja2"}
LINE_LENGTH = 100


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; a template in ``user_templates`` overrides ours of the same name."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(TEMPLATES)]
    if user_templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(user_templates))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Python, TOML and Markdown: see generator.escape
        bytecode_cache=_compiled_templates(),
    )
    env.filters.update(
        docstring=docstring,
        py_str=py_str,
        toml_str=toml_str,
        md_text=md_text,
        md_block=md_block,
        md_code=md_code,
        auth_arguments=auth_arguments,
        statement_entry=statement_entry,
        signature=signature,
        call_arguments=call_arguments,
        path_literal=path_literal,
        answer_branches=answer_branches,
        fixed_json=fixed_json,
        wrapped_call=wrapped_call,
        tuple_literal=tuple_literal,
        response_signature=response_signature,
    )
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    # Compiling the templates is a tenth of a run. Jinja keeps the compiled code per user (an
    # owner-only folder under the temporary folder, keyed by each template's source), as Python
    # keeps .pyc files; where it cannot have that folder, the templates are compiled each time.
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def render_package(
    api: Api,
    identity: Identity,
    meta: Metadata,
    document: Mapping[str, Any],
    models_source: str,
    model_names: list[str],
    user_templates: Path | None = None,
    *,
    usage: Usage | None = None,
    folder: str | None = None,
) -> dict[str, str]:
    """Every file of the generated project, by path relative to its root; ``folder`` is the
    name of the folder it is written to (the README's install line names it)."""
    env = environment(user_templates)
    package = identity.package
    error_names = sorted(
        [identity.base_error, *FIXED_CLASSES]
        + [status.class_name for status in api.error_statuses]
        + [code.class_name for status in api.error_statuses for code in status.codes]
    )
    auth_names = [scheme.class_name for scheme in api.auth_schemes]
    public = {"AsyncClient", "Client", "RetryPolicy", *auth_names, *error_names}
    # Models are exported at the top level too, unless a name there is already taken.
    exported_models = sorted(name for name in model_names if name not in public)
    annotations = " ".join(
        [op.returns for op in api.operations]
        + [p.annotation for op in api.operations for p in op.parameters]
        + [p.annotation for p in api.client_params]
        + [op.body.annotation for op in api.operations if op.body is not None]
    )
    context = {
        "api": api,
        "package": package,
        "distribution": identity.distribution,
        "base_error": identity.base_error,
        "meta": meta,
        "usage": usage or Usage(api.operations[0] if api.operations else None, (), ()),
        "install": install_line(folder or identity.distribution),
        "models": exported_models,
        "error_names": error_names,
        "auth_names": auth_names,
        "signing": any(scheme.kind == "sdk_hmac_sha256" for scheme in api.auth_schemes),
        "uses_models": "models." in annotations,
        "typing_import": _typing_import(annotations, "cast" in _wire_names(api, all_names=True)),
        "wire_names": _wire_names(api),
        "exports": sorted(public | set(exported_models)),
        "error_codes": [
            f"({status.status}, {py_str(code.error_code)})"
            for status in api.error_statuses
            for code in status.documented
        ],
        "error_fields": [
            f"({py_str(code)}, {py_str(message)})"
            for code, message in (api.envelope.fields if api.envelope else ())
        ],
    }
    templates = dict(PACKAGE_TEMPLATES)
    if api.auth_schemes:
        templates["auth.py"] = "auth.py.jinja2"
    if context["signing"]:
        templates["signing.py"] = "signing.py.jinja2"
    files = {
        f"{package}/{name}": env.get_template(t).render(context) for name, t in templates.items()
    }
    files.update(
        {name: env.get_template(t).render(context) for name, t in PROJECT_TEMPLATES.items()}
    )
    lazy = lazy_statements(models_source)
    if lazy is None:
        files[f"{package}/models.py"] = models_source
    else:
        prelude_end, statements = lazy
        files[f"{package}/_models.py"] = models_source
        files[f"{package}/models.py"] = env.get_template("models.py.jinja2").render(
            package=package, prelude_end=prelude_end, statements=statements
        )
    files[f"{package}/py.typed"] = ""
    files[f"{package}/openapi.json"] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return dict(sorted(files.items()))


def _typing_import(annotations: str, cast: bool) -> str:
    names = ["Self"]
    if re.search(r"\bAny\b", annotations):
        names.append("Any")
    if "Literal[" in annotations:
        names.append("Literal")
    if cast:
        names.append("cast")
    return f"from typing import {', '.join(sorted(names))}"


def _wire_names(api: Api, all_names: bool = False) -> list[str]:
    names = set()
    for op in api.operations:
        if op.path_parts and any(part.parameter for part in op.path_parts):
            names.add("segment")
        for answer in op.answers:
            expression = _answer_expression(answer)
            names.update(re.findall(r"\b(parse_json_as|parse_json|parse_any|cast)\b", expression))
    return sorted(names if all_names else names - {"cast"})


@dataclass(frozen=True)
class Branch:
    """One ``if`` of an answer-reading function; the last one has no condition."""

    condition: str
    expression: str


def answer_branches(op: Operation) -> list[Branch]:
    """How ``_<op>_response`` reads each documented success answer, most specific first."""
    if not op.answers:
        return [Branch("", "None")]
    ordered = sorted(op.answers, key=lambda a: (a.status == "default", "X" in a.status, a.status))
    expressions = [_answer_expression(answer) for answer in ordered]
    if len(set(expressions)) == 1:
        return [Branch("", expressions[0])]
    branches = [
        Branch(_condition(answer.status), expression)
        for answer, expression in zip(ordered[:-1], expressions[:-1], strict=True)
    ]
    return [*branches, Branch("", expressions[-1])]


def _condition(status: str) -> str:
    if status.isdigit():
        return f"response.status_code == {int(status)}"
    first = int(status[0]) * 100
    return f"{first} <= response.status_code < {first + 100}"


def _answer_expression(answer: Answer) -> str:
    if answer.kind == "empty":
        return "None"
    if answer.kind == "text":
        return "response.text"
    if answer.kind == "binary":
        return "response.content"
    if answer.annotation == "Any":
        return "parse_any(response)"
    if "|" in answer.annotation or "Literal[" in answer.annotation:
        return f"cast({py_str(answer.annotation)}, parse_json_as({answer.annotation}, response))"
    return f"parse_json({answer.annotation}, response)"


def signature(op: Operation, keyword: str, method: bool) -> str:
    """The ``def`` line of an operation's method (``method``) or request builder, wrapped the
    way the formatter wraps it when it is too long."""
    params = ["self"] if method else []
    path_params = [
        p for p in op.parameters if p.location == "path" and not (method and p.client_level)
    ]
    params += [f"{p.name}: {p.annotation}" for p in path_params]
    body = op.body_param
    if body is not None:
        params.append(
            f"body: {body.annotation}" if body.required else f"body: {_optional(body.annotation)}"
        )
    keyword_params = op.keyword_params
    if keyword_params:
        params.append("*")
        params += [
            f"{p.name}: {p.annotation}" if p.required else f"{p.name}: {_optional(p.annotation)}"
            for p in keyword_params
        ]
    name = op.name if method else f"_{op.name}_request"
    return def_line(keyword, name, params, op.returns if method else "Call", 4 if method else 0)


def _optional(annotation: str) -> str:
    """An optional argument's annotation and default."""
    if annotation == "Any" or annotation.endswith("| None"):
        return f"{annotation} = None"
    return f"{annotation} | None = None"


def response_signature(op: Operation) -> str:
    """The ``def`` line of an operation's answer reader."""
    return def_line("def", f"_{op.name}_response", ["response: httpx.Response"], op.returns, 0)


def def_line(keyword: str, name: str, params: list[str], returns: str, indent: int) -> str:
    """A ``def`` line at ``indent``, wrapped as the formatter wraps one too long for a line (the
    first line is returned without its indentation)."""
    pad = " " * indent
    tail = f") -> {returns}:"
    one_line = f"{pad}{keyword} {name}(" + ", ".join(params) + tail
    if len(one_line) <= LINE_LENGTH:
        return one_line[indent:]
    inner = f"{pad}    " + ", ".join(params)
    if len(inner) <= LINE_LENGTH and "*" not in params and len(params) > 1:
        return f"{keyword} {name}(\n{inner}\n{pad}{tail}"
    lines = "".join(f"{pad}    {param},\n" for param in params)
    return f"{keyword} {name}(\n{lines}{pad}{tail}"


def wrapped_call(head: str, arguments: list[str], indent: int) -> str:
    """``head(arguments)`` at ``indent``, wrapped as the formatter wraps a call too long for a
    line (the first line is returned without its indentation)."""
    pad = " " * indent
    one_line = f"{pad}{head}({', '.join(arguments)})"
    if len(one_line) <= LINE_LENGTH:
        return one_line[indent:]
    inner = f"{pad}    {', '.join(arguments)}"
    if len(inner) <= LINE_LENGTH:
        return f"{head}(\n{inner}\n{pad})"
    lines = "".join(f"{pad}    {argument},\n" for argument in arguments)
    return f"{head}(\n{lines}{pad})"


def tuple_literal(target: str, items: list[str]) -> str:
    """``target = (items)`` as the formatter lays it out: on one line when it fits."""
    if len(items) == 1 and len(f"{target} = ({items[0]},)") <= LINE_LENGTH:
        return f"{target} = ({items[0]},)"
    return (
        f"{target} = ("
        + "".join(f"\n    {item}," for item in items)
        + ("\n" if items else "")
        + ")"
    )


def call_arguments(op: Operation) -> list[str]:
    """The arguments a client method passes to its operation's request builder."""
    names = [
        f"self._{p.name}" if p.client_level else p.name
        for p in op.parameters
        if p.location == "path"
    ]
    if op.body_param is not None:
        names.append("body")
    names += [f"{p.name}={p.name}" for p in op.keyword_params]
    return names


def path_literal(op: Operation) -> str:
    """The operation's path as a string literal, an f-string when it has parameters."""
    if not any(part.parameter for part in op.path_parts):
        return py_str("".join(part.text for part in op.path_parts))
    return (
        'f"'
        + "".join(
            fstring_text(part.text) if part.parameter is None else f"{{segment({part.parameter})}}"
            for part in op.path_parts
        )
        + '"'
    )


def statement_entry(name: str, statement: tuple[int, int, tuple[str, ...]]) -> str:
    """``"Name": (first, last, ("Used", …)),`` of the lazy models table, at indent 4, laid out
    as the formatter lays it out (the first line returned without its indentation)."""
    first, last, used = statement
    names = [py_str(used_name) for used_name in used]
    inner = f"({names[0]},)" if len(names) == 1 else "(" + ", ".join(names) + ")"
    line = f"    {py_str(name)}: ({first}, {last}, {inner}),"
    if len(line) <= LINE_LENGTH:
        return line[4:]
    if len(f"        {inner},") > LINE_LENGTH:
        inner = "(\n" + "".join(f"            {n},\n" for n in names) + "        )"
    return f"{py_str(name)}: (\n        {first},\n        {last},\n        {inner},\n    ),"


def fixed_json(pairs: tuple[tuple[str, str], ...]) -> str:
    """The JSON text of a fixed request body."""
    return json.dumps(dict(pairs))
