"""Check every rendered file before any is written: Python must compile, TOML must parse.

Spec strings are escaped on their way into the output; this is the lock behind that door. A file
that fails here is a bug of the generator (or of a user's template override), never of the spec,
and nothing is written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping


class BrokenOutput(Exception):
    """A rendered file is not valid Python or TOML: an internal error, the run writes nothing."""


def verify_rendered(files: Mapping[str, str]) -> None:
    """Raise :class:`BrokenOutput` for the first rendered file that does not compile or parse."""
    for path, content in sorted(files.items()):
        if path.endswith(".py"):
            try:
                # Compiled, never run: compile() executes nothing of the module.
                compile(content, path, "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as error:
                line = getattr(error, "lineno", None)
                where = f" line {line}" if line else ""
                raise BrokenOutput(f"rendered {path} does not compile:{where} {error}") from None
        elif path.endswith(".toml"):
            try:
                tomllib.loads(content)
            except tomllib.TOMLDecodeError as error:
                raise BrokenOutput(f"rendered {path} is not valid TOML: {error}") from None
