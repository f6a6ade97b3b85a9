"""Resolve an OpenAPI document into the intermediate representation of :mod:`generator.ir`.

Problems are collected as :class:`~generator.problems.SpecError` values while walking the whole
document, then reported together, so one run shows a maintainer everything to fix.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.error_catalog import RETRYABLE_EXAMPLES, error_status
from generator.ir import Api, ErrorStatus, Operation
from generator.problems import SpecError, SpecProblems, pointer
from generator.spec import Spec

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
#: Path parameters given once to the client instead of to every method.
CLIENT_PARAMS = ("project_id",)


def load_api(spec: Spec) -> Api:
    """Resolve the document into an :class:`Api`; :class:`SpecProblems` lists every problem."""
    resolver = _Resolver(spec.document)
    try:
        return resolver.api(spec.source)
    except (AttributeError, TypeError, KeyError, IndexError) as error:
        # A shape the resolver does not check field by field (a list where a mapping belongs…):
        # still a problem of the spec, reported with what was found so far, never a traceback.
        found = [*resolver.errors, SpecError("", f"malformed document ({error!r})")]
        raise SpecProblems(spec.source, found) from None


@dataclass
class _Resolver:
    document: Mapping[str, Any]
    errors: list[SpecError] = field(default_factory=list)
    statuses: dict[int, ErrorStatus] = field(default_factory=dict)

    def api(self, source: str) -> Api:
        info = self._mapping(self.document.get("info"), pointer("info"))
        if not str(self.document.get("openapi", "")).startswith("3."):
            self.errors.append(SpecError(pointer("openapi"), "only OpenAPI 3.x is supported"))
        if not isinstance(self.document.get("components", {}).get("schemas"), dict):
            self.errors.append(SpecError(pointer("components", "schemas"), "no schemas"))
        self._check_refs(self.document.get("components", {}), ("components",))
        operations = self._operations()
        client_params = tuple(
            name for name in CLIENT_PARAMS if all(name in op.path_params for op in operations)
        )
        retryable = tuple(
            code
            for status in sorted(self.statuses.values(), key=lambda s: s.status)
            for code in status.codes
            if code.class_name in RETRYABLE_EXAMPLES
        )
        if self.errors:
            raise SpecProblems(source, self.errors)
        return Api(
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            description=str(info.get("description", "")).strip(),
            default_base_url=self._default_base_url(),
            client_params=client_params,
            operations=tuple(sorted(operations, key=lambda op: op.name)),
            error_statuses=tuple(sorted(self.statuses.values(), key=lambda s: s.status)),
            retryable_codes=retryable,
        )

    def _check_refs(self, node: Any, at: tuple[str | int, ...]) -> None:
        # datamodel-code-generator only warns on a dangling $ref between schemas and types it
        # Any: the client would silently lose a model, so it is a problem of the spec here.
        # (References from paths are resolved, and reported, with their operation.)
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if (
                isinstance(ref, str)
                and ref.startswith("#/")
                and _lookup(self.document, ref) is None
            ):
                self.errors.append(SpecError(pointer(*at, "$ref"), f"{ref} points nowhere"))
            for key, value in node.items():
                self._check_refs(value, (*at, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self._check_refs(value, (*at, index))

    def _operations(self) -> list[Operation]:
        paths = self._mapping(self.document.get("paths"), pointer("paths"))
        if not paths:
            self.errors.append(SpecError(pointer("paths"), "the document has no operations"))
        operations = []
        for path, item in paths.items():
            item = self._mapping(item, pointer("paths", path))
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    where = ("paths", path, method)
                    operation = self._operation(path, method, item[method], shared, where)
                    if operation is not None:
                        operations.append(operation)
        return operations

    def _operation(
        self, path: str, method: str, raw: Any, shared: list[Any], where: tuple[str, ...]
    ) -> Operation | None:
        raw = self._mapping(raw, pointer(*where))
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            self.errors.append(SpecError(pointer(*where, "operationId"), "missing operationId"))
            return None
        parameters = [
            self._resolve(param, pointer(*where, "parameters", index))
            for index, param in enumerate([*shared, *raw.get("parameters", [])])
        ]
        path_params = tuple(p.get("name", "") for p in parameters if p.get("in") == "path")
        for name in re.findall(r"{([^}]+)}", path):
            if name not in path_params:
                self.errors.append(
                    SpecError(pointer(*where), f"path parameter {name!r} is not declared")
                )
        for name in path_params:
            if not name.isidentifier() or keyword.iskeyword(name):
                self.errors.append(
                    SpecError(pointer(*where), f"path parameter {name!r} is not a Python name")
                )
        responses = self._mapping(raw.get("responses"), pointer(*where, "responses"))
        success = sorted(code for code in responses if str(code).startswith("2"))
        if not success:
            self.errors.append(SpecError(pointer(*where, "responses"), "no 2xx response"))
            return None
        success_where = pointer(*where, "responses", str(success[0]))
        response_model = self._json_model(responses[success[0]], success_where)
        request_model, fixed_body = self._request(raw.get("requestBody"), where)
        error_statuses = []
        for code, response in responses.items():
            if str(code)[0] in "45" and str(code).isdigit():
                self._error_status(int(code), response, pointer(*where, "responses", str(code)))
                error_statuses.append(int(code))
        return Operation(
            name=_snake_case(operation_id),
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            path_params=path_params,
            summary=str(raw.get("summary", operation_id)).strip(),
            description=str(raw.get("description", "")).strip(),
            success_status=int(success[0]),
            response_model=response_model or "",
            request_model=request_model,
            fixed_body=fixed_body,
            error_statuses=tuple(sorted(error_statuses)),
        )

    def _request(
        self, raw: Any, where: tuple[str, ...]
    ) -> tuple[str | None, tuple[tuple[str, str], ...] | None]:
        if raw is None:
            return None, None
        body_where = pointer(*where, "requestBody")
        model = self._json_model(raw, body_where)
        if model is None:
            return None, None
        schema = self._mapping(self.document["components"]["schemas"].get(model), body_where)
        properties = schema.get("properties", {})
        fixed = []
        for name in schema.get("required", []):
            enum = properties.get(name, {}).get("enum", [])
            if len(enum) != 1:
                return model, None
            fixed.append((name, str(enum[0])))
        return model, tuple(fixed) if fixed else None

    def _json_model(self, raw: Any, where: str) -> str | None:
        body = self._resolve(raw, where)
        media = body.get("content", {}).get("application/json")
        if not isinstance(media, dict):
            self.errors.append(SpecError(where, "no application/json content"))
            return None
        ref = media.get("schema", {}).get("$ref", "")
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            self.errors.append(
                SpecError(where + "/content/application~1json/schema", "not a $ref to a schema")
            )
            return None
        name = str(ref[len(prefix) :])
        if name not in self.document.get("components", {}).get("schemas", {}):
            self.errors.append(SpecError(where, f"unresolvable $ref {ref!r}"))
            return None
        return name

    def _error_status(self, status: int, raw: Any, where: str) -> None:
        found = error_status(status, self._resolve(raw, where), where, self._resolve, self.errors)
        known = self.statuses.get(status)
        if known is not None and known != found:
            self.errors.append(
                SpecError(where, f"status {status} is documented differently by two operations")
            )
        self.statuses.setdefault(status, found)

    def _resolve(self, raw: Any, where: str) -> dict[str, Any]:
        seen = set()
        while isinstance(raw, dict) and "$ref" in raw:
            ref = raw["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                self.errors.append(SpecError(where, f"unsupported or circular $ref {ref!r}"))
                return {}
            seen.add(ref)
            target = _lookup(self.document, ref)
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
        servers = self.document.get("servers") or [{"url": "/"}]
        server = servers[0] if isinstance(servers[0], dict) else {"url": "/"}
        url = str(server.get("url", "/"))
        for name, variable in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        return url


def _snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _lookup(document: Mapping[str, Any], ref: str) -> Any:
    """What a local ``#/…`` reference points at, or None when it points nowhere."""
    target: Any = document
    for raw in ref.removeprefix("#/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, Mapping) else None
    return target
