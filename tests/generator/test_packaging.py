"""The generated project builds into a wheel that carries its typing marker and its spec."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import GENERATED


# pip builds in an isolated environment, as `pip install ./generated` does for a user, so it
# fetches setuptools>=68 from the configured package index.
@pytest.mark.slow
def test_the_generated_project_builds_a_complete_wheel(tmp_path: Path) -> None:
    # Built from a copy: an in-tree build would leave build/ and *.egg-info in generated/.
    project = tmp_path / "project"
    shutil.copytree(GENERATED, project, ignore=shutil.ignore_patterns("*.egg-info", "build"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
        + ["-w", str(tmp_path / "dist"), str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # No deprecated metadata form: setuptools warns of none while building.
    assert "Warning" not in result.stdout + result.stderr

    (wheel,) = (tmp_path / "dist").glob("modelarts_training-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in ("__init__", "_retry", "auth", "client", "errors", "models", "signing"):
        assert f"modelarts_training/{module}.py" in names
    assert {"modelarts_training/py.typed", "modelarts_training/openapi.json"} <= names
    metadata = next(name for name in names if name.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Dist: httpx>=0.27" in text
    assert "Requires-Dist: pydantic>=2.10" in text
    # The document's info.version and info.license.identifier, not fixed values.
    assert "\nVersion: 2.0.0\n" in text
    assert "\nLicense-Expression: Apache-2.0\n" in text
