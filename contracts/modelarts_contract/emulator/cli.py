"""``modelarts-contract serve``: start the emulator from the command line.

``configure_parser`` adds the options to any argparse parser (the contract CLI's ``serve``
subcommand, or ``python -m modelarts_contract.emulator``); ``run`` starts the server.
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import secrets
import signal
import sqlite3
import sys

from .app import create_app
from .config import EmulatorConfig
from .faults import DEFAULT_RETRY_AFTER, KINDS_HELP, FaultInjector, FaultSpecError, parse_fault
from .server import LOOPBACK, bind, uvicorn_server
from .states import STATES_PATH
from .store import StoreInUse

#: Where the state lives when ``--db`` is not given: a file in the working directory.
DEFAULT_DB = "modelarts-emulator.sqlite3"
#: The project a generated token may act on when no credentials are configured.
DEFAULT_PROJECT = "default-project"
DEFAULT_TERMINATE_SECONDS = 1.0
#: The longest --terminate-seconds: a job that takes longer is better set up as Terminating.
MAX_TERMINATE_SECONDS = 86400.0
#: The longest --fault-retry-after: longer and clients would give up rather than wait.
MAX_RETRY_AFTER = 3600


class OptionError(ValueError):
    """An option's value outside its documented form or range."""


class CredentialError(OptionError):
    """A ``--token`` or ``--aksk`` value that does not have the documented form."""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``serve`` options to ``parser``."""
    parser.add_argument("--host", default=LOOPBACK, help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port; 0 picks a free one (default %(default)s)"
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        help="SQLite file for the jobs, or :memory: (default %(default)s)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN=PROJECT[,PROJECT…]",
        help="an IAM token and the projects it may act on (repeatable)",
    )
    parser.add_argument(
        "--aksk",
        action="append",
        default=[],
        metavar="AK:SK=PROJECT[,PROJECT…]",
        help="an access key, its secret key and the projects it may act on (repeatable)",
    )
    parser.add_argument(
        "--terminate-seconds",
        type=float,
        default=DEFAULT_TERMINATE_SECONDS,
        help="how long a job stays Terminating (0: Terminated at the next read; default %(default)s)",
    )
    parser.add_argument(
        "--no-states",
        action="store_true",
        help=f"turn off the {STATES_PATH} provider-state endpoint",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help=(
            "inject the service's transient faults into API requests, RATE from 0 to 1 "
            f"(repeatable; KIND: {KINDS_HELP}, written delay=SECONDS=RATE)"
        ),
    )
    parser.add_argument(
        "--fault-seed",
        type=int,
        default=None,
        help="seed of the fault sequence, to repeat it (default: a new one each start)",
    )
    parser.add_argument(
        "--fault-retry-after",
        type=int,
        default=DEFAULT_RETRY_AFTER,
        metavar="SECONDS",
        help="Retry-After of injected 429 and 503 answers (default %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="uvicorn's log level (default %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 (with a message, no traceback) for a bad option."""
    try:
        tokens = dict(parse_token(value) for value in args.token)
        aksk = dict(parse_aksk(value) for value in args.aksk)
        faults = tuple(parse_fault(value) for value in args.fault)
        # Built once here so that conflicting faults are refused before anything starts.
        FaultInjector(faults, args.fault_seed)
        _check_range("--terminate-seconds", args.terminate_seconds, 0, MAX_TERMINATE_SECONDS)
        _check_range("--fault-retry-after", args.fault_retry_after, 0, MAX_RETRY_AFTER)
    except (OptionError, FaultSpecError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    generated = None
    if not tokens and not aksk:
        generated = secrets.token_urlsafe(24)
        tokens[generated] = (DEFAULT_PROJECT,)
    config = EmulatorConfig(
        db_path=args.db,
        tokens=tokens,
        aksk=aksk,
        terminate_seconds=args.terminate_seconds,
        states_enabled=not args.no_states,
        faults=faults,
        fault_seed=args.fault_seed,
        fault_retry_after=args.fault_retry_after,
    )
    try:
        sock = bind(args.host, args.port)
    except (OSError, OverflowError) as error:  # OverflowError: a port outside 0-65535
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    try:
        app = create_app(config)
    except StoreInUse as error:
        print(f"error: {error}", file=sys.stderr)
        sock.close()
        return 2
    except sqlite3.Error as error:
        print(f"error: cannot open the database {args.db!r}: {error}", file=sys.stderr)
        sock.close()
        return 2
    host, port = sock.getsockname()[:2]
    base_url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    print(f"ModelArts emulator listening on {base_url}", flush=True)
    if not args.no_states:
        print(f"provider states: {base_url}{STATES_PATH}", flush=True)
        if not _is_loopback(host):
            print(
                f"warning: the provider-state endpoint is reachable from other machines on "
                f"{host}; anyone holding a token or AK/SK can create jobs through it "
                "(pass --no-states to turn it off)",
                file=sys.stderr,
                flush=True,
            )
    if faults:
        print(f"faults: {', '.join(args.fault)}", flush=True)
    if generated is not None:
        print(f"token for project {DEFAULT_PROJECT}: {generated}", flush=True)
    # uvicorn stops on SIGTERM, then raises the signal again once it has restored the handler
    # found at start: this one, so the store is still closed (and 0 returned), not killed.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        uvicorn_server(app, args.log_level).run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        app.close()
    return 0


class _Stopped(Exception):
    """SIGTERM arrived after the server stopped."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _check_range(option: str, value: float, lowest: float, highest: float) -> None:
    if not math.isfinite(value) or not lowest <= value <= highest:
        raise OptionError(f"{option} must be a number from {lowest:g} to {highest:g}, not {value}")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def parse_token(value: str) -> tuple[str, tuple[str, ...]]:
    """``TOKEN=PROJECT[,PROJECT…]`` as (token, projects)."""
    _check_text("--token", value)
    token, _, projects = value.rpartition("=")
    if not token:
        raise CredentialError(f"--token {value!r} is not TOKEN=PROJECT[,PROJECT…]")
    return token, _projects(value, projects)


def parse_aksk(value: str) -> tuple[str, tuple[str, tuple[str, ...]]]:
    """``AK:SK=PROJECT[,PROJECT…]`` as (access key, (secret key, projects))."""
    _check_text("--aksk", value)
    keys, _, projects = value.rpartition("=")
    access_key, _, secret_key = keys.partition(":")
    if not access_key or not secret_key:
        raise CredentialError(f"--aksk {value!r} is not AK:SK=PROJECT[,PROJECT…]")
    return access_key, (secret_key, _projects(value, projects))


def _projects(value: str, listed: str) -> tuple[str, ...]:
    projects = tuple(project.strip() for project in listed.split(",") if project.strip())
    if not projects:
        raise CredentialError(f"{value!r} names no project after '='")
    return projects


def _check_text(option: str, value: str) -> None:
    # A command line that is not UTF-8 arrives with surrogate escapes; such a key could never
    # match what a client sends, and would break signing.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise CredentialError(f"{option} holds bytes that are not UTF-8") from None
