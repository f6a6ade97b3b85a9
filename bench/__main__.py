"""Run every benchmark module in turn; `python -m bench NAME…` runs only those named."""

from __future__ import annotations

import importlib
import sys

#: Each module has a ``run() -> None`` that prints its figures beside its anchor's.
BENCHMARKS = ("parse", "imports", "generate", "throughput", "contract", "bomb")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names:
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
