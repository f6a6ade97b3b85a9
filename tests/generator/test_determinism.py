"""Rendering is a pure function of the spec's content: no timestamps, no dependence on order."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import yaml

from generator.build import build, config_for
from generator.cli import main

from .conftest import SPEC


def _shuffled(document: dict[str, Any], seed: int) -> dict[str, Any]:
    rng = random.Random(seed)

    def shuffle(mapping: dict[str, Any]) -> dict[str, Any]:
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    result = dict(document)
    result["components"] = shuffle(
        {section: shuffle(value) for section, value in document["components"].items()}
    )
    result["paths"] = shuffle(document["paths"])
    return result


def test_rendering_twice_gives_the_same_bytes_from_the_library_and_from_the_cache(
    tmp_path: Path,
) -> None:
    # Folders of one name: the README's install line names the folder.
    first, second = tmp_path / "first" / "out", tmp_path / "second" / "out"
    assert main(["--out", str(first), "--no-cache"]) == 0
    assert main(["--out", str(second)]) == 0
    assert main(["--out", str(second)]) == 0

    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_the_output_does_not_depend_on_the_order_of_components(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    original = build(SPEC)
    for seed in (1, 2):
        shuffled = tmp_path / f"shuffled-{seed}.yaml"
        shuffled.write_text(yaml.safe_dump(_shuffled(document, seed), sort_keys=False))

        rendered = build(shuffled, config=config_for(SPEC))

        assert rendered.keys() == original.keys()
        for name in original:
            if name.endswith("openapi.json"):
                # The shipped document keeps the spec's own key order, by design.
                assert json.loads(rendered[name]) == json.loads(original[name])
            else:
                assert rendered[name] == original[name], f"{name} depends on component order"


def test_regenerating_keeps_the_times_of_unchanged_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert main(["--out", str(out)]) == 0
    pyproject = out / "pyproject.toml"
    os.utime(pyproject, (1_000_000_000, 1_000_000_000))
    readme = out / "README.md"
    readme.write_text("stale\n", encoding="utf-8")
    os.utime(readme, (1_000_000_000, 1_000_000_000))

    assert main(["--out", str(out)]) == 0

    assert pyproject.stat().st_mtime == 1_000_000_000
    assert readme.stat().st_mtime > 1_000_000_000
