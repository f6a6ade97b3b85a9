"""``modelarts-contract``: run the contract against a server, serve the emulator, or demo both.

Exit codes of ``run`` and ``demo``: 0 every clause passed (or was skipped), 1 a clause failed,
2 a usage error, an unreachable server or a failed provider state.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
from collections.abc import Sequence

from .config import DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, ContractConfig
from .credentials import AkSkCredentials, Credentials, TokenCredentials
from .errors import ServerUnreachable
from .report import render_table, write_junit
from .runner import RunReport, run_contract, select_clauses
from .states import HttpProviderStates, NoProviderStates, ProviderStates

USAGE_ERROR = 2


class UsageError(ValueError):
    """A command line that cannot be run as given."""


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
    run.add_argument("--token", help="IAM token, sent as X-Auth-Token")
    run.add_argument("--ak", help="access key for AK/SK signing (with --sk)")
    run.add_argument("--sk", help="secret key for AK/SK signing (with --ak)")
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
        help="run only this clause (T1…T10 or its name); repeatable",
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


def credentials_from(args: argparse.Namespace) -> Credentials:
    """The credentials the options give: a token, or an AK/SK pair, never both."""
    if args.token and (args.ak or args.sk):
        raise UsageError("give either --token or --ak/--sk, not both")
    if args.token:
        return TokenCredentials(args.token)
    if args.ak and args.sk:
        return AkSkCredentials(args.ak, args.sk)
    if args.ak or args.sk:
        raise UsageError("--ak and --sk go together")
    raise UsageError("credentials are needed: --token T, or --ak AK --sk SK")


def config_from(args: argparse.Namespace, **overrides: object) -> ContractConfig:
    """The run's configuration from parsed options (``overrides`` for ``demo``)."""
    values: dict[str, object] = {
        "max_examples": args.max_examples,
        "seed": args.seed if args.seed is not None else random.randrange(2**31),
        "timeout": args.timeout,
        "workers": args.workers,
        "clauses": tuple(args.clause),
    }
    if args.command == "run":
        if not args.base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url {args.base_url!r} is not an http(s) URL")
        values |= {
            "base_url": args.base_url,
            "project_id": args.project_id,
            "credentials": credentials_from(args),
            "state_url": args.state_url,
            "other_project_id": args.other_project_id,
        }
    values |= overrides
    try:
        select_clauses(tuple(args.clause))
    except ValueError as error:
        raise UsageError(str(error)) from None
    return ContractConfig(**values)  # type: ignore[arg-type]


def execute(config: ContractConfig, states: ProviderStates, junit_xml: str | None) -> int:
    """Run the contract, print the report, write JUnit when asked; the exit code."""
    print(f"modelarts-contract: {config.base_url} (seed {config.seed})", file=sys.stderr)
    try:
        report: RunReport = run_contract(config, states)
    except ServerUnreachable as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    print(render_table(report))
    if report.aborted:
        print(f"error: provider states failed: {report.aborted}", file=sys.stderr)
    if junit_xml:
        try:
            write_junit(report, junit_xml)
        except OSError as error:
            print(f"error: cannot write JUnit XML to {junit_xml}: {error}", file=sys.stderr)
            return USAGE_ERROR
        print(f"JUnit XML written to {junit_xml}", file=sys.stderr)
    return report.exit_code


def _run(args: argparse.Namespace) -> int:
    config = config_from(args)
    states: ProviderStates
    if config.state_url:
        states = HttpProviderStates(
            config.state_url, config.timeout, credentials=config.credentials
        )
    else:
        states = NoProviderStates()
    try:
        return execute(config, states, args.junit_xml)
    finally:
        if isinstance(states, HttpProviderStates):
            states.close()


def _demo(args: argparse.Namespace) -> int:
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
        config = config_from(
            args,
            base_url=server.base_url,
            project_id=project,
            credentials=TokenCredentials(token),
            state_url=server.state_url,
            other_project_id=other,
        )
        states = HttpProviderStates(
            server.state_url, config.timeout, credentials=config.credentials
        )
        try:
            return execute(config, states, args.junit_xml)
        finally:
            states.close()


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
        handlers = {"run": _run, "demo": _demo}
        return handlers[args.command](args)
    except UsageError as error:
        print(f"modelarts-contract: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
