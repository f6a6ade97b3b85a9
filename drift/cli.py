"""``python -m drift`` (``make drift``): the spec's terminate answer against the official SDK's.

Exit codes: 0 a report (differences or not); 1 with ``--fail-on-drift``, a difference that the
allow-list does not accept; 2 a usage error, an unreadable spec or allow-list, or no SDK installed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import allowlist, sdk_tree, spec_tree
from .compare import compare
from .errors import DriftError
from .report import DriftReport, render_json, render_table

USAGE_ERROR = 2
DRIFT = 1
_REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = _REPOSITORY / "spec" / "openapi.yaml"
DEFAULT_ALLOWLIST = _REPOSITORY / "spec" / "drift-allowlist.txt"


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m drift`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m drift",
        description=(
            "Compare the spec's answer of terminateTrainingJob with the official SDK's "
            "StopTrainingJobResponse, field path by field path."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--fail-on-drift",
        action="store_true",
        help="exit 1 when a difference is not in the allow-list",
    )
    parser.add_argument(
        "--allowlist",
        type=Path,
        metavar="PATH",
        help="the accepted differences (default: spec/drift-allowlist.txt)",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        metavar="PATH",
        help="the OpenAPI document (default: spec/openapi.yaml)",
    )
    parser.add_argument(
        "--print-allowlist",
        action="store_true",
        help="print an allow-list accepting every current difference, instead of the report",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, compare, print; the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    if args.print_allowlist and (args.json or args.fail_on_drift):
        print(
            "drift: error: --print-allowlist prints an allow-list, not a report: "
            "leave out --json and --fail-on-drift",
            file=sys.stderr,
        )
        return USAGE_ERROR
    try:
        return _run(args)
    except DriftError as error:
        print(f"drift: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader (`| head`) went away: nothing left to tell it. 141 is what a shell reports
        # for a writer ended by SIGPIPE, and it cannot be mistaken for a verdict on the drift.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _run(args: argparse.Namespace) -> int:
    models = sdk_tree.load_model_package()
    version = sdk_tree.sdk_version()
    spec_path = args.spec or DEFAULT_SPEC
    document = spec_tree.load_spec(spec_path)
    sdk_fields = sdk_tree.sdk_fields(models)
    spec_fields = spec_tree.spec_fields(document, spec_tree.answer_schema(document))
    findings = compare(sdk_fields, spec_fields)
    if args.print_allowlist:
        sys.stdout.write(allowlist.format_allowlist(findings, version))
        return 0
    allowlist_path = args.allowlist or DEFAULT_ALLOWLIST
    entries = None
    if args.fail_on_drift or args.allowlist or allowlist_path.exists():
        entries = allowlist.read_allowlist(allowlist_path)
    report = DriftReport(
        sdk_distribution=sdk_tree.SDK_DISTRIBUTION,
        sdk_version=version,
        sdk_class=sdk_tree.ANSWER_CLASS,
        spec_path=_shown(spec_path),
        operation=spec_tree.OPERATION_ID,
        status=spec_tree.ANSWER_STATUS,
        sdk_paths=len(sdk_fields),
        spec_paths=len(spec_fields),
        findings=findings,
        allowlist_path=None if entries is None else _shown(allowlist_path),
        stale_entries=() if entries is None else allowlist.stale_entries(findings, entries),
        not_allowed=() if entries is None else allowlist.not_allowed(findings, entries),
    )
    sys.stdout.write(render_json(report) if args.json else render_table(report))
    if args.fail_on_drift and report.not_allowed:
        print(
            f"drift: {len(report.not_allowed)} difference(s) not in the allow-list "
            f"{report.allowlist_path}:",
            file=sys.stderr,
        )
        for finding in report.not_allowed:
            print(f"  {finding.key}", file=sys.stderr)
        return DRIFT
    return 0


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
