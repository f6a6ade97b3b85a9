"""The syntax tree of the models module, parsed once for every step that reads it.

The library's output is read by several steps in a row (defaults, deferred builds, the check
that every model was rendered, the lazy split), mostly unchanged between them; each parse of a
large module costs as much as compiling it. The last tree is kept, one only, so the memory it
holds is what the step reading it needed anyway.
"""

from __future__ import annotations

import ast
from functools import lru_cache


@lru_cache(maxsize=1)
def parsed(source: str) -> ast.Module:
    """The tree of ``source``, shared with the next caller of the same text: never change it."""
    return ast.parse(source)
