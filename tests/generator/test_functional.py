"""Render a client from a small inline spec, import it, and use it against MockTransport."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from generator.cli import main

from .conftest import imported_from

FRAGMENT = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Widgets, version: "1.0"}
    servers: [{url: "https://widgets.test"}]
    x-error-envelope:
      fields: [{code: error_code, message: error_msg}]
    x-constants:
      COLOURS_A_WIDGET_MAY_BE_REPAINTED_IN:
        description: Named before ERROR_CODES, and too long for one line.
        value: [a-rather-long-red, a-rather-long-blue, a-rather-long-green, a-rather-long-grey]
    paths:
      /v1/{project_id}/widgets/{widget_id}:
        parameters:
          - name: project_id
            in: path
            required: true
            schema: {type: string}
            x-client-parameter: true
          - {name: widget_id, in: path, required: true, schema: {type: string}}
        get:
          operationId: getWidget
          summary: Read a widget
          responses:
            "200":
              description: The widget.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Widget"}
            "409":
              description: Busy.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
                  examples:
                    WidgetBusy: {value: {error_code: W.1, error_msg: busy}}
                    WidgetLocked: {value: {error_code: W.2, error_msg: locked}}
        put:
          operationId: renameWidget
          summary: Rename a widget
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Rename"}
          responses:
            "200":
              description: The renamed widget.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Widget"}
    components:
      schemas:
        Widget:
          type: object
          required: [id, colour]
          properties:
            id: {type: string}
            colour: {type: string, enum: [red, blue]}
            grade: {type: integer, enum: [1, 2]}
        Rename:
          type: object
          required: [name]
          properties:
            name: {type: string}
        Error:
          type: object
          required: [error_code, error_msg]
          properties:
            error_code: {type: string}
            error_msg: {type: string}
    """
)


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    spec = tmp_path / "widgets.yaml"
    spec.write_text(FRAGMENT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out)]) == 0
    return out


def test_a_rendered_client_reads_a_model_with_an_unknown_enum_value(rendered: Path) -> None:
    def service(request: httpx.Request) -> httpx.Response:
        assert request.url.raw_path == b"/v1/p1/widgets/w%201"
        return httpx.Response(200, json={"id": "w 1", "colour": "green", "grade": 3, "size": 3})

    with imported_from(rendered, "widgets") as package:
        client = package.Client("p1", transport=httpx.MockTransport(service))
        widget = client.get_widget("w 1")

        assert type(widget).__name__ == "Widget"
        assert (widget.id, widget.colour.value, widget.model_extra) == ("w 1", "green", {"size": 3})
        assert widget.grade.value == 3


def test_a_request_body_becomes_a_typed_parameter(rendered: Path) -> None:
    sent: list[bytes] = []

    def service(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"id": "w", "colour": "red"})

    with imported_from(rendered, "widgets") as package:
        client = package.Client("p1", transport=httpx.MockTransport(service))
        client.rename_widget("w", package.models.Rename(name="bolt"))

    assert sent == [b'{"name":"bolt"}']


def test_error_classes_follow_the_fragments_examples(rendered: Path) -> None:
    answer = httpx.Response(409, json={"error_code": "W.2", "error_msg": "locked"})

    with imported_from(rendered, "widgets") as package:
        client = package.Client(
            "p1",
            transport=httpx.MockTransport(lambda request: answer),
            retry=package.RetryPolicy(max_retries=0),
        )
        with pytest.raises(package.errors.WidgetLocked) as caught:
            client.get_widget("w")

        assert isinstance(caught.value, package.ConflictError)
        assert caught.value.error_msg == "locked"


def test_a_long_constant_is_one_item_a_line_and_sorted_into_all(rendered: Path) -> None:
    with imported_from(rendered, "widgets"):
        constants = importlib.import_module("widgets.constants")

        assert constants.COLOURS_A_WIDGET_MAY_BE_REPAINTED_IN[-1] == "a-rather-long-grey"
        assert list(constants.__all__) == sorted(constants.__all__)


def test_a_rendered_fragment_is_formatted_and_lint_clean(rendered: Path) -> None:
    package = str(rendered / "widgets")
    for command in (["format", "--check", package], ["check", package]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--line-length", "100"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_user_template_overrides_ours_by_file_name(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "README.md.jinja2").write_text("# {{ api.title }} (house style)\n")
    spec = tmp_path / "widgets.yaml"
    spec.write_text(FRAGMENT, encoding="utf-8")
    out = tmp_path / "out"

    assert main(["--spec", str(spec), "--out", str(out), "--templates", str(templates)]) == 0

    assert (out / "README.md").read_text() == "# Widgets (house style)\n"
