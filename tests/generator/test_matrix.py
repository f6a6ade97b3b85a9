"""One small document per feature (``matrix/*.yaml``): each is rendered, imported, called through
``httpx.MockTransport`` and, all together, checked with ``mypy --strict``."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from generator.cli import main

from .conftest import defined_models, imported_from

MATRIX = Path(__file__).parent / "matrix"
DOCUMENTS = sorted(path.stem for path in MATRIX.glob("*.yaml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every matrix document rendered once, each into its own folder."""
    root = tmp_path_factory.mktemp("matrix")
    for stem in DOCUMENTS:
        spec = str(MATRIX / f"{stem}.yaml")
        out = str(root / stem)
        assert main(["--spec", spec, "--out", out, "--package-name", f"m_{stem}"]) == 0, stem
    return root


@pytest.fixture
def package(rendered: Path, request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    stem = request.param
    with imported_from(rendered / stem, f"m_{stem}") as module:
        yield module


Handler = Callable[[httpx.Request], httpx.Response]


def _client(package: ModuleType, handler: Handler) -> object:
    return package.Client(
        transport=httpx.MockTransport(handler),
        base_url="https://api.test",
        retry=package.RetryPolicy(max_retries=0),
    )


def _recording(answer: httpx.Response) -> tuple[list[httpx.Request], Handler]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer

    return seen, handler


def _public_methods(cls: type) -> list[str]:
    return sorted(
        name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")
    )


@pytest.mark.parametrize("package", ["parameters"], indirect=True)
def test_parameters_are_typed_and_serialised_by_style(package: ModuleType) -> None:
    seen, handler = _recording(httpx.Response(200, json={"id": 7}))
    signature = inspect.signature(package.Client.get_item)
    client = _client(package, handler)

    item = client.get_item(  # type: ignore[attr-defined]
        7,
        limit=5,
        x_trace_id="t-1",
        verbose=True,
        colour="red",
        tags=["a", "b"],
        ids=[1, 2],
        words=["x", "y"],
        filter={"kind": "k"},
        session="s1",
        lang="en",
    )

    assert item.id == 7
    assert list(signature.parameters)[:2] == ["self", "item_id"]
    assert signature.parameters["item_id"].annotation == "int"
    assert signature.parameters["limit"].default is inspect.Parameter.empty
    assert signature.parameters["verbose"].annotation == "bool | None"
    assert signature.parameters["colour"].annotation == "Literal['red', 'blue'] | None"
    request = seen[0]
    assert request.url.path == "/items/7"
    assert request.url.params.multi_items() == [
        ("limit", "5"),
        ("verbose", "true"),
        ("colour", "red"),
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1,2"),
        ("words", "x y"),
        ("filter[kind]", "k"),
    ]
    assert request.headers["X-Trace-Id"] == "t-1"
    assert request.headers["Cookie"] == "session=s1; lang=en"


@pytest.mark.parametrize("package", ["parameters"], indirect=True)
def test_optional_parameters_left_out_are_not_sent(package: ModuleType) -> None:
    seen, handler = _recording(httpx.Response(200, json={}))

    _client(package, handler).get_item(1, limit=0, x_trace_id="t")  # type: ignore[attr-defined]

    assert seen[0].url.params.multi_items() == [("limit", "0")]
    assert "Cookie" not in seen[0].headers


@pytest.mark.parametrize("package", ["operation_names"], indirect=True)
def test_every_operation_gets_a_method_named_from_its_id_or_its_path(package: ModuleType) -> None:
    assert _public_methods(package.Client) == [
        "class_",
        "close",
        "close_",
        "essentialcontacts_projects_contacts_list",
        "get_status",
        "get_status_2",
        "operation_2fa_check",
    ]
    assert _public_methods(package.AsyncClient) == _public_methods(package.Client)
    seen, handler = _recording(httpx.Response(204))
    client = _client(package, handler)

    assert client.essentialcontacts_projects_contacts_list("p/1") is None  # type: ignore[attr-defined]
    client.class_()  # type: ignore[attr-defined]

    assert [(r.method, r.url.raw_path) for r in seen] == [
        ("GET", b"/projects/p%2F1/contacts:list"),
        ("POST", b"/status"),
    ]


@pytest.mark.parametrize("package", ["bodies"], indirect=True)
def test_each_kind_of_request_body_goes_out_as_its_media_type(package: ModuleType) -> None:
    seen, handler = _recording(httpx.Response(204))
    client = _client(package, handler)
    models = package.models

    client.send_ref(models.Pet(name="rex"))  # type: ignore[attr-defined]
    client.send_inline(models.SendInlineBody(name="a", age=3))  # type: ignore[attr-defined]
    client.send_array([models.Pet(name="a"), models.Pet(name="b", tag="t")])  # type: ignore[attr-defined]
    client.send_form(models.SendFormBody(name="n", tags=["x", "y"]))  # type: ignore[attr-defined]
    client.upload(models.UploadBody(file=b"\x00PNG", note="hi"))  # type: ignore[attr-defined]
    client.send_text("plain words")  # type: ignore[attr-defined]
    client.send_binary(b"\x01\x02")  # type: ignore[attr-defined]
    assert (models.Pet(name="x").size, models.Pet(name="x").owner) == (3, None)

    assert [json.loads(r.content) for r in seen[:3]] == [
        {"name": "rex"},
        {"name": "a", "age": 3},
        [{"name": "a"}, {"name": "b", "tag": "t"}],
    ]
    assert seen[0].headers["Content-Type"] == "application/json"
    assert seen[3].content == b"name=n&tags=x&tags=y"
    assert seen[3].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert seen[4].headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="file"' in seen[4].content
    assert b"\x00PNG" in seen[4].content
    assert b'name="note"\r\n\r\nhi' in seen[4].content
    assert (seen[5].content, seen[5].headers["Content-Type"]) == (b"plain words", "text/plain")
    assert (seen[6].content, seen[6].headers["Content-Type"]) == (
        b"\x01\x02",
        "application/octet-stream",
    )


@pytest.mark.parametrize("package", ["answers"], indirect=True)
def test_each_kind_of_answer_is_read_as_its_type(package: ModuleType) -> None:
    def client_for(answer: httpx.Response) -> object:
        return _client(package, lambda request: answer)

    pets = client_for(httpx.Response(206, json=[{"name": "a"}])).get_range()  # type: ignore[attr-defined]
    assert [type(p).__name__ for p in pets] == ["Pet"]
    assert client_for(httpx.Response(204)).get_maybe() is None  # type: ignore[attr-defined]
    assert client_for(httpx.Response(200, json={"name": "b"})).get_maybe().name == "b"  # type: ignore[attr-defined]
    created = client_for(httpx.Response(201, json={"created": True})).create()  # type: ignore[attr-defined]
    assert type(created).__name__ == "CreateResponse201" and created.created is True
    assert type(client_for(httpx.Response(200, json={"name": "c"})).create()).__name__ == "Pet"  # type: ignore[attr-defined]
    assert client_for(httpx.Response(200, text="hi")).get_text() == "hi"  # type: ignore[attr-defined]
    assert client_for(httpx.Response(200, content=b"\x89PNG")).get_binary() == b"\x89PNG"  # type: ignore[attr-defined]
    assert client_for(httpx.Response(200, json={"a": 1})).get_map() == {"a": 1}  # type: ignore[attr-defined]
    assert client_for(httpx.Response(200, json={"name": "d"})).get_default().name == "d"  # type: ignore[attr-defined]
    assert inspect.signature(package.Client.get_maybe).return_annotation == "models.Pet | None"


@pytest.mark.parametrize("package", ["answers"], indirect=True)
def test_an_answer_that_does_not_match_its_schema_is_an_invalid_response(
    package: ModuleType,
) -> None:
    client = _client(package, lambda request: httpx.Response(200, json={"nameless": True}))

    with pytest.raises(package.InvalidResponseError):
        client.get_maybe()  # type: ignore[attr-defined]


@pytest.mark.parametrize("package", ["errors"], indirect=True)
def test_without_an_envelope_errors_are_plain_status_classes(package: ModuleType) -> None:
    client = _client(package, lambda request: httpx.Response(404, text="gone"))

    with pytest.raises(package.NotFoundError) as caught:
        client.get_thing("x")  # type: ignore[attr-defined]

    assert (caught.value.status_code, caught.value.error_code) == (404, "404")
    assert caught.value.error_msg == "gone"
    assert caught.value.request_id is None
    assert issubclass(package.UnsupportedMediaTypeError, package.APIStatusError)
    assert issubclass(package.ImATeapotError, package.APIStatusError)
    assert issubclass(package.Status499Error, package.APIStatusError)
    assert issubclass(package.ServiceUnavailableError, package.ServerError)
    assert package.APIError in package.APIStatusError.__mro__
    assert package.errors.ERROR_CODES == ()


@pytest.mark.parametrize("package", ["servers"], indirect=True)
def test_server_variables_make_the_default_base_url(package: ModuleType) -> None:
    assert package.client.DEFAULT_BASE_URL == "https://eu-west.api.test:8443/v2"


@pytest.mark.parametrize("package", ["security"], indirect=True)
def test_each_security_scheme_becomes_an_auth_class(package: ModuleType) -> None:
    seen, handler = _recording(httpx.Response(204))
    auths = [
        package.ApiKeyAuth("k1"),
        package.QueryKeyAuth("k2"),
        package.CookieKeyAuth("k3"),
        package.BearerAuth("t1"),
        package.BasicAuth("user", "pw"),
        package.PetstoreAuth("t2"),
        package.OidcAuth("t3"),
    ]
    for auth in auths:
        package.Client(
            auth=auth, transport=httpx.MockTransport(handler), base_url="https://api.test"
        ).ping()

    assert seen[0].headers["X-API-Key"] == "k1"
    assert seen[1].url.params["api-key"] == "k2"
    assert seen[2].headers["Cookie"] == "sid=k3"
    assert seen[3].headers["Authorization"] == "Bearer t1"
    assert seen[4].headers["Authorization"] == "Basic dXNlcjpwdw=="
    assert [r.headers["Authorization"] for r in seen[5:]] == ["Bearer t2", "Bearer t3"]
    assert not hasattr(package, "TlsAuth")


@pytest.mark.parametrize("package", ["model_names"], indirect=True)
def test_models_are_imported_under_the_names_they_were_given(package: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"title": "t", "name": "n", "x": 1, "y": 2})

    client = _client(package, answer)

    assert type(client.get_pull_request()).__name__ == "Pullrequest"  # type: ignore[attr-defined]
    assert type(client.get_field()).__name__ == "FieldModel"  # type: ignore[attr-defined]
    assert type(client.get_dotted()).__name__ == "MyDottedName"  # type: ignore[attr-defined]
    assert type(client.get_snake()).__name__ == "BodyUploadFile"  # type: ignore[attr-defined]
    assert package.Client.__module__.endswith(".client")
    assert package.models.Client.__name__ == "Client"


@pytest.mark.parametrize("package", ["bodies"], indirect=True)
def test_the_async_client_sends_the_same_request(package: ModuleType) -> None:
    seen, handler = _recording(httpx.Response(204))

    async def run() -> None:
        async with package.AsyncClient(
            transport=httpx.MockTransport(handler), base_url="https://api.test"
        ) as client:
            await client.send_ref(package.models.Pet(name="rex"))

    asyncio.run(run())

    assert json.loads(seen[0].content) == {"name": "rex"}


@pytest.mark.slow
def test_every_rendered_package_passes_mypy_strict(rendered: Path) -> None:
    packages = [str(rendered / stem / f"m_{stem}") for stem in DOCUMENTS]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", ["enum_members"], indirect=True)
def test_enum_members_named_like_str_methods_keep_their_values(package: ModuleType) -> None:
    answer = httpx.Response(200, json={"op": "replace", "mode": "index"})
    client = _client(package, lambda request: answer)
    op = package.models.Op

    patch = client.get_patch()  # type: ignore[attr-defined]

    assert patch.op is op.replace_
    assert [member.value for member in op] == ["add", "remove", "replace", "translate", "count"]
    assert op("translate").upper() == "TRANSLATE"  # the str method is still there
    assert package.models.Patch().mode.value == "format"


@pytest.mark.parametrize("package", ["shadowing"], indirect=True)
def test_methods_never_shadow_the_names_annotations_read(package: ModuleType) -> None:
    client = _client(package, lambda request: httpx.Response(200, json=[{"id": "a"}]))

    things = client.list_()  # type: ignore[attr-defined]

    assert _public_methods(package.Client) == ["close", "httpx_", "list_", "models_", "things"]
    assert [thing.id for thing in things] == ["a"]


@pytest.mark.parametrize("package", ["recursive"], indirect=True)
def test_a_self_recursive_array_reads_nested_answers(package: ModuleType) -> None:
    nested = [{"a": [{"b": []}]}, {}]
    client = _client(package, lambda request: httpx.Response(200, json=nested))

    tree = client.get_tree()  # type: ignore[attr-defined]

    assert tree.root == nested


@pytest.mark.parametrize("package", ["patterns"], indirect=True)
def test_patterns_pydantic_cannot_compile_are_dropped(package: ModuleType) -> None:
    out = package.models.Out

    kept = out(xhtml="x" * 300_000, word="tmpfile", twice="b", example="z", code="ABC")

    assert kept.word == "tmpfile"
    with pytest.raises(ValueError, match="pattern"):
        out(code="abc")


def test_each_dropped_pattern_is_named_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(MATRIX / "patterns.yaml")

    assert main(["--spec", spec, "--out", str(tmp_path / "out"), "--package-name", "p"]) == 0

    warnings = [line for line in capsys.readouterr().err.splitlines() if "pattern" in line]
    properties = ["xhtml", "word", "twice", "example"]
    assert [line.split("#", 1)[1].split(":", 1)[0] for line in warnings] == [
        f"/components/schemas/Out/properties/{name}/pattern" for name in properties
    ]
    assert all(line.startswith(f"warning: {spec}#") for line in warnings)


@pytest.mark.parametrize("package", ["email_format"], indirect=True)
def test_email_formats_are_strings_so_any_string_parses(package: ModuleType) -> None:
    answer = {
        "email": "root@localhost",
        "backup_email": "ü@例え.テスト",
        "aliases": ["not mail"],
        "request_id": "req-1",
    }
    client = _client(package, lambda request: httpx.Response(200, json=answer))

    user = client.get_user("u1")  # type: ignore[attr-defined]

    assert user.model_dump() == answer


@pytest.mark.parametrize("package", ["discriminated_inheritance"], indirect=True)
def test_a_discriminator_over_an_inherited_enum_picks_each_kind(package: ModuleType) -> None:
    answer = {
        "results": [
            {"id": "e1", "type": "episode", "audio_length_sec": 60},
            {"id": "p1", "type": "podcast", "total_episodes": 3},
        ]
    }
    client = _client(package, lambda request: httpx.Response(200, json=answer))

    results = client.search().results  # type: ignore[attr-defined]

    assert [type(result.root).__name__ for result in results] == ["Episode", "Podcast"]
    assert results[0].root.audio_length_sec == 60
    with pytest.raises(ValueError, match="type"):
        package.models.Episode.model_validate({"id": "e2", "type": "podcast"})
    cat = package.models.Cat.model_validate({"pet_type": "cat", "lives": 9})
    assert (cat.pet_type, cat.lives) == ("cat", 9)


@pytest.mark.parametrize("package", ["narrowing_subclass"], indirect=True)
def test_a_subclass_narrowing_what_it_inherits_keeps_its_narrow_type(
    package: ModuleType,
) -> None:
    models = package.models
    page = {"data": [{"name": "rex"}], "has_more": False}
    seen, handler = _recording(httpx.Response(200, json=page))
    client = _client(package, handler)

    pets = client.create_completion(models.StreamingRequest(model="m", stream=True))  # type: ignore[attr-defined]

    assert json.loads(seen[0].content) == {"model": "m", "stream": True}
    assert [type(pet).__name__ for pet in pets.data] == ["Pet"]
    assert pets.data[0].name == "rex"
    with pytest.raises(ValueError, match="name"):
        models.PetPage.model_validate({"data": [{"id": "no name"}]})
    weighted = models.WeightedAssistantMessage.model_validate({"role": "assistant", "weight": 1})
    assert (weighted.role, weighted.weight) == ("assistant", 1)
    message = _client(package, lambda r: httpx.Response(200, json={"role": "user"})).get_message()  # type: ignore[attr-defined]
    assert type(message.root).__name__ == "UserMessage"


@pytest.mark.parametrize("package", ["presence_choice"], indirect=True)
def test_a_name_or_a_company_is_one_model_accepting_either(package: ModuleType) -> None:
    models = package.models
    answers = [
        {"id": "a1", "object": "address", "address_line1": "1 Main St", "name": "Ann"},
        {"id": "a2", "object": "address", "address_line1": "2 Main St", "company": "ACME"},
    ]
    seen, handler = _recording(httpx.Response(200, json=answers[0]))
    client = _client(package, handler)

    first = client.create_address(
        models.AddressEditableUs(address_line1="1 Main St", company="ACME")
    )  # type: ignore[attr-defined]
    second = models.AddressUs.model_validate(answers[1])

    assert json.loads(seen[0].content) == {"address_line1": "1 Main St", "company": "ACME"}
    assert (first.name, first.company, second.name, second.company) == ("Ann", None, None, "ACME")
    assert type(first).__name__ == "AddressUs"


@pytest.mark.parametrize("package", ["root_defaults"], indirect=True)
def test_defaults_on_root_model_fields_are_instances_of_the_model(package: ModuleType) -> None:
    models = package.models
    answer = httpx.Response(200, json="https://files.test/a")

    run = models.RunRequest()
    url = _client(package, lambda request: answer).get_file_url()  # type: ignore[attr-defined]

    assert isinstance(run.parallel_tool_calls, models.ParallelToolCalls)
    assert (run.parallel_tool_calls.root, run.n.root) == (True, 1)
    assert run.model_dump(exclude_none=True) == {"parallel_tool_calls": True, "n": 1}
    assert str(url.root) == "https://files.test/a"
    with pytest.raises(ValueError, match="FileUrl"):
        models.FileUrl()  # no null default its type rejects
    given = models.RunRequest.model_validate({"parallel_tool_calls": False, "conversation": "c1"})
    assert (given.parallel_tool_calls.root, given.conversation.root) == (False, "c1")
    schedule = models.Schedule()
    assert schedule.seconds == [models.Range(start=0, end=59)]
    assert schedule.first == models.Range(start=1)
    assert schedule.seconds is not models.Schedule().seconds  # each instance its own list
    with pytest.raises(ValueError, match="SkipVerification"):
        models.SkipVerification()  # no default of another type than its own
    assert models.SkipVerification("no").root == "no"
    assert models.Toolbox().tools == [models.Range(start=2)]  # a union's choice, by pydantic


def test_the_librarys_warnings_are_ours_one_located_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(MATRIX / "root_defaults.yaml")
    argv = ["--spec", spec, "--package-name", "p"]
    location = f"warning: {spec}#/components/schemas/RunRequest/properties/homepage: "

    assert main([*argv, "--out", str(tmp_path / "fresh"), "--no-cache"]) == 0
    fresh = capsys.readouterr().err.splitlines()
    assert main([*argv, "--out", str(tmp_path / "cached")]) == 0
    assert main([*argv, "--out", str(tmp_path / "cached-again")]) == 0
    cached = capsys.readouterr().err.splitlines()
    assert main([*argv, "--out", str(tmp_path / "quiet"), "--no-cache", "--quiet"]) == 0
    quiet = capsys.readouterr().err

    assert fresh == [
        location + "fields holding AnyUrl are written without max_length; RunRequest.homepage "
        "is generated without this constraint."
    ]
    assert cached == fresh * 2
    assert quiet == ""


def test_quiet_also_silences_the_generators_own_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(MATRIX / "patterns.yaml")

    assert (
        main(["--spec", spec, "--out", str(tmp_path / "o"), "--package-name", "p", "--quiet"]) == 0
    )

    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("package", DOCUMENTS, indirect=True)
def test_every_model_builds_when_first_used(package: ModuleType) -> None:
    # Models are built on first use (pydantic's defer_build): a model that cannot be built
    # would fail only there, so each is built here.
    import importlib

    for model in defined_models(importlib.import_module(f"{package.__name__}.models")).values():
        assert model.model_rebuild() in (True, None), model.__name__
