"""Models built on first use, not on import: the rewrite of ``models.py`` that makes it so.

pydantic builds a model's validator when its class is created, unless the model's config says
``defer_build``; then the first validation builds it, with the models it nests. A package of a
large document (Stripe's: more than a thousand models) would otherwise spend seconds and hundreds
of megabytes at import building validators for models a program never touches.

datamodel-code-generator's output is kept as it is, apart from two things: ``BaseModel`` and
``RootModel`` become the module's own bases, which carry ``defer_build``, so every ``class``
line stays as the library wrote it; and its trailing ``Model.model_rebuild()`` calls, which
would build those models (and all they nest) at import, are dropped: a deferred model resolves
its forward references when it is first built, once the whole module is defined.
"""

from __future__ import annotations

import ast
import re

from generator.syntax import parsed

#: The bases the rewritten module defines in place of pydantic's, after its imports.
BASES = {
    "BaseModel": '''

class BaseModel(pydantic.BaseModel):
    """Base of the object models: each is built on first use, not on import."""

    model_config = ConfigDict(defer_build=True)
''',
    "RootModel": '''

_Root = TypeVar("_Root")


class RootModel(pydantic.RootModel[_Root], Generic[_Root]):
    """Base of the root models: each is built on first use, not on import."""

    model_config = ConfigDict(defer_build=True)
''',
}
_REBUILD = re.compile(r"^\w+\.model_rebuild\(\)\n", re.MULTILINE)
_SHADOWED = frozenset(BASES)
_GENERIC = {"Generic", "TypeVar"}


def defer_model_builds(code: str) -> str:
    """``code`` (a models module) with every model deferred; unchanged when it has none."""
    tree = parsed(code)
    imports = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 0]
    pydantic_import = _import_from(imports, "pydantic")
    if pydantic_import is None:
        return code
    shadowed = sorted(_SHADOWED & {alias.name for alias in pydantic_import.names})
    if not shadowed:
        return code
    kept = {_spelled(a) for a in pydantic_import.names if a.name not in _SHADOWED}
    # Line number → (the import statement there, what replaces it).
    replacements = {
        pydantic_import.lineno: (
            pydantic_import,
            "import pydantic\n" + _from_line("pydantic", kept | {"ConfigDict"}),
        )
    }
    if "RootModel" in shadowed:
        typing_import = _import_from(imports, "typing")
        if typing_import is None:
            node, text = replacements[pydantic_import.lineno]
            replacements[node.lineno] = (node, _from_line("typing", _GENERIC) + "\n" + text)
        else:
            names = _GENERIC | {_spelled(alias) for alias in typing_import.names}
            replacements[typing_import.lineno] = (typing_import, _from_line("typing", names))
    last_import = max(
        node.end_lineno or node.lineno
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    )
    out: list[str] = []
    skip_until = 0
    for number, line in enumerate(code.splitlines(keepends=True), start=1):
        if number in replacements:
            node, text = replacements[number]
            out.append(text)
            skip_until = node.end_lineno or node.lineno
        elif number > skip_until:
            out.append(line)
        if number == last_import:
            out.append("".join(BASES[name] for name in shadowed))
    return _REBUILD.sub("", "".join(out)).rstrip("\n") + "\n"


def _import_from(imports: list[ast.ImportFrom], module: str) -> ast.ImportFrom | None:
    return next((node for node in imports if node.module == module), None)


def _spelled(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _from_line(module: str, names: set[str]) -> str:
    # Sorted as isort sorts them (case-sensitively: ``ConfigDict`` before ``conint``).
    return f"from {module} import {', '.join(sorted(names))}\n"
