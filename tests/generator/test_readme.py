"""The rendered README is right: the document's Markdown stays Markdown with only what could run
made inert, the install line names the folder rendered, the errors table lists every class a call
can raise, and the usage example handles the errors the document marks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.escape import md_block, md_text

from .conftest import GENERATED
from .test_hostile import PAYLOADS
from .test_hostile import _render as render_hostile

HOSTILE_MARKDOWN = (
    "Send `Authorization: Access=<AK>` and `a\\nb`; see [the guide](https://example.test/a_(b)).\n"
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- hidden -->\n"
    "[click](javascript:alert(1)) [also](JaVaScRiPt:alert(1)) [entity](&#106;avascript:x)\n"
    "![pixel](data:text/html;base64,PHNjcmlwdD4=) <vbscript:msgbox> <https://ok.test>\n"
    "[ref]: javascript:alert(1)\n\n"
    "```html\n<b>shown as code</b>\n```\n"
    "| a | b |\n"
    "```\nnever closed <script>"
)


def _document(**extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0", "description": HOSTILE_MARKDOWN},
        "security": [{"Key": []}],
        "components": {
            "securitySchemes": {
                "Key": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Key",
                    "description": HOSTILE_MARKDOWN,
                },
                "Basic": {"type": "http", "scheme": "basic"},
            }
        },
        "paths": {
            "/orders/{id}": {
                "delete": {
                    "operationId": "cancelOrder",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "204": {"description": "cancelled"},
                        "409": {"description": "already shipped"},
                    },
                    **extra,
                }
            }
        },
    }


def _render(tmp_path: Path, document: dict[str, Any], folder: str = "shop-client") -> str:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--spec", str(spec), "--out", str(tmp_path / folder)]) == 0
    return (tmp_path / folder / "README.md").read_text(encoding="utf-8")


def _outside_code(markdown: str) -> str:
    without_fences = re.sub(r"^```.*?^```$", "", markdown, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+).+?\1", "", without_fences)


def test_the_documents_markdown_stays_markdown_with_what_could_run_made_inert() -> None:
    block = md_block(HOSTILE_MARKDOWN)

    assert "`Authorization: Access=<AK>` and `a\\nb`" in block  # code spans untouched
    assert "[the guide](https://example.test/a_(b))" in block  # safe links kept
    assert "<https://ok.test>" in block
    assert "```html\n<b>shown as code</b>\n```" in block
    assert block.endswith("```\nnever closed <script>\n```")  # an open fence is closed
    outside = _outside_code(block)
    assert re.search(r"(?<!\\)<(script|img|!--|vbscript)", outside) is None
    assert re.search(r"(?i)\]\([^)]*(javascript|data|&#106;)", outside) is None
    assert "[ref]: #" in outside
    assert "click" in outside and "pixel" in outside  # a neutralised link keeps its text
    assert "&lt;" not in block and "\\`" not in block


def test_a_table_cell_is_one_line_with_its_bars_escaped() -> None:
    assert md_text("a | b\n<b>c</b> `x|y`") == "a \\| b \\<b>c\\</b> `x\\|y`"


def test_a_hostile_readme_has_no_entity_or_escaped_backtick_artefacts(tmp_path: Path) -> None:
    readme = _render(tmp_path, _document())

    assert "&lt;" not in readme and "\\`" not in readme
    assert re.search(r"(?<!\\)<script", _outside_code(readme)) is None


def test_the_install_line_names_the_folder_rendered(tmp_path: Path) -> None:
    assert "pip install ./shop-client\n" in _render(tmp_path, _document())
    assert "pip install './odd name'\n" in _render(tmp_path, _document(), "odd name")


def test_the_committed_readme_installs_its_own_folder_and_keeps_the_specs_markdown() -> None:
    readme = (GENERATED / "README.md").read_text(encoding="utf-8")

    assert "pip install ./generated\n" in readme
    assert "`Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;…>" in readme
    assert "&lt;" not in readme and "\\`" not in readme


def test_the_ours_shows_terminate_with_the_409_handled_as_the_spec_marks_it() -> None:
    readme = (GENERATED / "README.md").read_text(encoding="utf-8")

    assert 'client.terminate_training_job("<training_job_id>")' in readme
    assert "except NotAllowedToTerminate as error:  # 409 ModelArts.2796" in readme


def test_the_errors_table_lists_every_class_a_call_can_raise(tmp_path: Path) -> None:
    readme = _render(tmp_path, _document())
    classes = re.findall(r"^\| [^|]+ \| `(\w+)` \|", readme.split("## Errors")[1], re.MULTILINE)

    assert classes == [
        "APIConnectionError",
        "APITimeoutError",
        "InvalidResponseError",
        "ConflictError",
        "ServerError",
        "APIStatusError",
    ]


def test_each_auth_class_has_a_two_line_example(tmp_path: Path) -> None:
    readme = _render(tmp_path, _document())

    assert 'auth = BasicAuth("<username>", "<password>")\nclient = Client(auth=auth)' in readme
    assert 'auth = KeyAuth("<api key>")\nclient = Client(auth=auth)' in readme


def test_x_readme_example_picks_the_operation_and_the_errors_it_handles(tmp_path: Path) -> None:
    readme = _render(tmp_path, _document(**{"x-readme-example": {"handles": [409]}}))

    assert 'client.cancel_order("<id>")' in readme
    assert "except ConflictError as error:  # 409" in readme


@pytest.mark.parametrize("handles", [["NotDocumented"], [404], "409"])
def test_an_x_readme_example_naming_what_the_operation_lacks_is_refused(
    tmp_path: Path, handles: object, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(_document(**{"x-readme-example": {"handles": handles}})))

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert "x-readme-example/handles" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


#: The hostile payloads that Markdown or a code block could trip on.
MARKDOWN_PAYLOADS = [p for p in PAYLOADS if any(c in p for c in '`|<\\\n\r"')]


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS, ids=range(len(MARKDOWN_PAYLOADS)))
def test_a_hostile_documents_readme_examples_compile_and_show_no_artefacts(
    tmp_path: Path, payload: str
) -> None:
    readme = render_hostile(tmp_path, payload)["README.md"]

    for number, block in enumerate(
        re.findall(r"^```python\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    ):
        compile(block, f"README example {number}", "exec", dont_inherit=True)
    assert "&lt;" not in readme and "\\`" not in readme
    assert re.search(r"(?<!\\)<script", _outside_code(readme)) is None
