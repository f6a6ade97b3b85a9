"""Time a cold ``python -m generator`` against ``openapi-python-client generate``, side by side.

Two documents: our own spec, and one of many operations written by :func:`many_operations`
(CRUD over a dozen resources, so both generators support every part of it). Both generators
produce formatted code: ours formats as it renders, openapi-python-client runs ruff over its
output. Each run is a fresh process writing into a fresh temporary folder; the runs alternate
(ours, ours again, theirs, …) so that a change in the machine's load hits all alike, and the
best and the median of the runs are reported. Ours is timed three ways: with ``--no-cache`` (a
document never rendered before: datamodel-code-generator imported and run, in the worker forked
at start); the same with ``--single-process`` (the library imported in the one process, as on a
machine with one CPU); and with the models cache holding the document (every later run of
``make generate``/``--check`` on it), in a cache folder of the bench's own. CPU time (of the process and its children, ruff included) is printed
beside wall-clock time because it moves less when other jobs share the machine.

Both generators run from byte-compiled modules, as installed tools do: pip byte-compiles
openapi-python-client, and ``generator/`` is byte-compiled before the first round. Python would
write those files itself on our first run, but not where ``PYTHONDONTWRITEBYTECODE`` is set (some
CI runners and sandboxes): each run would then compile our sources again, which measures the
environment, not the generator.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from generator.worker import SINGLE_PROCESS

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
REPETITIONS = 7
#: The issue's goal: our wall-clock time at most this fraction of openapi-python-client's.
GOAL = 0.8
RESOURCES: tuple[str, ...] = ("widget", "gadget", "order", "invoice", "customer", "supplier")
RESOURCES += ("shipment", "warehouse", "product", "review", "coupon", "refund", "ticket", "agent")


def many_operations(resources: tuple[str, ...] = RESOURCES) -> dict[str, Any]:
    """An OpenAPI 3.1 document with create/read/replace/delete on each resource (4 per resource)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error_code", "error_msg"],
            "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}},
        }
    }
    not_found = {
        "description": "No such item.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    tenant_id = {"name": "tenant_id", "in": "path", "required": True, "schema": {"type": "string"}}
    for name in resources:
        model = name.capitalize()
        ref = {"$ref": f"#/components/schemas/{model}"}
        body = {"required": True, "content": {"application/json": {"schema": ref}}}

        def answer(status: str, description: str, ref: dict[str, str] = ref) -> dict[str, Any]:
            content = {"application/json": {"schema": ref}}
            return {status: {"description": description, "content": content}, "404": not_found}

        item_id = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
        paths[f"/v1/{{tenant_id}}/{name}s"] = {
            "parameters": [tenant_id],
            "post": {
                "operationId": f"create{model}",
                "summary": f"Create a {name}",
                "requestBody": body,
                "responses": answer("201", f"The new {name}."),
            },
        }
        paths[f"/v1/{{tenant_id}}/{name}s/{{item_id}}"] = {
            "parameters": [tenant_id, item_id],
            "get": {
                "operationId": f"get{model}",
                "summary": f"Read a {name}",
                "responses": answer("200", f"The {name}."),
            },
            "put": {
                "operationId": f"replace{model}",
                "summary": f"Replace a {name}",
                "requestBody": body,
                "responses": answer("200", f"The replaced {name}."),
            },
            "delete": {
                "operationId": f"delete{model}",
                "summary": f"Delete a {name}",
                "responses": answer("200", f"The deleted {name}."),
            },
        }
        schemas[model] = {
            "type": "object",
            "description": f"A {name}.",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string", "description": f"The {name}'s id."},
                "name": {"type": "string", "maxLength": 64},
                "state": {"type": "string", "enum": ["draft", "active", "archived"]},
                "count": {"type": "integer", "minimum": 0},
                "price": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "created": {"type": "string", "format": "date-time"},
                "owner": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
                },
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Many operations", "version": "1.0"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _time(command: list[str], out: Path, cache: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, the process and its children) of one run."""
    # openapi-python-client formats its output with ruff, found on PATH, and silently skips that
    # step when ruff is missing; the virtualenv's bin folder goes first so it runs as designed.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": path, "XDG_CACHE_HOME": str(cache)},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _byte_compile() -> None:
    """Byte-compile ``generator/`` as pip would on install (see the module's docstring)."""
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")]
    subprocess.run(command, check=True, capture_output=True)


def _compare(label: str, spec: Path, opc: str | None) -> None:
    runs: dict[str, list[tuple[float, float]]] = {
        "python -m generator --no-cache": [],
        "  the same, --single-process": [],
        "python -m generator (cached)": [],
        "openapi-python-client generate": [],
    }
    with tempfile.TemporaryDirectory() as cache_home:
        cache = Path(cache_home)
        for index in range(REPETITIONS + 1):
            with tempfile.TemporaryDirectory() as scratch:
                ours = [sys.executable, "-m", "generator", "--spec", str(spec)]
                theirs = [opc, "generate", "--path", str(spec), "--meta", "setup"] if opc else []
                commands = {
                    "python -m generator --no-cache": [*ours, "--no-cache", "--out"],
                    "  the same, --single-process": [*ours, "--no-cache", SINGLE_PROCESS, "--out"],
                    "python -m generator (cached)": [*ours, "--out"],
                    "openapi-python-client generate": [*theirs, "--output-path"] if opc else [],
                }
                for position, (name, command) in enumerate(commands.items()):
                    if command:
                        out = Path(scratch) / f"run-{position}"
                        timing = _time([*command, str(out)], out, cache)
                        # The first round fills the cache (and the OS's file cache): not counted.
                        if index:
                            runs[name].append(timing)
    print(f"{label}: {REPETITIONS} alternating runs each, best / median (wall clock ; CPU)")
    for name, timings in runs.items():
        if timings:
            print(f"  {name:31}: {_summary(timings)}")
    theirs_runs = runs["openapi-python-client generate"]
    if not theirs_runs:
        print("  openapi-python-client is not installed: no comparison")
        return
    print(
        f"  ours / openapi-python-client (the goal: at most {GOAL:.2f}x, median wall clock, cold)"
    )
    kinds = {
        "python -m generator --no-cache": "cold (--no-cache: the model library runs)",
        "  the same, --single-process": "cold, the library imported in the one process",
        "python -m generator (cached)": "cached (the models cache holds the document)",
    }
    for name, kind in kinds.items():
        for clock, index in (("wall", 0), ("CPU", 1)):
            ratio = _best(runs[name], index) / _best(theirs_runs, index)
            median = _median(runs[name], index) / _median(theirs_runs, index)
            verdict = "meets" if median <= GOAL else "MISSES"
            print(
                f"    {kind:45} {clock:4}: {ratio:.2f}x best, {median:.2f}x median"
                f" ({verdict} {GOAL:.2f}x)"
            )


def _summary(runs: list[tuple[float, float]]) -> str:
    wall = f"{_best(runs, 0):5.2f} / {_median(runs, 0):5.2f} s"
    return f"{wall} ; {_best(runs, 1):5.2f} / {_median(runs, 1):5.2f} s"


def _best(runs: list[tuple[float, float]], index: int) -> float:
    return min(run[index] for run in runs)


def _median(runs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(run[index] for run in runs)


def run() -> None:
    """Print both generators' times on our spec and on a document of many operations."""
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    _byte_compile()
    _compare("spec/openapi.yaml", SPEC, opc)
    with tempfile.TemporaryDirectory() as scratch:
        document = many_operations()
        operations = sum(
            1 for item in document["paths"].values() for key in item if key != "parameters"
        )
        many = Path(scratch) / "many-operations.yaml"
        many.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        _compare(
            f"{operations} operations, {len(document['components']['schemas'])} schemas", many, opc
        )


if __name__ == "__main__":
    run()
