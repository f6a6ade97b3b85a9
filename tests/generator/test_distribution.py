"""The rendered pyproject.toml says what the document says: its version (PEP 440) and its license
(an SPDX expression), nothing it does not state; --package-version and the config file override."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.distribution import FALLBACK_VERSION, pep440, spdx


def _document(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Books", **info},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
        },
    }


def _render(tmp_path: Path, info: dict[str, Any], *args: str) -> dict[str, Any]:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(_document(info)), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out), *args]) == 0
    project: dict[str, Any] = tomllib.loads((out / "pyproject.toml").read_text())["project"]
    return project


@pytest.mark.parametrize(
    ("stated", "normalised"),
    [
        ("3.0.0", "3.0.0"),
        ("v2", "2"),
        ("1.0-beta.2", "1.0b2"),
        ("2.1.0-RC1", "2.1.0rc1"),
        ("2019-08-14", "2019.8.14"),  # a dated API version reads as a calendar version
        ("1.0.0+build.7", "1.0.0+build.7"),
    ],
)
def test_a_document_version_is_normalised_to_pep_440(stated: str, normalised: str) -> None:
    assert pep440(stated) == normalised


@pytest.mark.parametrize("stated", ["latest", "1.0.0-SNAPSHOT", "", "2.0 beta"])
def test_a_version_pep_440_cannot_read_is_none(stated: str) -> None:
    assert pep440(stated) is None


def test_the_package_takes_the_documents_version_and_states_no_license_it_lacks(
    tmp_path: Path,
) -> None:
    project = _render(tmp_path, {"version": "3.0.0"})

    assert project["version"] == "3.0.0"
    assert "license" not in project


def test_an_unreadable_version_falls_back_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _render(tmp_path, {"version": "latest"})

    assert project["version"] == FALLBACK_VERSION
    assert "#/info/version: 'latest' is not a PEP 440 version" in capsys.readouterr().err


def test_package_version_on_the_command_line_wins_over_the_document(tmp_path: Path) -> None:
    project = _render(tmp_path, {"version": "latest"}, "--package-version", "4.1.0.post2")

    assert project["version"] == "4.1.0.post2"


def test_a_package_version_in_the_config_file_is_used(tmp_path: Path) -> None:
    (tmp_path / "generator.toml").write_text('package-version = "5.0"\n', encoding="utf-8")

    assert _render(tmp_path, {"version": "1.0"})["version"] == "5.0"


def test_a_package_version_that_is_not_pep_440_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(_document({"version": "1"})), encoding="utf-8")
    out = tmp_path / "out"

    assert main(["--spec", str(spec), "--out", str(out), "--package-version", "soon"]) == 2
    assert "/package-version: must be a PEP 440 version" in capsys.readouterr().err
    assert not out.exists()


def test_an_spdx_identifier_becomes_the_license_expression(tmp_path: Path) -> None:
    project = _render(
        tmp_path, {"version": "1", "license": {"name": "Either", "identifier": "mit OR Apache-2.0"}}
    )

    assert project["license"] == "MIT OR Apache-2.0"


def test_a_license_name_that_is_no_spdx_expression_gives_no_license_field(tmp_path: Path) -> None:
    project = _render(tmp_path, {"version": "1", "license": {"name": "Apache 2.0 (see site)"}})

    assert "license" not in project


def test_an_identifier_that_is_no_spdx_expression_is_dropped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _render(tmp_path, {"version": "1", "license": {"name": "x", "identifier": '"; rm'}})

    assert "license" not in project
    assert "#/info/license/identifier: not an SPDX license expression" in capsys.readouterr().err


def test_spdx_reads_what_setuptools_reads() -> None:
    assert spdx("apache-2.0") == "Apache-2.0"
    assert spdx("LicenseRef-Acme") == "LicenseRef-Acme"
    assert spdx("Apache 2.0") is None
