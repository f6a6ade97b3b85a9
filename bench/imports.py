"""Time importing a package rendered from a large document, beside ``import pydantic, httpx``.

The document is :func:`large_document` (500 object schemas of twelve fields each, nested and
listed in one another, 150 operations), or the one ``BENCH_IMPORT_SPEC`` names (Stripe's
``spec3.json``, say). It is rendered with ``python -m generator`` (the user's models cache, as
``make generate`` uses, makes every run after the first quick), byte-compiled as pip installs
it, then both imports run in fresh interpreters in alternating rounds; the best of each is
printed, with its peak memory.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: The issue's goal: the package imports within this many seconds of pydantic and httpx.
GOAL_SECONDS = 1.0
ROUNDS = 5
SCHEMAS = 500
OPERATIONS = 150
ANCHOR = "import pydantic, httpx"


def large_document(schemas: int = SCHEMAS, operations: int = OPERATIONS) -> dict[str, Any]:
    """An OpenAPI 3.1 document of ``schemas`` models and ``operations`` operations."""
    components: dict[str, Any] = {}
    for index in range(schemas):
        properties: dict[str, Any] = {
            "id": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "amount": {"type": "integer", "minimum": 0},
            "ratio": {"type": "number"},
            "active": {"type": "boolean"},
            "status": {"type": "string", "enum": ["draft", "open", "closed"]},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 50}},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            "note": {"type": ["string", "null"], "maxLength": 500},
            "url": {"type": "string", "format": "uri"},
        }
        if index:
            properties["parent"] = {"$ref": f"#/components/schemas/Resource{index - 1}"}
            properties["children"] = {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/Resource{index // 2}"},
            }
        components[f"Resource{index}"] = {
            "type": "object",
            "required": ["id", "status"],
            "properties": properties,
        }
    paths: dict[str, Any] = {}
    for index in range(operations):
        ref = {"$ref": f"#/components/schemas/Resource{index * schemas // operations}"}
        paths[f"/resources{index}/{{id}}"] = {
            "get": {
                "operationId": f"getResource{index}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "expand", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Large", "version": "1.0.0"},
        "servers": [{"url": "https://large.test"}],
        "paths": paths,
        "components": {"schemas": components},
    }


def _render(spec: Path, out: Path) -> str | None:
    """The package rendered from ``spec`` into ``out``, byte-compiled; ``None`` (the generator's
    error printed) when the generator refuses the document."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--spec", str(spec), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
        print(f"  not measured: {spec} does not render ({'; '.join(errors) or result.stderr})")
        return None
    package = next(path.name for path in out.iterdir() if (path / "__init__.py").is_file())
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(out / package)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return package


def _timed(statement: str, folder: Path) -> tuple[float, int]:
    """Wall-clock seconds and peak memory (KiB) of a fresh interpreter running ``statement``."""
    script = (
        "import resource, time\n"
        "start = time.perf_counter()\n"
        f"{statement}\n"
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, check=True
    )
    seconds, kib = result.stdout.split()
    return float(seconds), int(kib)


def run() -> None:
    """Print the best import time of the package and of its dependencies."""
    chosen = os.environ.get("BENCH_IMPORT_SPEC")
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        root = Path(folder)
        spec = Path(chosen) if chosen else root / "large.json"
        if not chosen:
            spec.write_text(json.dumps(large_document()), encoding="utf-8")
        started = time.perf_counter()
        package = _render(spec, root / "out")
        if package is None:
            return
        rendered = time.perf_counter() - started
        # With models defined lazily, models.py only loads _models.py, which holds them.
        lazy = root / "out" / package / "_models.py"
        source = (lazy if lazy.exists() else lazy.with_name("models.py")).read_text("utf-8")
        models = len(re.findall(r"^class ", source, re.MULTILINE))
        ours: list[tuple[float, int]] = []
        anchor: list[tuple[float, int]] = []
        for _ in range(ROUNDS):
            anchor.append(_timed(ANCHOR, root / "out"))
            ours.append(_timed(f"import {package}", root / "out"))
    (ours_s, ours_kib), (anchor_s, anchor_kib) = min(ours), min(anchor)
    print(f"{spec.name if chosen else 'large_document()'}: {models} model classes")
    print(f"  rendered in {rendered:.1f} s; best of {ROUNDS} fresh interpreters:")
    print(f"  import {package:<30} : {ours_s:6.2f} s  {ours_kib / 1024:6.0f} MiB")
    print(f"  {ANCHOR:<37} : {anchor_s:6.2f} s  {anchor_kib / 1024:6.0f} MiB  (anchor)")
    over = ours_s - anchor_s
    verdict = "meets" if over <= GOAL_SECONDS else "MISSES"
    print(f"  {over:+.2f} s over the anchor ({verdict} the {GOAL_SECONDS:.0f} s goal)")


if __name__ == "__main__":
    run()
