"""Rendered models keep unknown enum values of any type, and unknown fields unless closed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pydantic
import pytest
import yaml

from generator.models import render_models

from .conftest import ROOT

SCHEMAS = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Kinds, version: "1"}
    paths: {}
    components:
      schemas:
        Grade: {type: integer, enum: [1, 2, 3]}
        Mixed: {enum: [1, "one", 2.5]}
        Ratio: {type: number, enum: [0.5, 1.5]}
        Flag: {type: boolean, enum: [true]}
        Colour: {type: string, enum: [red, blue]}
        Open:
          type: object
          properties: {a: {type: integer}}
        Closed:
          type: object
          additionalProperties: false
          properties:
            a: {type: integer}
            inner:
              type: object
              unevaluatedProperties: false
              properties: {b: {type: integer}}
        Merged:
          allOf:
            - type: object
              properties: {a: {type: integer}}
            - properties: {b: {type: integer}}
        MergedClosed:
          allOf:
            - type: object
              additionalProperties: false
              properties: {a: {type: integer}}
        Holder:
          type: object
          properties:
            grade: {$ref: "#/components/schemas/Grade"}
            mixed: {$ref: "#/components/schemas/Mixed"}
            ratio: {$ref: "#/components/schemas/Ratio"}
            flag: {$ref: "#/components/schemas/Flag"}
            colour: {$ref: "#/components/schemas/Colour"}
    """
)


@pytest.fixture(scope="module")
def models_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("models") / "kinds_models.py"
    path.write_text(render_models(yaml.safe_load(SCHEMAS), "kinds.yaml"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def models(models_file: Path) -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("kinds_models", models_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # pydantic resolves the postponed annotations through sys.modules.
    sys.modules["kinds_models"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["kinds_models"]


@pytest.mark.parametrize(
    ("field", "unknown"),
    [("grade", 7), ("mixed", 9), ("mixed", "two"), ("mixed", 3.5), ("ratio", 3), ("ratio", 2.5)]
    + [("flag", False), ("colour", "green")],
)
def test_an_unknown_enum_value_of_a_documented_type_is_kept(
    models: ModuleType, field: str, unknown: object
) -> None:
    holder = models.Holder.model_validate({field: unknown})

    assert getattr(holder, field).value == unknown
    assert holder.model_dump(mode="json")[field] == unknown


@pytest.mark.parametrize(
    ("field", "wrong"), [("grade", "7"), ("grade", 2.5), ("ratio", "x"), ("mixed", [1])]
)
def test_a_value_of_another_type_is_still_an_error(
    models: ModuleType, field: str, wrong: object
) -> None:
    with pytest.raises(pydantic.ValidationError):
        models.Holder.model_validate({field: wrong})


def test_a_documented_value_is_the_member_itself(models: ModuleType) -> None:
    assert models.Holder.model_validate({"mixed": "one", "grade": 2}).mixed is models.Mixed("one")


def test_an_open_model_keeps_unknown_fields(models: ModuleType) -> None:
    open_ = models.Open.model_validate_json('{"a": 1, "later": [1, 2]}')

    assert open_.model_extra == {"later": [1, 2]}
    assert open_.model_dump() == {"a": 1, "later": [1, 2]}


def test_a_model_merged_from_inline_objects_keeps_unknown_fields_unless_one_is_closed(
    models: ModuleType,
) -> None:
    merged = models.Merged.model_validate_json('{"a": 1, "b": 2, "later": 3}')
    closed = models.MergedClosed.model_validate_json('{"a": 1, "later": 3}')

    assert merged.model_extra == {"later": 3}
    assert closed.model_dump(exclude_none=True) == {"a": 1}


def test_a_closed_model_accepts_unknown_fields_but_drops_them(models: ModuleType) -> None:
    closed = models.Closed.model_validate_json('{"a": 1, "later": 2, "inner": {"b": 3, "c": 4}}')

    assert closed.model_dump(exclude_none=True) == {"a": 1, "inner": {"b": 3}}
    assert not closed.model_extra and not closed.inner.model_extra


def test_the_models_pass_mypy_strict(models_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(models_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
