"""The contract engine judges any server: nothing but the CLI's serve/demo loads the emulator."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = (
    "modelarts_contract.cli",
    "modelarts_contract.runner",
    "modelarts_contract.report",
    "modelarts_contract.plugin",
    "modelarts_contract.test_contract",
)


def test_importing_the_engine_does_not_load_the_emulator() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {ENGINE_MODULES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('modelarts_contract.emulator')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
