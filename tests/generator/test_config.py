"""The package's names come from --package-name, a generator.toml, or the document's title."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import ROOT

DOCUMENT = ROOT / "tests" / "generator" / "matrix" / "servers.yaml"


def _rendered_names(out: Path) -> tuple[str, str]:
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    packages = [p.name for p in out.iterdir() if p.is_dir()]
    return packages[0], project["name"]


def test_without_config_the_title_names_the_package(tmp_path: Path) -> None:
    assert main(["--spec", str(DOCUMENT), "--out", str(tmp_path / "out")]) == 0

    assert _rendered_names(tmp_path / "out") == ("servers", "servers")


def test_a_config_file_beside_the_document_names_the_package_and_its_base_error(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "generator.toml").write_text(
        'package-name = "acme_api"\ndistribution-name = "acme-api-client"\n'
        'base-error-name = "AcmeError"\n',
        encoding="utf-8",
    )

    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 0

    out = tmp_path / "out"
    assert _rendered_names(out) == ("acme_api", "acme-api-client")
    assert "class AcmeError(Exception):" in (out / "acme_api" / "errors.py").read_text()


def test_package_name_on_the_command_line_wins(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["--spec", str(DOCUMENT), "--out", str(out), "--package-name", "pinged"]) == 0

    assert _rendered_names(out) == ("pinged", "pinged")


@pytest.mark.parametrize("name", ["Bad-Name", "class", "x\nimport os", ""])
def test_a_package_name_that_is_not_a_module_name_is_refused(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"

    assert main(["--spec", str(DOCUMENT), "--out", str(out), "--package-name", name]) == 2
    assert "package-name" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_key_in_the_config_file_is_refused_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "custom.toml"
    config.write_text('package_name = "typo"\n', encoding="utf-8")

    assert (
        main(["--spec", str(DOCUMENT), "--out", str(tmp_path / "o"), "--config", str(config)]) == 2
    )
    assert "custom.toml#/package_name: unknown key" in capsys.readouterr().err
