"""``python -m modelarts_contract.emulator``: the same as ``modelarts-contract serve``."""

from __future__ import annotations

import argparse
import sys

from .cli import configure_parser, run


def main(argv: list[str] | None = None) -> int:
    """Parse the ``serve`` options and run the emulator."""
    parser = argparse.ArgumentParser(
        prog="python -m modelarts_contract.emulator",
        description="A local emulator of ModelArts 'terminate a training job'.",
    )
    configure_parser(parser)
    try:
        return run(parser.parse_args(argv))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
