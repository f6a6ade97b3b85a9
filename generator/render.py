"""Render the generated package's files from the intermediate representation with Jinja2."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.call_options import option_names, option_params
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
        call_options=call_options,
        answer_reader=answer_reader,
        streams=streams,
        returned=returned,
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
    model_names: list[str],
    user_templates: Path | None = None,
    *,
    usage: Usage | None = None,
    folder: str | None = None,
) -> dict[str, str]:
    """Every file of the generated project but its models (:func:`render_models_module`), by
    path relative to its root; ``folder`` is the name of the folder it is written to (the
    README's install line names it)."""
    env = environment(user_templates)
    package = identity.package
    error_names = sorted(
        [identity.base_error, *FIXED_CLASSES]
        + [status.class_name for status in api.error_statuses]
        + [code.class_name for status in api.error_statuses for code in status.codes],
        key=_import_order,
    )
    auth_names = [scheme.class_name for scheme in api.auth_schemes]
    streamed = any(streams(op) for op in api.operations)
    stream_names = ["AsyncEventStream", "EventStream", "EventStreamError", "ServerSentEvent"]
    runtime = ["RawResponse", *(stream_names * streamed)]
    public = {"AsyncClient", "Client", "RetryPolicy", *runtime, *auth_names, *error_names}
    # Models are exported at the top level too, unless a name there is already taken.
    exported_models = sorted(
        (name for name in model_names if name not in public), key=_import_order
    )
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
        "streams": streamed,
        "stdlib_modules": [m for m in ("datetime", "uuid") if re.search(rf"\b{m}\.", annotations)],
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
    if context["streams"]:
        templates["_sse.py"] = "_sse.py.jinja2"
    files = {
        f"{package}/{name}": env.get_template(t).render(context) for name, t in templates.items()
    }
    files.update(
        {name: env.get_template(t).render(context) for name, t in PROJECT_TEMPLATES.items()}
    )
    files[f"{package}/py.typed"] = ""
    files[f"{package}/openapi.json"] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return dict(sorted(files.items()))


def render_models_module(
    package: str, models_source: str, user_templates: Path | None = None
) -> dict[str, str]:
    """The package's models: ``models.py`` as the library wrote it, or, when its models can be
    defined lazily, the library's text in ``_models.py`` and a ``models.py`` that runs each
    model's statement the first time its name is used."""
    lazy = lazy_statements(models_source)
    if lazy is None:
        return {f"{package}/models.py": models_source}
    prelude_end, statements = lazy
    lazy_module = (
        environment(user_templates)
        .get_template("models.py.jinja2")
        .render(package=package, prelude_end=prelude_end, statements=statements)
    )
    return {f"{package}/_models.py": models_source, f"{package}/models.py": lazy_module}


def _import_order(name: str) -> tuple[int, str, str]:
    """The order the formatter (isort's rules) gives the names of one ``from … import``:
    constants, then classes, then the rest, each case-insensitively (``ParameterConstraint``
    before ``ParamType``)."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower(), name


def _typing_import(annotations: str, cast: bool) -> str:
    names = ["Self", "TypeVar"]
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


def answer_branches(op: Operation, is_async: bool = False) -> list[Branch]:
    """How ``_<op>_response`` reads each documented success answer, most specific first (a
    stream of events before any other answer of its status)."""
    if not op.answers:
        return [Branch("", "None")]
    ordered = sorted(
        op.answers,
        key=lambda a: (a.status == "default", "X" in a.status, a.status, a.kind != "event-stream"),
    )
    expressions = [_answer_expression(answer, is_async) for answer in ordered]
    if len(set(expressions)) == 1:
        return [Branch("", expressions[0])]
    branches = [
        Branch(_answer_condition(answer, ordered), expression)
        for answer, expression in zip(ordered[:-1], expressions[:-1], strict=True)
    ]
    return [*branches, Branch("", expressions[-1])]


def _answer_condition(answer: Answer, answers: list[Answer]) -> str:
    if answer.kind != "event-stream":
        return _condition(answer.status)
    if all(other.status == answer.status for other in answers):
        return "is_event_stream(response)"
    return f"{_condition(answer.status)} and is_event_stream(response)"


def _condition(status: str) -> str:
    if status.isdigit():
        return f"response.status_code == {int(status)}"
    first = int(status[0]) * 100
    return f"{first} <= response.status_code < {first + 100}"


def _answer_expression(answer: Answer, is_async: bool = False) -> str:
    if answer.kind == "event-stream":
        stream = "AsyncEventStream" if is_async else "EventStream"
        return f"{stream}[{answer.annotation}](response, {answer.annotation})"
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


def signature(
    op: Operation, keyword: str, method: bool, is_async: bool = False, raw: bool = False
) -> str:
    """The ``def`` line of an operation's method (``method``; ``raw`` on ``with_raw_response``)
    or request builder, wrapped the way the formatter wraps it when it is too long."""
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
    if method:
        params += ([] if keyword_params else ["*"]) + option_params(op)
    name = op.name if method else f"_{op.name}_request"
    returns = _returns(op, is_async)
    returns = f"RawResponse[{returns}]" if raw else returns
    return def_line(keyword, name, params, returns if method else "Call", 4 if method else 0)


def call_options(op: Operation) -> str:
    """The :class:`CallOptions` a method builds from its options."""
    return f"CallOptions({', '.join(option_names(op))})"


def streams(op: Operation) -> bool:
    """Whether an answer of ``op`` may be a stream of server-sent events."""
    return any(answer.kind == "event-stream" for answer in op.answers)


def answer_reader(op: Operation, is_async: bool) -> str:
    """The function that reads ``op``'s answer for the (a)synchronous client."""
    return f"_{op.name}_async_response" if is_async and streams(op) else f"_{op.name}_response"


def _returns(op: Operation, is_async: bool) -> str:
    return (
        re.sub(r"(?<![\w.])EventStream\[", "AsyncEventStream[", op.returns)
        if is_async
        else op.returns
    )


def _optional(annotation: str) -> str:
    """An optional argument's annotation and default."""
    if annotation == "Any" or annotation.endswith("| None"):
        return f"{annotation} = None"
    return f"{annotation} | None = None"


def response_signature(op: Operation, is_async: bool = False) -> str:
    """The ``def`` line of an operation's answer reader (for the asynchronous client)."""
    name = answer_reader(op, is_async)
    return def_line("def", name, ["response: httpx.Response"], _returns(op, is_async), 0)


def def_line(keyword: str, name: str, params: list[str], returns: str, indent: int) -> str:
    """A ``def`` line at ``indent``, wrapped as the formatter wraps one too long for a line (the
    first line is returned without its indentation)."""
    pad = " " * indent
    tail = f") -> {returns}:"
    one_line = f"{pad}{keyword} {name}(" + ", ".join(params) + tail
    if len(one_line) <= LINE_LENGTH:
        return one_line[indent:]
    if len(pad + tail) > LINE_LENGTH:
        tail = _wrapped_returns(returns, indent)
    inner = f"{pad}    " + ", ".join(params)
    if len(inner) <= LINE_LENGTH and "*" not in params and len(params) > 1:
        return f"{keyword} {name}(\n{inner}\n{pad}{tail}"
    lines = "".join(f"{pad}    {param},\n" for param in params)
    return f"{keyword} {name}(\n{lines}{pad}{tail}"


def _wrapped_returns(returns: str, indent: int) -> str:
    """The end of a ``def`` whose return annotation is too long for its line, laid out as the
    formatter does: a subscript split inside its brackets, a union inside parentheses."""
    pad = " " * indent
    members = _union_members(returns)
    if len(members) == 1 and returns.endswith("]") and "[" in returns:
        head, inner = returns[:-1].split("[", 1)
        return f") -> {head}[\n{_union_lines(inner, indent + 4)}\n{pad}]:"
    return f") -> (\n{_union_lines(returns, indent + 4)}\n{pad}):"


def _union_lines(annotation: str, indent: int) -> str:
    """An annotation on one line of its own when it fits, else one member of its union a line."""
    pad = " " * indent
    if len(pad + annotation) <= LINE_LENGTH:
        return pad + annotation
    members = _union_members(annotation)
    return f"{pad}{members[0]}" + "".join(f"\n{pad}| {member}" for member in members[1:])


def _union_members(annotation: str) -> list[str]:
    return _split(annotation, "|")


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside brackets and string literals."""
    parts: list[str] = []
    depth, start = 0, 0
    for index, char in _unquoted(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    return [*parts, text[start:].strip()]


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


def returned(expression: str, indent: int) -> str:
    """``return expression`` at ``indent``; a call too long for a line wrapped as the formatter
    wraps it (the first line is returned without its indentation)."""
    line = f"return {expression}"
    opening = _call_opening(expression)
    if indent + len(line) <= LINE_LENGTH or opening is None:
        return line
    return wrapped_call(
        f"return {expression[:opening]}", _split(expression[opening + 1 : -1], ","), indent
    )


def _call_opening(expression: str) -> int | None:
    """Where the argument list that ends ``expression`` opens, if it is a call."""
    depth, opening = 0, None
    for index, char in _unquoted(expression):
        if char in "([{":
            opening = index if depth == 0 else opening
            depth += 1
        elif char in ")]}":
            depth -= 1
    if opening is None or expression[opening] != "(" or not expression.endswith(")"):
        return None
    return opening


def _unquoted(text: str) -> list[tuple[int, str]]:
    """The characters of ``text`` outside its string literals, with their positions."""
    found: list[tuple[int, str]] = []
    quote, escaped = "", False
    for index, char in enumerate(text):
        if not quote:
            if char in "\"'":
                quote = char
            else:
                found.append((index, char))
        elif escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == quote:
            quote = ""
    return found


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
            fstring_text(part.text)
            if part.parameter is None
            else f"{{segment({part.parameter}, {part.parameter!r})}}"
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
