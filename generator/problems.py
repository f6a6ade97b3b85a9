"""Problems found in an OpenAPI document, as values that carry where in the document they are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpecError:
    """One problem in the document, located by a JSON pointer (RFC 6901) into it."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


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
