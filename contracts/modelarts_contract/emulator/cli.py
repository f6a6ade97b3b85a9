"""``modelarts-contract serve``: start the emulator from the command line.

``configure_parser`` adds the options to any argparse parser (the contract CLI's ``serve``
subcommand, or ``python -m modelarts_contract.emulator``); ``run`` starts the server.
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import sys

from .app import create_app
from .config import EmulatorConfig
from .server import LOOPBACK, bind, uvicorn_server
from .states import STATES_PATH

#: Where the state lives when ``--db`` is not given: a file in the working directory.
DEFAULT_DB = "modelarts-emulator.sqlite3"
#: The project a generated token may act on when no credentials are configured.
DEFAULT_PROJECT = "default-project"
DEFAULT_TERMINATE_SECONDS = 1.0


class CredentialError(ValueError):
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
    except CredentialError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.terminate_seconds < 0:
        print("error: --terminate-seconds must not be negative", file=sys.stderr)
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
    )
    try:
        sock = bind(args.host, args.port)
    except (OSError, OverflowError) as error:  # OverflowError: a port outside 0-65535
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    try:
        app = create_app(config)
    except sqlite3.Error as error:
        print(f"error: cannot open the database {args.db!r}: {error}", file=sys.stderr)
        sock.close()
        return 2
    host, port = sock.getsockname()[:2]
    base_url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    print(f"ModelArts emulator listening on {base_url}", flush=True)
    if not args.no_states:
        print(f"provider states: {base_url}{STATES_PATH}", flush=True)
    if generated is not None:
        print(f"token for project {DEFAULT_PROJECT}: {generated}", flush=True)
    try:
        uvicorn_server(app, args.log_level).run(sockets=[sock])
    finally:
        sock.close()
        app.close()
    return 0


def parse_token(value: str) -> tuple[str, tuple[str, ...]]:
    """``TOKEN=PROJECT[,PROJECT…]`` as (token, projects)."""
    token, _, projects = value.rpartition("=")
    if not token:
        raise CredentialError(f"--token {value!r} is not TOKEN=PROJECT[,PROJECT…]")
    return token, _projects(value, projects)


def parse_aksk(value: str) -> tuple[str, tuple[str, tuple[str, ...]]]:
    """``AK:SK=PROJECT[,PROJECT…]`` as (access key, (secret key, projects))."""
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
