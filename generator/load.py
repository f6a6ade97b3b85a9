"""Resolve an OpenAPI document into the intermediate representation of :mod:`generator.ir`.

Problems are collected as :class:`~generator.problems.SpecError` values while walking the whole
document, then reported together, so one run shows a maintainer everything to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.call_options import CALL_OPTIONS
from generator.constants import constants
from generator.error_catalog import envelope, error_statuses
from generator.events import EVENT_STREAM, event_data_schema
from generator.ir import Answer, Api, Body, ClientParameter, Operation, Parameter, PathPart
from generator.names import pascal, snake, unique
from generator.problems import SpecError, SpecProblems, pointer
from generator.refs import references
from generator.schemas import SchemaTypes, lookup
from generator.security import TRANSPORT_HEADERS, auth_schemes
from generator.spec import Spec

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
LOCATIONS = ("path", "query", "header", "cookie")
#: Names an operation's method or request builder reads or binds besides its parameters (the
#: client templates' locals, helpers and modules, the builtins its annotations name) and the
#: per-call options every method takes: a parameter spelled so gets a trailing ``_``.
RESERVED_PARAMETERS = frozenset(
    {
        "self", "body", "call", "response", "segment", "cast", "models", "httpx", "pydantic",
        "datetime", "uuid", "str", "int", "float", "bool", "bytes", "list", "dict", "object",
        "type", "Any", "Literal", "None", "timeout", "extra_headers", "extra_query", "extra_body",
    }
    | CALL_OPTIONS
)  # fmt: skip
#: What a client-level parameter may not be called besides those: the constructors' keyword
#: arguments, and the names of the clients' own attributes (it is kept as ``self._<name>``).
CLIENT_RESERVED = RESERVED_PARAMETERS | {
    "auth", "base_url", "retry", "headers", "transport", "sleep", "http", "send",
}  # fmt: skip
#: Public methods every client has besides the operations, and the names the clients' annotations
#: read (modules, builtins): a method ``models`` or ``list`` would shadow them for the rest of the
#: class body, and mypy would then reject ``models.X`` or ``list[...]``.
RESERVED_METHODS = frozenset(
    {"close", "models", "httpx", "datetime", "uuid", "str", "int", "float", "bool", "bytes"}
    | {"list", "dict", "object", "type", "with_raw_response", "with_options"}
)
_PATH_PARAMETER = re.compile(r"{([^{}]*)}")


def load_api(
    spec: Spec,
    warnings: list[SpecError] | None = None,
    reserved_classes: frozenset[str] = frozenset(),
) -> tuple[Api, SchemaTypes]:
    """Resolve the document into an :class:`Api` and the schemas its models are rendered from;
    :class:`SpecProblems` lists every problem. What was read leniently (a path parameter the
    operation does not declare) is added to ``warnings``. No auth or error class takes a name of
    ``reserved_classes`` (the package's base error)."""
    resolver = _Resolver(spec.document, reserved_classes)
    try:
        api = resolver.api()
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        # A shape the resolver does not check field by field (a list where a mapping belongs…):
        # still a problem of the spec, reported with what was found so far, never a traceback.
        found = [*resolver.errors, SpecError("", f"malformed document ({error!r})")]
        raise SpecProblems(spec.source, found) from None
    if resolver.errors:
        raise SpecProblems(spec.source, resolver.errors)
    if warnings is not None:
        warnings.extend(resolver.warnings)
    return api, resolver.types


@dataclass
class _Resolver:
    document: Mapping[str, Any]
    reserved_classes: frozenset[str] = frozenset()
    errors: list[SpecError] = field(default_factory=list)
    warnings: list[SpecError] = field(default_factory=list)
    #: Wire name of a client-level parameter → its Python name, the same in every operation.
    client_names: dict[str, str] = field(default_factory=dict)
    #: Error status → its first documentation (resolved response, where).
    statuses: dict[int, list[tuple[dict[str, Any], str]]] = field(default_factory=dict)
    types: SchemaTypes = field(init=False)

    def __post_init__(self) -> None:
        self.types = SchemaTypes(self.document, self.errors)

    def api(self) -> Api:
        info = self._mapping(self.document.get("info"), pointer("info"))
        if not str(self.document.get("openapi", "")).startswith("3."):
            self.errors.append(SpecError(pointer("openapi"), "only OpenAPI 3.x is supported"))
        self._check_refs(self.document.get("components", {}), ("components",))
        operations = self._operations()
        client_params: dict[str, ClientParameter] = {}
        for op in operations:
            for param in op.parameters:
                if param.client_level:
                    client_params.setdefault(
                        param.name,
                        ClientParameter(param.name, param.annotation, param.description),
                    )
        found_envelope = envelope(self.document, self.errors)
        schemes = auth_schemes(self.document, self.errors, self.reserved_classes)
        reserved = self.reserved_classes | {scheme.class_name for scheme in schemes}
        return Api(
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            description=str(info.get("description", "")).strip(),
            default_base_url=self._default_base_url(),
            client_params=tuple(client_params[name] for name in sorted(client_params)),
            operations=tuple(sorted(operations, key=lambda op: op.name)),
            error_statuses=error_statuses(
                self.statuses, found_envelope, self._resolve, self.errors, reserved
            ),
            envelope=found_envelope,
            auth_schemes=schemes,
            constants=constants(self.document, self.errors),
        )

    def _check_refs(self, node: Any, at: tuple[str | int, ...]) -> None:
        # datamodel-code-generator only warns on a dangling $ref between schemas and types it
        # Any: the client would silently lose a model, so it is a problem of the spec here.
        # (References from paths are resolved, and reported, with their operation.)
        for place, ref in references(node):
            if ref.startswith("#/") and lookup(self.document, ref) is None:
                self.errors.append(SpecError(pointer(*at, *place, "$ref"), f"{ref} points nowhere"))

    def _operations(self) -> list[Operation]:
        paths = self._mapping(self.document.get("paths", {}), pointer("paths"))
        operations: list[Operation] = []
        taken: list[str] = list(RESERVED_METHODS)
        # In the order of the paths' names, not of the document: a clash is settled the same way
        # however the document is ordered.
        for path, item in sorted(paths.items(), key=lambda entry: str(entry[0])):
            if str(path).startswith("x-"):
                continue  # an extension of the paths object, not a path
            refused = _path_problem(str(path))
            if refused is not None:
                self.errors.append(SpecError(pointer("paths", str(path)), refused))
                continue
            item = self._resolve(item, pointer("paths", path))
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    where = ("paths", str(path), method)
                    operation = self._operation(
                        str(path), method, item[method], shared, where, taken
                    )
                    if operation is not None:
                        operations.append(operation)
                        taken.append(operation.name)
        return operations

    def _operation(
        self,
        path: str,
        method: str,
        raw: Any,
        shared: Any,
        where: tuple[str, ...],
        taken: list[str],
    ) -> Operation | None:
        raw = self._mapping(raw, pointer(*where))
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str) or not operation_id.strip():
            operation_id = ""
        name = snake(operation_id or f"{method} {path}", "operation")
        name = unique(name + "_" if name in RESERVED_METHODS else name, taken)
        parameters = self._parameters(path, shared, raw.get("parameters", []), where)
        path_parts = self._path_parts(path, parameters, where)
        responses = self._mapping(raw.get("responses", {}), pointer(*where, "responses"))
        answers = self._answers(name, responses, where)
        error_codes = []
        for code, response in responses.items():
            if str(code).isdigit() and str(code)[0] in "45":
                at = pointer(*where, "responses", str(code))
                self.statuses.setdefault(int(code), []).append((self._resolve(response, at), at))
                error_codes.append(int(code))
        returns = list(dict.fromkeys(answer.returns for answer in answers))
        if "None" in returns:
            returns = [*(r for r in returns if r != "None"), "None"]
        return Operation(
            name=name,
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            path_parts=path_parts,
            parameters=parameters,
            body=self._body(name, raw.get("requestBody"), where),
            answers=answers,
            returns="Any" if "Any" in returns else " | ".join(returns) or "None",
            summary=str(raw.get("summary") or operation_id or f"{method.upper()} {path}").strip(),
            description=str(raw.get("description", "")).strip(),
            deprecated=raw.get("deprecated") is True,
            error_statuses=tuple(sorted(error_codes)),
        )

    def _parameters(
        self, path: str, shared: Any, own: Any, where: tuple[str, ...]
    ) -> tuple[Parameter, ...]:
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for source, raws in (("shared", shared), ("own", own)):
            at = (
                pointer(*where[:2], "parameters")
                if source == "shared"
                else pointer(*where, "parameters")
            )
            for index, raw in enumerate(raws if isinstance(raws, list) else []):
                param = self._resolve(raw, f"{at}/{index}")
                wire, location = param.get("name"), param.get("in")
                if not isinstance(wire, str) or location not in LOCATIONS:
                    self.errors.append(
                        SpecError(f"{at}/{index}", "a parameter needs a name and an 'in'")
                    )
                    continue
                if location == "header" and wire.lower() in (
                    "accept",
                    "content-type",
                    "authorization",
                ):
                    continue  # OpenAPI says these are ignored: the client sets them
                if location == "header" and wire.lower() in TRANSPORT_HEADERS:
                    # The transport sets them from the URL and the body; a ``Host`` of the
                    # caller's would send the request to another virtual host.
                    message = f"header parameter {wire!r} ignored: the HTTP client sets it"
                    self.warnings.append(SpecError(f"{at}/{index}", message))
                    continue
                found[(location, wire)] = (param, f"{at}/{index}")
        for wire in dict.fromkeys(_PATH_PARAMETER.findall(path)):
            if ("path", wire) not in found:
                # Common in published documents: read as the string the URL carries.
                found[("path", wire)] = ({"name": wire, "in": "path"}, pointer(*where))
                self.warnings.append(
                    SpecError(
                        pointer(*where),
                        f"path parameter {wire!r} is not declared: read as a required string",
                    )
                )
        # Client-level parameters are named first: an operation's own parameter spelled like one
        # gets another name, never the other way round.
        taken = set(RESERVED_PARAMETERS)
        result = []
        for (location, wire), (param, at) in sorted(
            found.items(), key=lambda item: not _client_level(item[0][0], item[1][0])
        ):
            client_level = _client_level(location, param)
            name = self._client_name(wire) if client_level else snake(wire, "param")
            name = unique(name + "_" if name in taken else name, taken)
            taken.add(name)
            style = param.get("style") or ("form" if location in ("query", "cookie") else "simple")
            explode = param.get("explode")
            if not isinstance(explode, bool):
                explode = style == "form"
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), Mapping):
                media: Any = next(iter(param["content"].values()), {})
                schema = media.get("schema") if isinstance(media, Mapping) else None
            result.append(
                Parameter(
                    name=name,
                    wire_name=wire,
                    location=location,
                    annotation=self.types.parameter_annotation(schema, at),
                    required=location == "path" or param.get("required") is True,
                    style=str(style),
                    explode=explode,
                    description=str(param.get("description", "")).strip(),
                    client_level=client_level,
                )
            )
        return tuple(result)

    def _client_name(self, wire: str) -> str:
        if wire not in self.client_names:
            name = snake(wire, "param")
            name = name + "_" if name in CLIENT_RESERVED else name
            self.client_names[wire] = unique(name, self.client_names.values())
        return self.client_names[wire]

    def _path_parts(
        self, path: str, parameters: tuple[Parameter, ...], where: tuple[str, ...]
    ) -> tuple[PathPart, ...]:
        by_wire = {p.wire_name: p for p in parameters if p.location == "path"}
        parts = []
        position = 0
        for match in _PATH_PARAMETER.finditer(path):
            parts.append(PathPart(path[position : match.start()], None))
            # Every name of the template is a parameter: _parameters adds the undeclared ones.
            parts.append(PathPart("", by_wire[match.group(1)].name))
            position = match.end()
        parts.append(PathPart(path[position:], None))
        return tuple(part for part in parts if part.text or part.parameter)

    def _body(self, operation: str, raw: Any, where: tuple[str, ...]) -> Body | None:
        if raw is None:
            return None
        at = pointer(*where, "requestBody")
        body = self._resolve(raw, at)
        content = self._mapping(body.get("content", {}), f"{at}/content")
        media_type = _pick_media(content, _BODY_KINDS)
        if media_type is None:
            return None
        kind = _kind(media_type, _BODY_KINDS)
        media = content[media_type] if isinstance(content[media_type], Mapping) else {}
        schema_at = pointer(*where, "requestBody", "content", media_type, "schema")
        if kind == "text":
            annotation = "str"
        elif kind == "binary":
            annotation = "bytes"
        else:
            annotation = self.types.annotation(
                media.get("schema"), (pascal(operation, "Operation"), "Body"), schema_at
            )
        return Body(
            kind=kind,
            media_type=media_type,
            annotation=annotation,
            required=body.get("required") is True,
            description=str(body.get("description", "")).strip(),
            fixed=self._fixed(media.get("schema"), schema_at) if kind == "json" else None,
        )

    def _fixed(self, schema: Any, at: str) -> tuple[tuple[str, str], ...] | None:
        schema = self._resolve(schema, at) if isinstance(schema, Mapping) else {}
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        fixed = []
        for name in required if isinstance(required, list) else []:
            prop = properties.get(name, {}) if isinstance(properties, Mapping) else {}
            enum = prop.get("enum", []) if isinstance(prop, Mapping) else []
            if not isinstance(enum, list) or len(enum) != 1 or not isinstance(enum[0], str):
                return None
            fixed.append((str(name), enum[0]))
        return tuple(fixed) if fixed else None

    def _answers(
        self, operation: str, responses: dict[str, Any], where: tuple[str, ...]
    ) -> tuple[Answer, ...]:
        keys = [str(code) for code in responses if str(code)[0] == "2" and _is_status(str(code))]
        if not keys and "default" in responses:
            keys = ["default"]
        answers = []
        for key in keys:
            raw: Any = responses.get(key, responses.get(int(key)) if key.isdigit() else None)  # type: ignore[call-overload]
            at = pointer(*where, "responses", key)
            response = self._resolve(raw, at)
            found: Any = response.get("content")
            content: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
            hint = (
                pascal(operation, "Operation"),
                "Response" + ("" if len(keys) == 1 else key.upper()),
            )
            stream = self._event_stream(content, hint, at)
            if stream is not None:
                answers.append(Answer(_status_key(key), "event-stream", stream))
                content = {m: v for m, v in content.items() if _base(m) != EVENT_STREAM}
                if not content:
                    continue
            media_type = _pick_media(content, _ANSWER_KINDS) if content else None
            if media_type is None:
                answers.append(Answer(_status_key(key), "empty", "None"))
                continue
            kind = _kind(media_type, _ANSWER_KINDS)
            media = content[media_type] if isinstance(content[media_type], Mapping) else {}
            schema = media.get("schema")
            if kind == "binary" and media_type == "*/*" and isinstance(schema, Mapping):
                # "*/*" with a schema is how many server frameworks document a JSON answer.
                kind = "binary" if schema.get("format") == "binary" else "json"
            annotation = {"text": "str", "binary": "bytes"}.get(kind) or self.types.annotation(
                schema, hint, f"{at}/content/{media_type.replace('/', '~1')}/schema"
            )
            answers.append(Answer(_status_key(key), kind, annotation))
        return tuple(answers)

    def _event_stream(
        self, content: Mapping[str, Any], hint: tuple[str, ...], at: str
    ) -> str | None:
        """The annotation of the events' data when ``content`` offers a stream of events."""
        media_type = next((m for m in content if _base(str(m)) == EVENT_STREAM), None)
        if media_type is None:
            return None
        media = content[media_type] if isinstance(content[media_type], Mapping) else {}
        media_at = f"{at}/content/{media_type.replace('/', '~1')}"
        schema, where = event_data_schema(media, self._resolve, media_at)
        if schema is None:
            return "str"
        event_hint = (*hint[:-1], hint[-1] + "Event")
        return self.types.annotation(schema, event_hint, f"{media_at}/{where}")

    def _resolve(self, raw: Any, where: str) -> dict[str, Any]:
        seen = set()
        while isinstance(raw, dict) and "$ref" in raw:
            ref = raw["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                self.errors.append(SpecError(where, f"unsupported or circular $ref {ref!r}"))
                return {}
            seen.add(ref)
            target = lookup(self.document, ref)
            if target is None:
                self.errors.append(SpecError(where, f"unresolvable $ref {ref!r}"))
                return {}
            raw = target
        return self._mapping(raw, where)

    def _mapping(self, raw: Any, where: str) -> dict[str, Any]:
        if isinstance(raw, dict):
            return raw
        self.errors.append(SpecError(where, "expected a mapping"))
        return {}

    def _default_base_url(self) -> str:
        servers = self.document.get("servers")
        server = servers[0] if isinstance(servers, list) and servers else {}
        server = server if isinstance(server, Mapping) else {}
        url = str(server.get("url", "/"))
        variables = server.get("variables")
        for name, variable in variables.items() if isinstance(variables, Mapping) else []:
            default = variable.get("default", "") if isinstance(variable, Mapping) else ""
            url = url.replace("{" + str(name) + "}", str(default))
        return url


def _path_problem(path: str) -> str | None:
    """Why a path key cannot be appended to the base URL, or ``None``.

    The client joins a path to its base URL: an absolute URL (``http://…``) or a network path
    (``//host/…``) would replace the host, and a dot segment would leave the base path.
    """
    if not path.startswith("/") or path.startswith("//"):
        return "a path must start with a single '/' (it is appended to the server's URL)"
    segments = _PATH_PARAMETER.sub("x", path).split("?")[0].split("#")[0].split("/")
    if any(part in (".", "..") for part in segments):
        return "a path may not hold a '.' or '..' segment (it would leave the server's base path)"
    return None


def _client_level(location: str, param: Mapping[str, Any]) -> bool:
    return location == "path" and param.get("x-client-parameter") is True


#: Media kinds in order of preference: the first one an operation offers is used.
_BODY_KINDS = ("json", "form", "multipart", "text", "binary")
_ANSWER_KINDS = ("json", "text", "binary")


def _kind(media_type: str, kinds: tuple[str, ...]) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    if base.endswith(("/json", "+json")):
        return "json"
    if base == "application/x-www-form-urlencoded" and "form" in kinds:
        return "form"
    if base == "multipart/form-data" and "multipart" in kinds:
        return "multipart"
    if base.startswith("text/") or base in ("application/xml", "application/yaml"):
        return "text"
    return "binary"


def _pick_media(content: Mapping[str, Any], kinds: tuple[str, ...]) -> str | None:
    offered = [str(media) for media in content]
    for kind in kinds:
        for media in offered:
            if _kind(media, kinds) == kind:
                return media
    return None


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _is_status(code: str) -> bool:
    return bool(re.fullmatch(r"[1-5](\d\d|XX)", code, re.IGNORECASE))


def _status_key(key: str) -> str:
    return key if key == "default" else key.upper()
