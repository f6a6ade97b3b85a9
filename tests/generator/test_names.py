"""Names in the rendered package: every collision the document can cause is settled into distinct
valid names (wire names kept), and a name is read whole, never with a trailing newline."""

from __future__ import annotations

import ast
import datetime
import importlib
import inspect
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from generator.build import build
from generator.cli import main
from generator.config import PackageConfig
from generator.names import nfkc_aliases
from generator.problems import SpecProblems

from .conftest import imported_from

MATRIX = Path(__file__).parent / "matrix"


@pytest.fixture(scope="module")
def collisions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("collisions") / "out"
    spec = str(MATRIX / "collisions.yaml")
    assert main(["--spec", spec, "--out", str(out), "--package-name", "m_names"]) == 0
    with imported_from(out, "m_names") as module:
        yield module


def test_client_level_and_operation_parameters_get_distinct_names(collisions: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"file": "a", "\ufb01le": 2})

    client = collisions.Client(
        self_="me",
        http_="h",
        send_="s",
        base_url="https://api.test",
        transport=httpx.MockTransport(answer),
    )
    found = client.send_thing("seg", self_2="q", call_="c", body_="b", call_2="k")

    request = seen[0]
    assert request.url.path == "/me/h/s/things/seg"
    assert dict(request.url.params) == {"self": "q", "call": "c"}
    assert request.headers["body"] == "b"
    assert request.headers["cookie"] == "Call=k"
    # Both properties are read: ``\ufb01le`` is not lost to ``file`` (Python's NFKC).
    assert (found.file, found.file_) == ("a", 2)
    wire = {"file": "a", "\ufb01le": 2}
    files = collisions.models.Files.model_validate(wire)
    assert json.loads(files.model_dump_json(by_alias=True)) == wire


def test_classes_named_from_the_document_never_take_the_package_s_own(
    collisions: ModuleType,
) -> None:
    assert collisions.Client.__module__ == "m_names.client"
    assert collisions.RetryPolicy.__module__ == "m_names._retry"
    assert collisions.APIError.__bases__ == (Exception,)
    errors = collisions.errors
    assert [errors.Client3.error_code, errors.APIError2.error_code] == ["E.1", "E.2"]
    assert [errors.RetryPolicy2.error_code, errors.Exception2.error_code] == ["E.3", "E.4"]
    assert collisions.auth.Client2.__bases__ == (httpx.Auth,)
    constants = importlib.import_module("m_names.constants")
    assert constants.ERROR_CODES == errors.ERROR_CODES
    assert constants.ERROR_CODES2 == 1


def _minimal(**extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, **extra}


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"x-constants": {"FOO\n": {"value": 1}}}, "/x-constants/FOO\n"),
        (
            {
                "components": {
                    "securitySchemes": {
                        "k": {"type": "apiKey", "in": "header", "name": "K", "x-python-name": "K\n"}
                    }
                }
            },
            "/components/securitySchemes/k/x-python-name",
        ),
        (
            {
                "x-error-envelope": {
                    "fields": [{"code": "c", "message": "m"}],
                    "request-id-header": "X\n",
                }
            },
            "/x-error-envelope/request-id-header",
        ),
    ],
)
def test_a_name_ending_in_a_newline_is_refused_with_its_pointer(
    tmp_path: Path, extra: dict[str, Any], where: str
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(_minimal(**extra)))

    with pytest.raises(SpecProblems) as raised:
        build(spec)

    assert [problem.pointer for problem in raised.value.errors] == [where]


@pytest.mark.parametrize("name", ["Client", "RetryPolicy", "APIStatusError", "Exception", "Api\n"])
def test_a_base_error_name_that_names_another_class_is_refused(tmp_path: Path, name: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(_minimal()))

    with pytest.raises(SpecProblems) as raised:
        build(spec, config=PackageConfig("pkg", None, name))

    assert [problem.pointer for problem in raised.value.errors] == ["/base-error-name"]


def test_date_time_and_uuid_parameters_are_typed_and_sent_in_iso_8601(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = str(MATRIX / "formats.yaml")
    assert main(["--spec", spec, "--out", str(out), "--package-name", "m_formats"]) == 0
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    tenant = uuid.UUID("12345678-1234-5678-1234-567812345678")
    since = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    with imported_from(out, "m_formats") as package:
        client = package.Client(
            tenant, base_url="https://api.test", transport=httpx.MockTransport(answer)
        )
        client.get_day(
            datetime.date(2024, 2, 29),
            since=since,
            days=[datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)],
            x_request_id=tenant,
        )
        hints = inspect.signature(package.Client.get_day).parameters

    assert seen[0].url.path == f"/tenants/{tenant}/days/2024-02-29"
    assert seen[0].url.params.multi_items() == [
        ("since", "2024-05-06T07:08:09+00:00"),
        ("days", "2024-01-01"),
        ("days", "2024-01-02"),
    ]
    assert seen[0].headers["x-request-id"] == str(tenant)
    assert [hints[name].annotation for name in ("day", "since", "until", "x_request_id")] == [
        "datetime.date",
        "datetime.datetime",
        "datetime.datetime | None",
        "uuid.UUID | None",
    ]
    assert hints["plain"].annotation == "str | None"


def _classes(source: str) -> list[str]:
    """The models a models module defines (not the base classes its models derive from)."""
    classes = (node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef))
    return sorted(name for name in classes if name not in ("BaseModel", "RootModel"))


def test_inline_schemas_are_named_from_their_place(tmp_path: Path) -> None:
    files = build(MATRIX / "inline_names.yaml", config=PackageConfig("m_inline", None, None))

    # ``results`` items differ per operation: the operation names them. ``isbns`` items are the
    # same in both: one model. ``field`` alone would be the library's ``Field``. The two alike
    # ``status`` enums cannot have ``Status`` (a third differs): one model per owner.
    assert _classes(files["m_inline/_models.py"]) == [
        "Cover",
        "Isbn",
        "Job",
        "JobStatus",
        "Kind",
        "ListBooks2Response",
        "ListBooksResponse",
        "ListBooksResult",
        "ListBooksStatus",
        "ListReviewsField",
        "ListReviewsResponse",
        "ListReviewsResult",
        "ListReviewsStatus",
        "Mode",
        "ModeEnum",
        "Model",
        "Pet",
        "Phase",
    ]


def test_inline_names_do_not_depend_on_the_document_s_order(tmp_path: Path) -> None:
    document = yaml.safe_load((MATRIX / "inline_names.yaml").read_text(encoding="utf-8"))
    document["paths"] = dict(reversed(document["paths"].items()))
    document["components"]["schemas"] = dict(reversed(document["components"]["schemas"].items()))
    shuffled = tmp_path / "shuffled.yaml"
    shuffled.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    config = PackageConfig("m_inline", None, None)

    original = build(MATRIX / "inline_names.yaml", config=config)
    reordered = build(shuffled, config=config)

    # Left to the library, the two ``results`` items would swap their numbered names.
    assert reordered["m_inline/_models.py"] == original["m_inline/_models.py"]
    assert reordered["m_inline/client.py"] == original["m_inline/client.py"]


def test_each_property_python_reads_as_another_name_gets_a_field_of_its_own() -> None:
    document = {
        "A": {"properties": {"\ufb01le": {}, "\ufb01nally": {}, "\uff46ile": {}}},
        "B": {"properties": {"file": {}, "\ufb01x": {}, "plain": {}}},
    }

    assert nfkc_aliases(document) == {
        "\ufb01le": "file_",  # ``file`` is a property of the document
        "\ufb01nally": "finally_",  # a keyword
        "\ufb01x": "fix",
        "\uff46ile": "file__",  # fullwidth f: NFKC ``file`` too, after the first
    }
