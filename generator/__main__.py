"""``python -m generator``: render ``generated/`` from ``spec/openapi.yaml``, or check it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.build import CONFIG_NAME, build, config_for
from generator.problems import SpecProblems
from generator.project import diff_project, write_project

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator; the exit status is 0 on success, 1 on drift or a failed write, 2 on a
    bad spec or bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "openapi.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "generated")
    parser.add_argument(
        "--check",
        action="store_true",
        help="render into a temporary folder and fail with a diff when --out differs",
    )
    parser.add_argument(
        "--templates", type=Path, help="a folder whose templates override ours by file name"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help=f"a generator config file (default: {CONFIG_NAME} beside --spec)",
    )
    parser.add_argument("--package-name", help="the import name of the generated package")
    args = parser.parse_args(argv)
    if args.templates is not None and not args.templates.is_dir():
        parser.error(f"--templates {args.templates} is not a folder")
    try:
        files = build(
            args.spec, args.templates, config_for(args.spec, args.config, args.package_name)
        )
    except SpecProblems as problems:
        print(f"error: {problems}", file=sys.stderr)
        return 2
    if args.check:
        drift = diff_project(files, args.out)
        if drift:
            sys.stdout.write(drift)
            print(f"{args.out} does not match {args.spec}: run `make generate`.", file=sys.stderr)
            return 1
        print(f"{args.out} matches {args.spec}.")
        return 0
    try:
        write_project(files, args.out)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"rendered {len(files)} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
