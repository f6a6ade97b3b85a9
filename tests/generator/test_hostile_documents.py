"""Documents written to break the generator: each is refused with exit 2 and a pointer, or read
leniently into a package that imports. Never a crash, a hang or a client aimed elsewhere."""

from __future__ import annotations

import asyncio
import json
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.build import build
from generator.cli import main
from generator.config import PackageConfig
from generator.problems import SpecProblems
from generator.project import write_project
from generator.spec import read_spec

from .conftest import imported_from

PACKAGE = "hostile_documents"


def _document(
    paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **root: Any
) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
        **root,
    }


def _get(parameters: list[Any] | None = None, schema: Any = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        answer["content"] = {"application/json": {"schema": schema}}
    return {
        "get": {"operationId": "op", "parameters": parameters or [], "responses": {"200": answer}}
    }


def _write(tmp_path: Path, document: dict[str, Any] | str, name: str = "doc.json") -> Path:
    spec = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    spec.write_text(text, encoding="utf-8")
    return spec


def _build(spec: Path) -> dict[str, str]:
    return build(spec, config=PackageConfig(PACKAGE))


def _refused(spec: Path) -> list[str]:
    with pytest.raises(SpecProblems) as caught:
        _build(spec)
    return [f"{error.pointer}: {error.message}" for error in caught.value.errors]


def _client_source(files: dict[str, str]) -> str:
    return files[f"{PACKAGE}/client.py"]


# --- extensions are opaque; undeclared path parameters are read leniently ------------------


EXTENSIONS = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Extensions, version: "1"}
    x-topics:
      - content: {$ref: ./docs/intro.md}
    paths:
      /items/{item_id}:
        get:
          operationId: getItem
          x-fern-examples:
            - code-samples:
                - code: {$ref: ./snippets/get_item.py}
          parameters:
            - {name: item_id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The item.
              headers:
                x-rate-limit: {$ref: "#/components/headers/RateLimit"}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Item"}
                  example: {$ref: ./not-a-reference.json}
    components:
      headers:
        RateLimit: {schema: {type: integer}}
      schemas:
        Item:
          type: object
          x-source: {$ref: ./models/item.py}
          default: {$ref: "#/components/schemas/Nowhere"}
          properties:
            x-id: {$ref: "#/components/schemas/Id"}
        Id: {type: string}
    """
)


def test_a_ref_inside_an_extension_or_an_example_is_not_followed(tmp_path: Path) -> None:
    files = _build(_write(tmp_path, EXTENSIONS, "doc.yaml"))

    assert "x_id: Annotated[Id | None" in files[f"{PACKAGE}/_models.py"]


def test_a_property_named_like_an_extension_is_still_a_schema(tmp_path: Path) -> None:
    spec = _write(tmp_path, EXTENSIONS.replace("#/components/schemas/Id", "./id.yaml"), "doc.yaml")

    assert _refused(spec) == [
        (
            "/components/schemas/Item/properties/x-id/$ref: './id.yaml': cannot read the file: "
            "No such file or directory"
        )
    ]


def test_an_undeclared_path_parameter_is_a_required_string_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declared = [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    spec = _write(tmp_path, _document({"/items/{item_id}/parts/{part-name}": _get(declared)}))

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 0

    (warning,) = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warning == (
        f"warning: {spec}#/paths/~1items~1{{item_id}}~1parts~1{{part-name}}/get: "
        "path parameter 'part-name' is not declared: read as a required string"
    )
    client = (tmp_path / "out" / "hostile" / "client.py").read_text(encoding="utf-8")
    assert (
        "def op(\n        self,\n        item_id: int,\n        part_name: str,\n        *,"
        in client
    )
    assert "{segment(part_name, 'part_name')}" in client


def test_a_boolean_required_on_a_property_is_read_as_the_objects_list(tmp_path: Path) -> None:
    properties = {
        "id": {"type": "string", "required": True},
        "note": {"type": "string", "required": False},
    }
    schemas = {"Item": {"type": "object", "properties": properties}}
    files = _build(
        _write(
            tmp_path, _document({"/a": _get(schema={"$ref": "#/components/schemas/Item"})}, schemas)
        )
    )

    models = files[f"{PACKAGE}/_models.py"]
    assert "    id: str\n" in models
    assert "    note: str | None = None\n" in models


def test_a_schema_referring_to_a_parameter_reads_the_parameters_schema(tmp_path: Path) -> None:
    properties = {"connection_id": {"$ref": "#/components/parameters/ConnectionId"}}
    document = _document(
        {"/a": _get(schema={"$ref": "#/components/schemas/Item"})},
        {"Item": {"type": "object", "properties": properties}},
    )
    document["components"]["parameters"] = {
        "ConnectionId": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    }
    files = _build(_write(tmp_path, document))

    assert "    connection_id: str | None = None\n" in files[f"{PACKAGE}/_models.py"]


# --- requests stay on the server and the path the document gives ---------------------------


@pytest.mark.parametrize(
    "path",
    ["http://evil.example/abs", "//evil.example/x", "relative/x", "{id}/x", "/a/../b", "/a/./b"],
)
def test_a_path_that_leaves_the_server_or_its_base_path_is_refused(
    tmp_path: Path, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _write(tmp_path, _document({path: _get(), "/fine": _get()}))

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2

    located = "/paths/" + path.replace("~", "~0").replace("/", "~1") + ": a path "
    assert f"{spec}#{located}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_host_header_parameter_is_ignored_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = {"name": "Host", "in": "header", "schema": {"type": "string"}}
    files = _build(_write(tmp_path, _document({"/a": _get([host])})))

    assert capsys.readouterr().err == (
        f"warning: {tmp_path / 'doc.json'}#/paths/~1a/get/parameters/0: "
        "header parameter 'Host' ignored: the HTTP client sets it\n"
    )
    assert "def op(\n        self,\n        *,\n        timeout:" in _client_source(files)


@pytest.mark.parametrize(
    ("scheme", "where"),
    [
        ({"type": "apiKey", "in": "header", "name": "host"}, "name"),
        (
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "x-signature": {"algorithm": "SDK-HMAC-SHA256", "project-header": "Host"},
            },
            "x-signature/project-header",
        ),
    ],
    ids=["api-key", "signed-project"],
)
def test_an_auth_scheme_setting_the_host_header_is_refused(
    tmp_path: Path, scheme: dict[str, Any], where: str
) -> None:
    document = _document({"/a": _get()})
    document["components"]["securitySchemes"] = {"key": scheme}

    assert _refused(_write(tmp_path, document)) == [
        f"/components/securitySchemes/key/{where}: a header the HTTP client sets itself"
    ]


def _recorded() -> tuple[list[httpx.URL], httpx.MockTransport]:
    sent: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return httpx.Response(404)

    return sent, httpx.MockTransport(answer)


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_path_parameter_cannot_leave_its_segment(value: str) -> None:
    from modelarts_training import AsyncClient, Client

    sent, transport = _recorded()
    client = Client("proj", base_url="https://api.test", transport=transport)
    for call in (client.get_training_job, client.terminate_training_job):
        with pytest.raises(ValueError, match="path parameter training_job_id may not be"):
            call(value)
    with pytest.raises(ValueError, match="path parameter project_id may not be"):
        Client(value, base_url="https://api.test", transport=transport).get_training_job("j")

    async def terminate() -> None:
        async with AsyncClient("proj", base_url="https://api.test", transport=transport) as aio:
            await aio.terminate_training_job(value)

    with pytest.raises(ValueError, match="path parameter training_job_id may not be"):
        asyncio.run(terminate())
    assert sent == []


def test_a_path_parameter_with_dots_or_slashes_stays_in_its_segment() -> None:
    from modelarts_training import Client
    from modelarts_training.errors import ModelArtsError

    sent, transport = _recorded()
    client = Client("proj", base_url="https://api.test", transport=transport)
    for value in ("...", "../x", "a/b", "%2e%2e"):
        with pytest.raises(ModelArtsError):
            client.get_training_job(value)

    assert [url.raw_path for url in sent] == [
        b"/v2/proj/training-jobs/...",
        b"/v2/proj/training-jobs/..%2Fx",
        b"/v2/proj/training-jobs/a%2Fb",
        b"/v2/proj/training-jobs/%252e%252e",
    ]


# --- documents are read as what they are ---------------------------------------------------


def test_a_json_document_keeps_its_numbers_and_long_keys(tmp_path: Path) -> None:
    long_key = "k" * 2_000
    text = json.dumps(
        _document(
            {"/a": _get()},
            {"A": {"type": "object", "properties": {long_key: {"type": "integer"}}}},
            **{"x-constants": {"MAX_JOBS": {"value": "EXPONENT"}}},
        )
    ).replace('"EXPONENT"', "1e3")

    for name in ("doc.json", "doc.txt"):  # by its extension, or by its content
        document = read_spec(_write(tmp_path, text, name)).document
        assert document["x-constants"]["MAX_JOBS"]["value"] == 1000.0
        assert long_key in document["components"]["schemas"]["A"]["properties"]
    assert "MAX_JOBS: float = 1000.0" in _build(tmp_path / "doc.json")[f"{PACKAGE}/constants.py"]


def test_a_yaml_document_in_flow_style_is_still_yaml(tmp_path: Path) -> None:
    spec = _write(tmp_path, "{openapi: 3.1.0, info: {title: t, version: '1'}, paths: {}}", "d.yml")

    assert read_spec(spec).document["info"] == {"title": "t", "version": "1"}


def test_invalid_json_is_reported_with_its_line(tmp_path: Path) -> None:
    spec = _write(tmp_path, '{"openapi": "3.1.0",\n "paths": {,}}', "doc.json")

    with pytest.raises(SpecProblems, match="invalid JSON: .* at line 2, column 12"):
        read_spec(spec)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("doc.json", "NaN", "NaN is not a JSON number"),
        ("doc.json", "-Infinity", "-Infinity is not a JSON number"),
        ("doc.json", "1e999", "inf is not a JSON number"),
        ("doc.json", "9" * 5_000, "an integer of more than 4300 digits"),
        ("doc.yaml", ".nan", "nan is not a JSON number"),
        ("doc.yaml", "-.inf", "-inf is not a JSON number"),
        ("doc.yaml", "9" * 5_000, "an integer of more than 4300 digits"),
        ("doc.yaml", "0x" + "f" * 5_000, "an integer of more than 4300 digits"),
    ],
    ids=["json-nan", "json-infinity", "json-overflow", "json-digits", "yaml-nan", "yaml-inf"]
    + ["yaml-digits", "yaml-hex"],
)
def test_a_number_json_cannot_carry_is_refused_with_its_pointer(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    schema = '{"type": "number", "maximum": VALUE}'.replace("VALUE", value)
    text = (
        '{"openapi": "3.1.0", "info": {"title": "n", "version": "1"}, "paths": {}, '
        f'"components": {{"schemas": {{"A": {schema}}}}}}}'
    )
    if name.endswith(".yaml"):  # block style, so that the file is not read as JSON
        text = "openapi: 3.1.0\npaths: {}\ncomponents:\n  schemas:\n    A: " + schema + "\n"

    with pytest.raises(SpecProblems) as caught:
        read_spec(_write(tmp_path, text, name))

    assert [str(error) for error in caught.value.errors] == [
        f"/components/schemas/A/maximum: {message}"
    ]


def test_an_alias_bomb_is_refused_by_the_bytes_it_expands_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 256 KiB of YAML naming one string a thousand times: 256 MB of JSON expanded.
    text = "x" * (256 * 1024 - 4096)
    yaml_text = (
        "openapi: 3.1.0\ninfo: {title: b, version: '1'}\npaths: {}\n"
        f"x-text: &text {text}\nx-bomb: [{', '.join(['*text'] * 1000)}]\n"
    )
    spec = _write(tmp_path, yaml_text, "bomb.yaml")

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2

    assert "more than 64 MiB of JSON once YAML aliases are expanded" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- never exit 1 for a document -----------------------------------------------------------


def test_reference_cycles_through_parameter_and_body_schemas_render_and_import(
    tmp_path: Path,
) -> None:
    parameters = [
        {"name": "list", "in": "query", "schema": {"$ref": "#/components/schemas/L"}},
        {"name": "map", "in": "query", "schema": {"$ref": "#/components/schemas/M"}},
        {"name": "pair", "in": "query", "schema": {"$ref": "#/components/schemas/A"}},
    ]
    paths = {
        "/a": _get(parameters, {"$ref": "#/components/schemas/P/properties/b"}),
    }
    schemas = {
        "L": {"type": "array", "items": {"$ref": "#/components/schemas/L"}},
        "M": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/M"}},
        "A": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
        "P": {
            "type": "object",
            "properties": {
                "b": {"type": "array", "items": {"$ref": "#/components/schemas/P/properties/b"}}
            },
        },
    }
    files = _build(_write(tmp_path, _document(paths, schemas)))

    assert (
        "def op(\n        self,\n        *,\n        list_: list[Any] | None = None,\n"
        "        map: dict[str, Any] | None = None,\n        pair: list[list[Any]] | None = None,\n"
    ) in _client_source(files)
    write_project(files, tmp_path / "out")
    with imported_from(tmp_path / "out", PACKAGE) as package:
        assert package.Client


def _chain(length: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"S{i}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}},
        }
        for i in range(length - 1)
    }
    schemas[f"S{length - 1}"] = {"type": "string"}
    return _document({"/a": _get(schema={"$ref": "#/components/schemas/S0"})}, schemas)


def test_a_chain_of_schemas_pydantic_could_not_build_is_refused(tmp_path: Path) -> None:
    assert _refused(_write(tmp_path, _chain(1_200))) == [
        (
            "/components/schemas/S0: a chain of more than 48 schemas referring to each other starts "
            "here (pydantic could not build the models at import)"
        )
    ]


def test_a_large_cycle_that_pydantic_walks_shallowly_is_not_refused() -> None:
    from generator.bounds import check_bounds

    # 200 schemas in one cycle through a hub: every walk is three schemas deep.
    hub = {f"s{i}": {"$ref": f"#/components/schemas/S{i}"} for i in range(200)}
    schemas: dict[str, Any] = {"Hub": {"type": "object", "properties": hub}}
    back = {"hub": {"$ref": "#/components/schemas/Hub"}}
    schemas.update({f"S{i}": {"type": "object", "properties": back} for i in range(200)})

    assert check_bounds(_document(schemas=schemas)) == []


def test_a_chain_of_schemas_within_the_bound_renders_and_imports(tmp_path: Path) -> None:
    files = _build(_write(tmp_path, _chain(48)))

    write_project(files, tmp_path / "out")
    with imported_from(tmp_path / "out", PACKAGE) as package:
        assert package.models.S0.model_validate({"next": {"next": {}}}).next is not None


def test_a_document_nested_too_deeply_is_refused_with_its_pointer(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(100):
        schema = {"type": "object", "properties": {"p": schema}}

    (problem,) = _refused(_write(tmp_path, _document(schemas={"Deep": schema})))

    assert problem.startswith("/components/schemas/Deep/properties/p/properties/p/")
    assert problem.endswith(": nested more than 128 levels deep")


def test_a_huge_enum_is_dropped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = [f"v{i}" for i in range(100_000)]
    parameter = {"name": "kind", "in": "query", "schema": {"enum": many[:2_001]}}
    schemas = {"Kind": {"type": "string", "enum": many}, "Small": {"enum": many[:3]}}
    files = _build(_write(tmp_path, _document({"/a": _get([parameter])}, schemas)))

    assert capsys.readouterr().err.splitlines() == [
        f"warning: {tmp_path / 'doc.json'}#{where}: enum of {count} values dropped (at most 2000)"
        for where, count in (
            ("/paths/~1a/get/parameters/0/schema/enum", 2_001),
            ("/components/schemas/Kind/enum", 100_000),
        )
    ]
    models = files[f"{PACKAGE}/_models.py"]
    assert "class Kind(RootModel[str]):" in models
    assert "class Small(Enum):" in models
    assert "kind: str | None = None" in _client_source(files)


@pytest.mark.parametrize("name", ["FOO\n", "FOO\n\n", "\nFOO"])
def test_a_name_with_a_line_break_is_refused_on_one_line(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    constants = {name: {"value": 1}}
    spec = _write(tmp_path, _document({"/a": _get()}, **{"x-constants": constants}))

    assert _refused(spec) == [f"/x-constants/{name}: a constant's name is UPPER_SNAKE_CASE"]
    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    shown = name.replace("\n", "\\u000a")
    assert capsys.readouterr().err == (
        f"error: {spec}#/x-constants/{shown}: a constant's name is UPPER_SNAKE_CASE\n"
    )
