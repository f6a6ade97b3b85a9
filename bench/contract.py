"""Time the default ``modelarts-contract run`` against the emulator beside a plain ``schemathesis run``.

Both are fresh processes against one emulator served by real uvicorn on loopback, with the same
example budget (``--max-examples`` 50); schemathesis runs without its example database, as in CI.
The contract's run must stay within 60 s on 2 cores (issue 5).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from modelarts_contract.emulator import EmulatorConfig, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
BUDGET = 50
BUDGET_SECONDS = 60.0
TOKEN, PROJECT, OTHER_TOKEN, OTHER_PROJECT = (
    "bench-token",
    "bench-project",
    "bench-other",
    "bench-other-project",
)


def _timed(command: list[str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, result.returncode, result.stdout + result.stderr


def run() -> None:
    """Print both timings and the contract's verdict line."""
    bin_dir = Path(sys.executable).parent
    config = EmulatorConfig(
        db_path=":memory:",
        tokens={TOKEN: (PROJECT,), OTHER_TOKEN: (OTHER_PROJECT,)},
        terminate_seconds=1.0,
    )
    with serve_in_thread(config) as server, tempfile.TemporaryDirectory() as scratch:
        contract_s, contract_rc, contract_out = _timed(
            [
                str(bin_dir / "modelarts-contract"),
                "run",
                "--base-url",
                server.base_url,
                "--project-id",
                PROJECT,
                "--token",
                TOKEN,
                "--state-url",
                server.state_url,
                "--other-project-id",
                OTHER_PROJECT,
                "--max-examples",
                str(BUDGET),
                "--seed",
                "1",
            ]
        )
        plain_s, plain_rc, _ = _timed(
            [
                str(bin_dir / "schemathesis"),
                "run",
                str(SPEC),
                "--url",
                server.base_url,
                "-H",
                f"X-Auth-Token: {TOKEN}",
                "--max-examples",
                str(BUDGET),
                "--generation-database",
                "none",
                "--report-dir",
                scratch,
            ]
        )
    verdict = next(
        (line for line in contract_out.splitlines() if " passed, " in line), "no verdict"
    )
    print(
        f"modelarts-contract run (all 10 clauses, {BUDGET} examples): {contract_s:6.1f} s  exit {contract_rc}  [{verdict}]"
    )
    print(
        f"plain schemathesis run ({BUDGET} examples, no database):    {plain_s:6.1f} s  exit {plain_rc}"
    )
    within = "within" if contract_s <= BUDGET_SECONDS else "OVER"
    print(f"contract run is {within} the {BUDGET_SECONDS:.0f} s budget")


if __name__ == "__main__":
    run()
