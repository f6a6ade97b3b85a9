"""datamodel-code-generator in a worker forked at start: the same bytes and messages as in one
process, and no run ever lost to it (a dead worker, an interrupt, a run that never needs it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.worker import ModelWorker

from .conftest import ROOT, SPEC

MATRIX = Path(__file__).parent / "matrix"
HELPS = sys.platform == "linux" and len(os.sched_getaffinity(0)) >= 2
needs_worker = pytest.mark.skipif(not HELPS, reason="a worker is forked on Linux with 2+ CPUs")


def _generator(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(
        command, check=False, capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _refused(tmp_path: Path) -> Path:
    """A document only the library refuses (``items`` must be a schema, not a number)."""
    schemas = {"A": {"type": "array", "items": 5}}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    path = tmp_path / "refused.json"
    path.write_text(json.dumps({**document, "components": {"schemas": schemas}}))
    return path


@needs_worker
@pytest.mark.parametrize("kind", ["our spec", "library warning", "library refusal"])
def test_the_worker_renders_and_tells_what_one_process_does(kind: str, tmp_path: Path) -> None:
    spec = {
        "our spec": SPEC,
        "library warning": MATRIX / "root_defaults.yaml",
        "library refusal": _refused(tmp_path),
    }[kind]
    runs = {}
    for mode in ("forked", "single"):
        out = tmp_path / mode / "client"  # one folder name: the README's install line names it
        flags = ["--single-process"] if mode == "single" else []
        args = ["--spec", str(spec), "--out", str(out), "--package-name", "p", "--no-cache"]
        result = _generator(*args, *flags)
        files = _files(out) if out.exists() else {}
        runs[mode] = (result.returncode, result.stderr, files)

    assert runs["forked"] == runs["single"]
    status, told, files = runs["forked"]
    if kind == "library refusal":
        assert status == 2
        assert f"error: {spec}#/components/schemas: " in told
        assert "items" in told
        assert files == {}
    else:
        assert status == 0, told
        assert "p/_models.py" in files
        assert ("warning:" in told) == (kind == "library warning")


def _script(body: str) -> str:
    """Run ``body`` in a fresh interpreter (a fork of pytest's process would carry its threads)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(body)],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


#: Run inside :func:`_script`: the models document of our spec, and the in-process run of it.
_PRELUDE = """
    import os, signal, sys
    from pathlib import Path
    from generator import build, models
    from generator.worker import ModelWorker

    worker = ModelWorker.start()
    assert worker is not None
    asked = []
    def keep(text, base_path, options):
        asked.append((text, base_path, options))
        return lambda: models.run_library(text, base_path, options)
    build.build(Path("spec/openapi.yaml"), quiet=True, runner=keep)
    (text, base_path, options), = asked
    alone = models.run_library(text, base_path, options)
    assert alone.code and alone.code.startswith('\"\"\"Pydantic models')
"""


@needs_worker
def test_a_worker_answers_what_the_library_gives_in_this_process() -> None:
    out = _script(
        _PRELUDE
        + """
    pid = worker.pid
    assert worker(text, base_path, options)() == alone
    print(worker.pid, pid > 0)
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        print("reaped")
    """
    )
    # Answered, then stopped and reaped: no child outlives its one answer.
    assert out.split() == ["0", "True", "reaped"]


@needs_worker
@pytest.mark.parametrize("when", ["before the request", "while warming up"])
def test_a_dead_worker_costs_time_never_the_run(when: str) -> None:
    delay = "0" if when == "before the request" else "0.05"
    out = _script(
        _PRELUDE.replace(
            "worker = ModelWorker.start()",
            f"worker = ModelWorker.start(); import time; time.sleep({delay});"
            " os.kill(worker.pid, signal.SIGKILL)",
        )
        + """
    answer = worker(text, base_path, options)
    assert answer() == alone  # run here instead
    assert answer() == alone  # and waited for again: here again
    assert worker(text, base_path, options)() == alone  # asked again: here too
    worker.close()
    worker.close()
    print("same")
    """
    )
    assert out.split() == ["same"]


def test_no_worker_where_it_cannot_help_or_would_hide_a_traceback() -> None:
    assert ModelWorker.start(["--single-process"]) is None
    assert ModelWorker.start(["--spec", "x", "--debug"]) is None
    out = _script(
        """
        import os
        from generator.worker import ModelWorker
        os.environ["GENERATOR_DEBUG"] = "1"
        print(ModelWorker.start() is None)
        del os.environ["GENERATOR_DEBUG"]
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one CPU: nothing to overlap
        print(ModelWorker.start() is None)
        """
    )
    assert out.split() == ["True", "True"]


@needs_worker
def test_a_run_the_library_is_not_needed_for_leaves_no_process_behind(tmp_path: Path) -> None:
    # Refused before the models (a path key that is no path): the worker is stopped unasked.
    spec = tmp_path / "refused.json"
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    spec.write_text(json.dumps({**document, "paths": {"no-slash": {}}}))
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--spec", str(spec), "--out", str(tmp_path / "o")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _, told = process.communicate(timeout=120)

    assert process.returncode == 2, told
    assert "no-slash" in told
    assert _group_is_gone(process.pid)


def _slow_document(folder: Path) -> Path:
    """A valid document the library needs about 15 s for (2,000 models): a run of it is surely
    past the imports and waiting on the worker a second after it starts, whatever the machine."""
    model = {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(10)}}
    schemas = {f"Model{i}": model for i in range(2000)}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    path = folder / "slow.json"
    path.write_text(json.dumps({**document, "components": {"schemas": schemas}}))
    return path


@needs_worker
def test_an_interrupt_stops_both_processes_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o"
    spec = _slow_document(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--spec", str(spec), "--out", str(out), "--no-cache"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(1.5)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole group
    _, told = process.communicate(timeout=120)

    # 130, or death by SIGINT itself (what a shell also reports as 130): CPython 3.11 marks an
    # interrupt that lands inside exec() (dataclasses build their methods so) as unhandled even
    # when it is caught, and re-raises SIGINT at exit.
    assert process.returncode in (130, -signal.SIGINT), told
    assert told.strip() == "interrupted; nothing was written"
    assert not out.exists()
    assert _group_is_gone(process.pid)


def _group_is_gone(group: int) -> bool:
    """Whether no process of the session ``group`` led is left (the worker included)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@needs_worker
def test_a_worker_dies_with_its_parent_however_the_parent_ends(tmp_path: Path) -> None:
    # The child is given a document the library needs about 15 s for, then its parent is killed
    # (SIGKILL: no chance to close the worker). Only the kernel can end the child in time.
    script = f"""
        import os, signal
        from pathlib import Path
        from generator.models import OPTIONS
        from generator.worker import ModelWorker

        worker = ModelWorker.start()
        text = Path({str(_slow_document(tmp_path))!r}).read_text()
        worker(text, None, OPTIONS)  # returns once the child has read it all: it is running
        print(worker.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
    # Not read to its end: a child left running would hold the pipe open for its 15 s.
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    child = int(process.stdout.readline())
    assert process.wait(timeout=120) == -signal.SIGKILL

    assert _ended(child, within=5)
    process.stdout.close()


def _ended(pid: int, within: float) -> bool:
    """Whether ``pid`` ends within so many seconds (a zombie nobody reaped yet has ended)."""
    deadline = time.monotonic() + within
    stat = Path(f"/proc/{pid}/stat")
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rpartition(")")[2].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False
