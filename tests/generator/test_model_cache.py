"""A document rendered before is answered from the models cache: same bytes, no library run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import models
from generator.model_cache import ModelCache
from generator.models import render_models

from .conftest import ROOT, SPEC

DOCUMENT = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def _no_library(*args: object) -> str:
    raise AssertionError("datamodel-code-generator ran")


def test_a_document_rendered_before_is_answered_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ModelCache(tmp_path / "cache")
    fresh = render_models(DOCUMENT, "spec", cache=cache)
    monkeypatch.setattr(models, "run_library", _no_library)

    assert render_models(DOCUMENT, "spec", cache=cache) == fresh
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == oct(0o700)


def test_a_changed_document_or_option_runs_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ModelCache(tmp_path / "cache")
    render_models(DOCUMENT, "spec", cache=cache)
    changed = {**DOCUMENT, "info": {**DOCUMENT["info"], "title": "Other"}}
    render_models(changed, "spec", cache=cache)  # info is not in the models' input: a hit
    monkeypatch.setattr(models, "run_library", _no_library)
    schemas = dict(DOCUMENT["components"]["schemas"])
    schemas["Extra"] = {"type": "object", "properties": {"a": {"type": "integer"}}}
    other = {**DOCUMENT, "components": {**DOCUMENT["components"], "schemas": schemas}}

    with pytest.raises(AssertionError, match="ran"):
        render_models(other, "spec", cache=cache)
    monkeypatch.setitem(models.OPTIONS, "builtin_format_line_length", 99)
    with pytest.raises(AssertionError, match="ran"):
        render_models(DOCUMENT, "spec", cache=cache)


def test_a_document_with_references_to_files_is_never_cached(tmp_path: Path) -> None:
    (tmp_path / "part.yaml").write_text("Part: {type: object}\n", encoding="utf-8")
    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {"A": {"type": "object", "properties": {"p": {"$ref": "part.yaml#/Part"}}}}
        },
    }
    cache = ModelCache(tmp_path / "cache")

    render_models(document, "doc", base_path=tmp_path, cache=cache)

    assert not (tmp_path / "cache").exists()


def test_a_cache_folder_others_can_write_to_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    cache = ModelCache(folder)
    render_models(DOCUMENT, "spec", cache=cache)
    os.chmod(folder, 0o777)
    monkeypatch.setattr(models, "run_library", _no_library)

    with pytest.raises(AssertionError, match="ran"):
        render_models(DOCUMENT, "spec", cache=cache)


def test_the_cache_keeps_only_the_newest_entries(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path / "cache", limit=3)
    for index in range(5):
        cache.put(f"{index:064x}", f"# {index}\n")
        os.utime(tmp_path / "cache" / f"{index:064x}.models.py", (index, index))

    assert [cache.get(f"{index:064x}") for index in range(5)] == [
        None,
        None,
        "# 2\n",
        "# 3\n",
        "# 4\n",
    ]


def test_a_cached_run_does_not_import_the_model_generator(tmp_path: Path) -> None:
    probe = (
        "import sys; from generator.cli import main; "
        f"assert main(['--out', {str(tmp_path / 'out')!r}]) == 0; "
        "print('datamodel_code_generator' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout.split()[-1]
        for _ in range(2)
    ]

    # The first run may be the one that fills the cache; the second is answered from it.
    assert runs[1] == "False"


def test_output_answered_from_the_cache_gets_the_same_rewrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = yaml.safe_load(
        (ROOT / "tests" / "generator" / "matrix" / "root_defaults.yaml").read_text()
    )
    cache = ModelCache(tmp_path / "cache")
    fresh = render_models(document, "spec", cache=cache)
    monkeypatch.setattr(models, "run_library", _no_library)

    assert render_models(document, "spec", cache=cache) == fresh
    assert "ParallelToolCalls.model_validate(True)" in fresh


def test_the_library_is_given_the_reshaped_schemas(tmp_path: Path) -> None:
    narrowing = yaml.safe_load(
        (ROOT / "tests" / "generator" / "matrix" / "narrowing_subclass.yaml").read_text()
    )

    code = render_models(narrowing, "spec", cache=ModelCache(tmp_path / "cache"))

    assert "class PetPage(BaseModel):" in code
    assert "class StreamingRequest(BaseModel):" in code
