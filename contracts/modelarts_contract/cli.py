"""``modelarts-contract``: run the contract against a server, replay a failure, serve the emulator.

Exit codes of ``run`` and ``demo``: 0 every clause passed (or was partly checked or skipped,
unless ``--strict``), 1 a clause failed, 2 a usage error, an unreachable server, refused
credentials, a server that does not speak this API, or a failed provider state. ``replay``:
1 the recorded failure is seen again, 0 it is not, 2 the replay could not run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Sequence

from .config import DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT
from .contract_run import ContractRun, RunOptions, build_run
from .credentials import ACCESS_KEY_VARIABLE, SECRET_KEY_VARIABLE, TOKEN_VARIABLE, TokenCredentials
from .errors import UsageError
from .report import render_table, write_junit, write_replays

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The ``modelarts-contract`` argument parser with its three subcommands."""
    parser = argparse.ArgumentParser(
        prog="modelarts-contract",
        description="Contract suite for ModelArts 'terminate a training job'.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the contract against a server")
    run.add_argument("--base-url", required=True, help="root URL of the server under test")
    run.add_argument("--project-id", required=True, help="project the credentials act on")
    run.add_argument(
        "--token", help=f"IAM token, sent as X-Auth-Token (default: ${TOKEN_VARIABLE})"
    )
    run.add_argument(
        "--ak", help=f"access key for AK/SK signing, with --sk (default: ${ACCESS_KEY_VARIABLE})"
    )
    run.add_argument(
        "--sk", help=f"secret key for AK/SK signing, with --ak (default: ${SECRET_KEY_VARIABLE})"
    )
    run.add_argument(
        "--state-url", help="provider-state endpoint; stateful clauses skip without it"
    )
    run.add_argument(
        "--other-project-id", help="a project whose jobs the credentials must not touch"
    )
    _add_run_options(run)
    demo = commands.add_parser(
        "demo", help="start the emulator in-process and run the contract on it"
    )
    _add_run_options(demo)
    replay = commands.add_parser(
        "replay",
        help="prepare the provider state of a failure again and re-send its requests",
    )
    replay.add_argument("file", help="a replay file a failed run wrote")
    replay.add_argument(
        "--base-url",
        help="send the requests to this server instead of the one the file was recorded on",
    )
    replay.add_argument(
        "--state-url",
        help="provider-state endpoint (default: the file's, when it is on the base URL)",
    )
    replay.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        help="seconds per request (default %(default)s)",
    )
    # The emulator's options are parsed by the emulator's own parser, imported only when `serve`
    # runs: the engine judges any server and must not load the emulator for `run`.
    commands.add_parser("serve", help="start the local emulator of the service (see serve --help)")
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-examples",
        type=_positive_int,
        default=DEFAULT_MAX_EXAMPLES,
        help="generated cases per operation and mode in T1 (default %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, help="seed for generated data (default: random, printed)"
    )
    parser.add_argument("--junit-xml", metavar="PATH", help="also write the results as JUnit XML")
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        help="seconds per request, and for a job to reach Terminated (default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="independent cases of a clause run at once (default %(default)s)",
    )
    parser.add_argument(
        "--clause",
        action="append",
        default=[],
        metavar="ID",
        help="run only this clause (T1…T11 or its name); repeatable",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 unless every clause passed in full (a partial or skipped clause fails)",
    )
    parser.add_argument(
        "--replay-dir",
        metavar="DIR",
        help="write failures' replay files here (default: a new temporary folder)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not above 0")
    return value


def options_from(args: argparse.Namespace) -> RunOptions:
    """The run as the command line describes it."""
    return RunOptions(
        base_url=getattr(args, "base_url", None),
        project_id=getattr(args, "project_id", None),
        token=getattr(args, "token", None),
        access_key=getattr(args, "ak", None),
        secret_key=getattr(args, "sk", None),
        state_url=getattr(args, "state_url", None),
        other_project_id=getattr(args, "other_project_id", None),
        max_examples=args.max_examples,
        seed=args.seed,
        timeout=args.timeout,
        workers=args.workers,
        clauses=tuple(args.clause),
        strict=args.strict,
        replay_dir=args.replay_dir,
    )


def execute(run: ContractRun, junit_xml: str | None) -> int:
    """Run the contract, print the report, write replays and JUnit; the exit code."""
    config = run.config
    print(f"modelarts-contract: {config.base_url} (seed {config.seed})", file=sys.stderr)
    report = run.execute()
    if report.exit_code == 1:
        try:
            report.replay_files = write_replays(report, run.replay_directory())
        except OSError as error:
            print(f"error: cannot write replay files: {error}", file=sys.stderr)
    print(render_table(report))
    if report.stopped:
        print(f"error: {report.redact(report.stopped)}", file=sys.stderr)
    if report.aborted:
        print(f"error: provider states failed: {report.redact(report.aborted)}", file=sys.stderr)
    if junit_xml:
        try:
            write_junit(report, junit_xml)
        except OSError as error:
            print(f"error: cannot write JUnit XML to {junit_xml}: {error}", file=sys.stderr)
            return USAGE_ERROR
        print(f"JUnit XML written to {junit_xml}", file=sys.stderr)
    return report.exit_code


def _run(args: argparse.Namespace) -> int:
    with build_run(options_from(args), os.environ) as run:
        return execute(run, args.junit_xml)


def _demo(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .emulator import EmulatorConfig, serve_in_thread

    token = secrets.token_urlsafe(24)
    project, other = "demo-project", "demo-other-project"
    emulator = EmulatorConfig(
        db_path=":memory:",
        tokens={token: (project,), "demo-other-token": (other,)},
        terminate_seconds=1.0,
        states_enabled=True,
    )
    with serve_in_thread(emulator) as server:
        print(f"emulator listening on {server.base_url}", file=sys.stderr)
        options = replace(
            options_from(args),
            base_url=server.base_url,
            project_id=project,
            state_url=server.state_url,
            other_project_id=other,
        )
        with build_run(options, os.environ, credentials=TokenCredentials(token)) as run:
            return execute(run, args.junit_xml)


def _replay(args: argparse.Namespace) -> int:
    from .replay import replay_file

    return replay_file(
        args.file,
        os.environ,
        timeout=args.timeout,
        base_url=args.base_url,
        state_url=args.state_url,
    )


def _serve(argv: list[str]) -> int:
    from .emulator.cli import configure_parser, run

    parser = argparse.ArgumentParser(
        prog="modelarts-contract serve", description="Start the emulator."
    )
    configure_parser(parser)
    try:
        emulator_args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    return run(emulator_args)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the subcommand; the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        # `serve` hands its options to the emulator's own parser, loaded only for it.
        if arguments[:1] == ["serve"]:
            return _serve(arguments[1:])
        try:
            args = build_parser().parse_args(arguments)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
        handlers = {"run": _run, "demo": _demo, "replay": _replay}
        return handlers[args.command](args)
    except UsageError as error:
        print(f"modelarts-contract: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        # Answers are read within a cap; this is the machine, not the server under test.
        print("modelarts-contract: error: out of memory", file=sys.stderr)
        return USAGE_ERROR
