"""The command line of ``python -m generator``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from generator import DEBUG_VARIABLE, INTERRUPTED
from generator.build import CONFIG_NAME, build, config_for
from generator.model_cache import ModelCache
from generator.models import Runner
from generator.problems import SpecProblems
from generator.project import (
    OutputRefused,
    check_target,
    diff_project,
    write_project,
)
from generator.refs import FLAG as ALLOW_EXTERNAL_REFS
from generator.verify import BrokenOutput
from generator.worker import SINGLE_PROCESS

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTION = (
    "Render a typed client package from an OpenAPI document (by default generated/ from"
    " spec/openapi.yaml), or check that a folder matches it."
)


def main(argv: Sequence[str] | None = None, *, runner: Runner | None = None) -> int:
    """Run the generator; the exit status is 0 on success, 1 on drift, a failed write or an
    internal error, 2 on a bad spec or bad arguments. Never a traceback unless asked for.
    ``runner`` runs datamodel-code-generator (default: in this process)."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=DESCRIPTION)
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "openapi.yaml")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "generated",
        help="the output folder: new, empty, or one the generator wrote before (it is replaced)",
    )
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
    parser.add_argument(
        "--package-version",
        help="the version of the generated package (PEP 440; default: the document's info.version)",
    )
    parser.add_argument(
        ALLOW_EXTERNAL_REFS,
        action="store_true",
        help="follow $ref to remote addresses and to files outside the document's folder",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="always run datamodel-code-generator, even for a document it rendered before",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="do not print warnings about the document (what it gets away with)",
    )
    parser.add_argument(
        SINGLE_PROCESS,
        action="store_true",
        help="run datamodel-code-generator in this process, not in one forked at the start to"
        " import it meanwhile (cold runs take longer on a machine with two or more CPUs)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of an internal error (or set {DEBUG_VARIABLE}=1)",
    )
    args = parser.parse_args(argv)
    if args.templates is not None and not args.templates.is_dir():
        parser.error(f"--templates {args.templates} is not a folder")
    try:
        return _run(args, runner)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the one place that turns a bug into one line
        if args.debug or os.environ.get(DEBUG_VARIABLE):
            traceback.print_exc()
        detail = str(error).splitlines()[0] if str(error) else ""
        print(
            f"internal error: {type(error).__name__}: {detail} (--debug shows the traceback)",
            file=sys.stderr,
        )
        return 1


def _run(args: argparse.Namespace, runner: Runner | None) -> int:
    if not args.check:
        try:
            check_target(args.out.resolve())
        except OutputRefused as refused:
            print(f"error: --out {refused}", file=sys.stderr)
            return 2
    try:
        files = build(
            args.spec,
            args.templates,
            config_for(args.spec, args.config, args.package_name, args.package_version),
            allow_external_refs=args.allow_external_refs,
            cache=None if args.no_cache else ModelCache.for_user(),
            quiet=args.quiet,
            folder=args.out.resolve().name,
            runner=runner,
        )
    except SpecProblems as problems:
        print(f"error: {problems}", file=sys.stderr)
        return 2
    except BrokenOutput as broken:
        print(f"internal error: {broken}; nothing was written", file=sys.stderr)
        return 1
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
    except OutputRefused as refused:
        print(f"error: --out {refused}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"rendered {len(files)} files into {args.out}")
    return 0
