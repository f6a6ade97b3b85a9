"""Render ``models.py`` of the generated package with datamodel-code-generator's library API."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.defaults import fix_defaults
from generator.keywords import with_subschemas
from generator.model_cache import ModelCache
from generator.problems import SpecError, SpecProblems, pointer
from generator.refs import has_external_refs
from generator.reshape import reshape

MODEL_TEMPLATES = Path(__file__).parent / "templates" / "models"
HEADER = '"""Pydantic models of the API, generated from its OpenAPI document: do not edit."""'

#: Every datamodel-code-generator option in one place. The ``Enum`` template's ``_missing_`` and
#: :func:`open_models` keep what the service sends before the document knows it. Enumerations by
#: their values, so that a run answered from the cache does not import the library.
OPTIONS: dict[str, Any] = {
    "input_file_type": "openapi",
    "output_model_type": "pydantic_v2.BaseModel",
    "target_python_version": "3.11",
    "use_annotated": True,
    "field_constraints": True,
    "use_double_quotes": True,
    "disable_timestamp": True,
    "use_schema_description": True,
    "use_field_description": True,
    "set_default_enum_member": True,
    # Also renames a member spelled like an attribute of its base (``replace`` -> ``replace_``,
    # value kept): ``StrEnum.replace = "replace"`` would override the method and fail mypy.
    "use_subclass_enum": True,
    "custom_template_dir": MODEL_TEMPLATES,
    "custom_file_header": HEADER,
    # The builtin formatter is pinned with the generator itself, so output stays byte-stable
    # whatever ruff or black version a maintainer has installed.
    "formatters": ["builtin"],
    "builtin_format_line_length": 100,
    # ``format`` is an annotation in JSON Schema: a string that is no address still validates
    # against the document, so the client must not reject it. EmailStr would, and ULID too; and
    # they need email-validator and python-ulid at run time, which a client has no use for.
    "type_mappings": ["string+email=string", "string+idn-email=string", "string+ulid=string"],
}

#: Where a model's schema is in the document, by class name; the library's warnings name classes.
Origins = Mapping[str, str]
#: Told each warning of the library's about the document, located.
Warn = Callable[[SpecError], None]


@dataclasses.dataclass(frozen=True)
class LibraryRun:
    """What one run of datamodel-code-generator gave: its code (ending in a newline), or why it
    refused the document (one line); and its warnings about the document, one line each."""

    code: str | None
    refusal: str | None = None
    messages: tuple[str, ...] = ()


#: Waits for a run of the library and gives what it gave.
Running = Callable[[], LibraryRun]
#: Starts the library on a models document's text, from its folder, with these options: in this
#: process (:func:`run_library`, when waited for) or in another
#: (:class:`generator.worker.ModelWorker`, at once).
Runner = Callable[[str, Path | None, Mapping[str, Any]], Running]


def render_models(document: Mapping[str, Any], source: str, **options: Any) -> str:
    """The source of ``models.py`` for the document's schemas, ending in a newline: what
    :func:`request_models` promises (with the same options), waited for."""
    return request_models(document, source, **options)()


def request_models(
    document: Mapping[str, Any],
    source: str,
    *,
    base_path: Path | None = None,
    allow_external_refs: bool = False,
    cache: ModelCache | None = None,
    aliases: Mapping[str, str] | None = None,
    origins: Origins | None = None,
    warn: Warn | None = None,
    runner: Runner | None = None,
) -> Callable[[], str]:
    """Start rendering ``models.py`` for the document's schemas; the returned function waits for
    its source (ending in a newline), or raises :class:`SpecProblems` if the library refuses.

    Relative ``$ref`` files are read from ``base_path`` (the document's folder). Unless
    ``allow_external_refs``, the library itself refuses to fetch remote references or to read
    files outside ``base_path``: a second lock behind :func:`generator.refs.check_refs`. With a
    ``cache``, a self-contained document rendered before is answered from it. ``aliases`` names
    the fields of properties the library would name wrong (property → field name). The library's
    warnings about the document go to ``warn``, located through ``origins`` (a class name to
    its schema's pointer), from the cache too, when the source is waited for. ``runner`` runs
    the library (default: in this process, when the source is waited for).
    """
    text = json.dumps(open_models(reshape(sorted_components(document))))
    options = {**OPTIONS, "aliases": dict(sorted(aliases.items()))} if aliases else OPTIONS
    key = None
    if cache is not None and not has_external_refs(document):
        key = cache.key(text, repr(sorted(options.items())), *_template_texts())
        cached = cache.get(key)
        if cached is not None:
            told = cache.get(ModelCache.key(key, _WARNINGS))

            def from_cache() -> str:
                _tell(json.loads(told) if told else [], origins or {}, document, warn)
                return _rewritten(cached)

            return from_cache
    running = (runner or _in_process)(
        text, base_path, {**options, "allow_remote_refs": allow_external_refs}
    )

    def finish() -> str:
        run = running()
        if run.code is None:
            refusal = run.refusal or "no models were generated"
            raise SpecProblems(source, [SpecError("/components/schemas", refusal)])
        messages = list(run.messages)
        _tell(messages, origins or {}, document, warn)
        if key is not None and cache is not None:
            cache.put(key, run.code)
            if messages:
                # Unlocated: another document with the same models may name its schemas otherwise.
                cache.put(ModelCache.key(key, _WARNINGS), json.dumps(messages))
        # After the cache, which holds the library's own output: a cached entry gets them too.
        return _rewritten(run.code)

    return finish


def _in_process(text: str, base_path: Path | None, options: Mapping[str, Any]) -> Running:
    return lambda: run_library(text, base_path, options)


#: What the cache keeps the library's warnings of an entry under, beside its key.
_WARNINGS = "warnings"


def _tell(
    messages: list[str], origins: Origins, document: Mapping[str, Any], warn: Warn | None
) -> None:
    if warn is None or not messages:
        return
    properties = _properties(document)
    for message in messages:
        warn(library_warning(message, origins, properties))


def _rewritten(code: str) -> str:
    return fix_defaults(parametrise_bare_generics(code), OPTIONS["builtin_format_line_length"])


#: A model the library names in a warning, and the field if it names one: ``Card.url``.
_NAMED = re.compile(r"\b([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\b")


def library_warning(
    message: str, origins: Origins, properties: Mapping[str, frozenset[str]] | None = None
) -> SpecError:
    """One of the library's warnings (on one line) as a warning about the document: at the
    schema of the first model it names (and at the property, when the schema has one of the
    name the warning gives), else at ``/components/schemas``."""
    for match in _NAMED.finditer(message):
        origin = origins.get(match.group(1))
        if origin is not None:
            field = match.group(2)
            if field is not None and field in (properties or {}).get(match.group(1), ()):
                origin += pointer("properties", field)
            return SpecError(origin, message)
    return SpecError("/components/schemas", message)


def _properties(document: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    if not isinstance(schemas, Mapping):
        return {}
    return {
        name: frozenset(schema["properties"])
        for name, schema in schemas.items()
        if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping)
    }


def run_library(text: str, base_path: Path | None, options: Mapping[str, Any]) -> LibraryRun:
    """datamodel-code-generator's models for ``text``, a document in JSON, whose relative
    references are read from ``base_path``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Imported here: a run answered from the cache never pays for the library's import.
        from datamodel_code_generator import generate

        try:
            # The library resolves the relative references of a document given as text against
            # the working folder, and has no option to say another.
            with contextlib.chdir(base_path or Path.cwd()):
                code = generate(text, **options)
        except Exception as error:  # noqa: BLE001 - the library raises many types; all mean a bad spec
            # Its messages span lines (reason, hints): one line, as every spec problem is.
            return LibraryRun(None, " ".join(str(error).split()))
    told = tuple(
        " ".join(str(warning.message).split())
        for warning in caught
        # Notices to this generator's maintainers (Jinja2 becoming an extra), not about the
        # document.
        if not issubclass(warning.category, (FutureWarning, DeprecationWarning))
    )
    if not isinstance(code, str):
        return LibraryRun(None, "no models were generated")
    # The library returns the code without the final newline its CLI writes.
    return LibraryRun(code if code.endswith("\n") else code + "\n", None, told)


#: A root model the library rendered over a bare ``list``/``dict`` (it does so for an array whose
#: items refer back to the array itself); only column-0 class lines and their ``root`` field.
_BARE_ROOT = re.compile(
    r"^(class \w+\(RootModel\[|    root: )(list|dict)(?=\]\):$|$| =)", re.MULTILINE
)
_TYPING_IMPORT = re.compile(r"^from typing import (.+)$", re.MULTILINE)
_PARAMETERS = {"list": "list[Any]", "dict": "dict[str, Any]"}


def parametrise_bare_generics(code: str) -> str:
    """``code`` with every bare ``list``/``dict`` of a root model given ``Any`` parameters.

    ``RootModel[list]`` fails ``mypy --strict`` (``[type-arg]``); ``Any`` is what the library
    knew of the items, so the model accepts the same values and the package type-checks.
    """
    fixed, count = _BARE_ROOT.subn(lambda m: m.group(1) + _PARAMETERS[m.group(2)], code)
    if not count:
        return code
    typing = _TYPING_IMPORT.search(fixed)
    if typing is None:
        future = "from __future__ import annotations\n"
        head, found, tail = fixed.partition(future)
        return head + found + "\nfrom typing import Any\n" + tail if found else fixed
    names = {name.strip() for name in typing.group(1).split(",")} | {"Any"}
    line = f"from typing import {', '.join(sorted(names))}"
    return fixed[: typing.start()] + line + fixed[typing.end() :]


def _template_texts() -> list[str]:
    return [
        f"{path.name}\n{path.read_text(encoding='utf-8')}"
        for path in sorted(MODEL_TEMPLATES.rglob("*.jinja2"))
    ]


def sorted_components(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with each components section sorted by name.

    datamodel-code-generator emits models in input order, so sorting makes the output independent
    of how the spec's author ordered the components.
    """
    result = dict(document)
    components = document.get("components")
    if isinstance(components, dict):
        result["components"] = {
            section: dict(sorted(value.items())) if isinstance(value, dict) else value
            for section, value in sorted(components.items())
        }
    return result


def open_models(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with every object schema of ``components/schemas`` open or closed explicitly.

    A model keeps the fields the service sends that the document does not list yet
    (``additionalProperties: true``, pydantic's ``extra="allow"``), so an older client survives a
    newer service. An object the document closes (``additionalProperties: false`` or
    ``unevaluatedProperties: false``) still accepts an answer with unknown fields, which the
    service may add whatever its document once promised, but drops them (pydantic's default,
    ``extra="ignore"``): the model never holds, nor sends back, a field the document rules out.
    """
    result = dict(document)
    components = document.get("components")
    if isinstance(components, Mapping) and isinstance(components.get("schemas"), Mapping):
        schemas = {name: _open(schema) for name, schema in components["schemas"].items()}
        result["components"] = {**components, "schemas": schemas}
    return result


def _open(schema: Any) -> Any:
    if not isinstance(schema, Mapping):
        return schema
    result = with_subschemas(schema, _open)
    if "properties" in result or result.get("type") == "object":
        closed = [key for key in _CLOSING if result.get(key) is False]
        for key in closed:
            del result[key]
        if not closed:
            result.setdefault("additionalProperties", True)
    elif _merges_open_objects(schema):
        result.setdefault("additionalProperties", True)
    return result


_CLOSING = ("additionalProperties", "unevaluatedProperties")


def _merges_open_objects(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema`` is an ``allOf`` the library merges into a class of its own (no ``$ref``
    among its branches to inherit a config from) out of inline objects none of which is closed.
    Marked open on its branches only, such a class would drop the fields it does not list."""
    branches = schema.get("allOf")
    if not isinstance(branches, list) or schema.get("type", "object") != "object":
        return False
    if not all(isinstance(branch, Mapping) and "$ref" not in branch for branch in branches):
        return False
    if any(branch.get(key) is False for branch in branches for key in _CLOSING):
        return False
    return any("properties" in branch or branch.get("type") == "object" for branch in branches)
