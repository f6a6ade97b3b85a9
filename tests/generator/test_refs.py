"""A $ref reaches only the document's own folder unless --allow-external-refs says otherwise."""

from __future__ import annotations

import http.server
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from generator.cli import main
from generator.models import render_models
from generator.problems import SpecProblems
from generator.refs import check_refs
from generator.spec import read_spec

DOCUMENT = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Widgets, version: "1.0"}
    paths:
      /widgets/{widget_id}:
        get:
          operationId: getWidget
          parameters:
            - {name: widget_id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The widget.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Widget"}
    components:
      schemas:
        Widget:
          type: object
          properties:
            id: {type: string}
            part: {$ref: "REF"}
    """
)
PART = "Part:\n  type: object\n  description: read from {where}\n  properties:\n    size: {{type: integer}}\n"


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = PART.format(where="the network").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback that serves a schema and records every request."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _models(out: Path) -> str:
    # The models as the library wrote them: _models.py when models.py defines them lazily.
    (models,) = [*out.glob("*/_models.py")] or [*out.glob("*/models.py")]
    return models.read_text(encoding="utf-8")


def _spec(folder: Path, ref: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "openapi.yaml"
    spec.write_text(DOCUMENT.replace("REF", ref), encoding="utf-8")
    return spec


def test_a_file_of_the_documents_folder_is_read_from_that_folder(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "api", "parts/part.yaml#/Part")
    (tmp_path / "api" / "parts").mkdir()
    (tmp_path / "api" / "parts" / "part.yaml").write_text(PART.format(where="beside"), "utf-8")
    out = tmp_path / "out"

    # Run from elsewhere: the reference is relative to the document, not to the working folder.
    assert main(["--spec", str(spec), "--out", str(out)]) == 0

    assert "read from beside" in _models(out)


@pytest.mark.parametrize(
    "ref", ["../secret.yaml#/Part", "{root}/secret.yaml#/Part", "link/secret.yaml#/Part"]
)
def test_a_file_outside_the_documents_folder_is_refused(
    tmp_path: Path, ref: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.yaml").write_text(PART.format(where="outside"), encoding="utf-8")
    spec = _spec(tmp_path / "api", ref.format(root=tmp_path))
    (tmp_path / "api" / "link").symlink_to(tmp_path)
    out = tmp_path / "out"

    assert main(["--spec", str(spec), "--out", str(out)]) == 2

    err = capsys.readouterr().err
    assert "#/components/schemas/Widget/properties/part/$ref: " in err
    assert "outside the document's folder: pass --allow-external-refs" in err
    assert not out.exists()
    assert main(["--spec", str(spec), "--out", str(out), "--allow-external-refs"]) == 0
    assert "read from outside" in _models(out)


def test_a_reference_inside_a_referenced_file_is_checked_too(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(PART.format(where="outside"), encoding="utf-8")
    spec = _spec(tmp_path / "api", "part.yaml#/Part")
    (tmp_path / "api" / "part.yaml").write_text("Part: {$ref: '../secret.yaml#/Part'}\n", "utf-8")

    with pytest.raises(SpecProblems) as caught:
        check_refs(read_spec(spec).document, spec)

    (error,) = caught.value.errors
    assert error.pointer == "/components/schemas/Widget/properties/part/$ref"
    assert "'../secret.yaml#/Part' is outside" in error.message


def test_a_remote_reference_is_refused_and_never_fetched(
    tmp_path: Path, schema_server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, hits = schema_server
    spec = _spec(tmp_path / "api", f"{url}/part.yaml#/Part")

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2

    assert "remote reference" in capsys.readouterr().err
    assert hits == []


def test_the_model_generator_itself_refuses_what_the_check_refuses(
    tmp_path: Path, schema_server: tuple[str, list[str]]
) -> None:
    # The second lock: even if the check were skipped, datamodel-code-generator (which follows
    # remote references and outside files on its own) is told not to.
    url, hits = schema_server
    (tmp_path / "secret.yaml").write_text(PART.format(where="outside"), encoding="utf-8")
    for ref in (f"{url}/part.yaml#/Part", "../secret.yaml#/Part"):
        spec = _spec(tmp_path / "api", ref)
        with pytest.raises(SpecProblems):
            render_models(read_spec(spec).document, str(spec), base_path=spec.parent)
    assert hits == []


def test_a_missing_or_broken_referenced_file_is_reported_at_its_reference(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "api", "missing.yaml#/Part")

    with pytest.raises(SpecProblems) as caught:
        check_refs(read_spec(spec).document, spec)

    (error,) = caught.value.errors
    assert error.pointer == "/components/schemas/Widget/properties/part/$ref"
    assert error.message == "'missing.yaml#/Part': cannot read the file: No such file or directory"
