"""Time a cold ``python -m generator`` against ``openapi-python-client generate`` on our spec.

Both produce formatted code: ours is formatted as it is rendered, openapi-python-client runs
ruff over its output. Each run is a fresh process writing into a fresh temporary folder, as
``make generate`` and a maintainer's first run of openapi-python-client would be; the best of a
few runs is reported so that a background hiccup does not decide the comparison. CPU time (of the process and its
children, ruff included) is printed beside wall-clock time because it barely moves when other
jobs share the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
REPETITIONS = 5


def _time(command: list[str], out: Path) -> tuple[float, float]:
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
        env={**os.environ, "PATH": path},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run() -> None:
    """Print the best wall-clock and CPU seconds of each generator and their ratios."""
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(REPETITIONS):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "generated"
            ours.append(_time([sys.executable, "-m", "generator", "--out", str(out)], out))
            if opc is not None:
                client = Path(scratch) / "opc-client"
                command = [opc, "generate", "--path", str(SPEC), "--output-path", str(client)]
                theirs.append(_time([*command, "--meta", "setup"], client))
    print(f"spec/openapi.yaml, best of {REPETITIONS} cold runs (wall clock / CPU)")
    print(f"  python -m generator            : {_best(ours, 0):5.2f} s / {_best(ours, 1):5.2f} s")
    if not theirs:
        print("  openapi-python-client is not installed: no comparison")
        return
    print(
        f"  openapi-python-client generate : {_best(theirs, 0):5.2f} s / {_best(theirs, 1):5.2f} s"
    )
    for label, index in (("wall clock", 0), ("CPU", 1)):
        ratio = _best(theirs, index) / _best(ours, index)
        verdict = "not slower" if ratio >= 1 else "SLOWER"
        print(f"  {label}: ratio {ratio:.2f}x ({verdict} than openapi-python-client)")


def _best(runs: list[tuple[float, float]], index: int) -> float:
    return min(run[index] for run in runs)


if __name__ == "__main__":
    run()
