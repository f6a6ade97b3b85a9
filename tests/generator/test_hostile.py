"""Hostile strings in every field of a document stay text: the output parses, imports without
running them and keeps the pyproject keys of a clean rendering."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build
from generator.config import PackageConfig
from generator.project import write_project

#: Each would end a string literal, a docstring, a TOML string or a Markdown table if pasted.
PAYLOADS = [
    'x" + __import__("os").system("exit 99") + "',
    '"""\nraise SystemExit(99)\n"""',
    "'''\nraise SystemExit(99)\n'''",
    'say "hi"',
    'ends with a quote"',
    "ends with a backslash\\",
    "\\N{bad} \\x \\u12",
    '"\n[project.scripts]\nevil = "os:system"\n',
    "{0} {{ }} %s f'{__import__(\"os\")}'",
    "class",
    "import os; os._exit(99)  #",
    "line\r\nbreak\u2028and\u2029more\x0bvertical\x00nul",
    "| table | <script>`code`</script>",
    "2fa-digits first",
    "None",
    "ünïcödé — 名前",
    "",
    "   ",
    "a" * 300,
    "self",
]


def _document(payload: str) -> dict[str, Any]:
    p = payload
    # Braces in a path are parameters: a path with stray ones is refused (see below).
    literal = p.replace("{", "").replace("}", "")
    return {
        "openapi": "3.1.0",
        "info": {"title": p, "version": p, "description": p, "summary": p},
        "servers": [{"url": f"https://api.test/{p}", "variables": {}}],
        "x-error-envelope": {"fields": [{"code": p or "c", "message": p or "m"}]},
        "x-constants": {"HOSTILE": {"description": p, "value": [p, p]}},
        "paths": {
            f"/things/{{{literal or 'id'}}}/{literal}": {
                "parameters": [
                    {
                        "name": literal or "id",
                        "in": "path",
                        "required": True,
                        "description": p,
                        "schema": {"type": "string", "default": p, "example": p},
                    },
                ],
                "post": {
                    "operationId": p,
                    "summary": p,
                    "description": p,
                    "parameters": [
                        {
                            "name": p + "q",
                            "in": "query",
                            "description": p,
                            "schema": {"type": "string", "enum": [p, p + "2"], "default": p},
                        },
                        {
                            "name": "X-" + "".join(c for c in p if c.isalnum()) + "h",
                            "in": "header",
                            "schema": {"type": "string"},
                        },
                        {"name": p + "c", "in": "cookie", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"},
                                "example": {"name": p},
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": p,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        },
                        "409": {
                            "description": p,
                            "content": {
                                "application/json": {
                                    "examples": {
                                        p or "e": {
                                            "summary": p,
                                            "x-retryable": True,
                                            "value": {p or "c": p, p or "m": p},
                                        },
                                        (p or "e") + "2": {
                                            "value": {p or "c": p + "2", p or "m": p}
                                        },
                                    }
                                }
                            },
                        },
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": p,
                    "title": p,
                    "properties": {
                        "name": {"type": "string", "description": p, "default": p, "examples": [p]},
                        p or "empty": {"type": "string", "enum": [p, p + "x"], "description": p},
                        "count": {"type": "integer", "description": p},
                    },
                },
                p or "Other": {"type": "object", "description": p},
            },
            "securitySchemes": {
                p or "key": {"type": "apiKey", "in": "header", "name": "X-Key", "description": p},
                (p or "b") + "bearer": {"type": "http", "scheme": "bearer", "description": p},
            },
        },
    }


def _render(tmp_path: Path, payload: str) -> dict[str, str]:
    spec = tmp_path / "hostile.yaml"
    spec.write_text(yaml.safe_dump(_document(payload), allow_unicode=False), encoding="utf-8")
    return build(spec, config=PackageConfig())


@pytest.fixture(scope="module")
def clean_keys(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    files = _render(tmp_path_factory.mktemp("clean"), "plain")
    return _keys(tomllib.loads(files["pyproject.toml"]))


def _keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    found = set()
    for key, value in table.items():
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= _keys(value, f"{prefix}{key}.")
    # The package name is a key of package-data: it is derived, so it may differ.
    return {key for key in found if not key.startswith("tool.setuptools.package-data.")}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_a_hostile_document_renders_into_code_that_parses(
    tmp_path: Path, payload: str, clean_keys: set[str]
) -> None:
    files = _render(tmp_path, payload)

    for name, content in files.items():
        if name.endswith(".py"):
            ast.parse(content, filename=name)
    assert _keys(tomllib.loads(files["pyproject.toml"])) == clean_keys


@pytest.mark.slow
def test_hostile_packages_import_without_running_their_payloads(tmp_path: Path) -> None:
    roots = []
    for index, payload in enumerate(PAYLOADS):
        root = tmp_path / str(index)
        write_project(_render(tmp_path, payload), root)
        roots.append(root)
    script = (
        "import importlib, pathlib, sys\n"
        "for root in sys.argv[1:]:\n"
        "    package = next(p.name for p in pathlib.Path(root).iterdir() if p.is_dir())\n"
        "    sys.path.insert(0, root)\n"
        "    module = importlib.import_module(package)\n"
        "    assert module.Client and module.APIStatusError\n"
        "    sys.path.pop(0)\n"
        "print('imported', len(sys.argv) - 1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, roots)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"imported {len(PAYLOADS)}" in result.stdout
