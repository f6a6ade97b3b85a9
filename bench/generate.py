"""Time a cold ``python -m generator`` against ``openapi-python-client generate`` on our spec.

Both produce formatted code: ours is formatted as it is rendered, openapi-python-client runs
ruff over its output. Each run is a fresh process writing into a fresh temporary folder, as ``make generate`` and a
maintainer's first run of openapi-python-client would be; the best of a few runs is reported so
that a background hiccup does not decide the comparison.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
REPETITIONS = 3


def _time(command: list[str], out: Path) -> float:
    # openapi-python-client formats its output with ruff, found on PATH, and silently skips that
    # step when ruff is missing; the virtualenv's bin folder goes first so it runs as designed.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": path},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def run() -> None:
    """Print the best wall-clock seconds of each generator and their ratio."""
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(REPETITIONS):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "generated"
            ours.append(_time([sys.executable, "-m", "generator", "--out", str(out)], out))
            if opc is not None:
                client = Path(scratch) / "opc-client"
                command = [opc, "generate", "--path", str(SPEC), "--output-path", str(client)]
                theirs.append(_time([*command, "--meta", "setup"], client))
    print(f"spec/openapi.yaml, best of {REPETITIONS} cold runs")
    print(f"  python -m generator                   : {min(ours):6.2f} s")
    if not theirs:
        print("  openapi-python-client is not installed: no comparison")
        return
    print(f"  openapi-python-client generate        : {min(theirs):6.2f} s")
    ratio = min(theirs) / min(ours)
    verdict = "not slower" if ratio >= 1 else "SLOWER"
    print(f"  ratio {ratio:.2f}x ({verdict} than openapi-python-client)")


if __name__ == "__main__":
    run()
