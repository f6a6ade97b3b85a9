"""Problems found in an OpenAPI document, as values that carry where in the document they are."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that would break a problem's one line (or a terminal) if printed as they are.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class SpecError:
    """One problem in the document, located by a JSON pointer (RFC 6901) into it."""

    pointer: str
    message: str

    def __str__(self) -> str:
        shown = _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", self.pointer)
        return f"{shown or '/'}: {self.message}"


class SpecProblems(Exception):
    """The document cannot be rendered; ``errors`` lists every problem found, not just the first."""

    def __init__(self, source: str, errors: list[SpecError]) -> None:
        self.source = source
        self.errors = tuple(errors)
        if len(self.errors) == 1:
            super().__init__(f"{source}#{self.errors[0]}")
        else:
            lines = "\n".join(f"  {source}#{error}" for error in self.errors)
            super().__init__(f"{len(self.errors)} problems in {source}:\n{lines}")


def pointer(*parts: str | int) -> str:
    """A JSON pointer from path parts, escaping ``~`` and ``/`` as RFC 6901 asks."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
