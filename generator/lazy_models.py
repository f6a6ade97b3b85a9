"""Models defined on first use: ``_models.py`` holds them as generated, and ``models.py`` runs
a statement of it the first time the name it defines is asked for, with the statements of the
names that one refers to.

Deferring validators (:mod:`generator.deferred`) is not enough for a large document: creating
the classes alone (pydantic collects and evaluates every field's annotation) takes seconds for
Stripe's thousand-odd models. So the package's ``models`` module creates none on import; a
model is created, with every model it refers to, the first time it is named, and built the
first time it validates. Type checkers read the names from ``_models.py`` (imported only for
them), readers read it there too.
"""

from __future__ import annotations

import ast

from generator.syntax import parsed

#: Top-level statements run when the module is imported: imports, and the models' own bases.
_PRELUDE_CLASSES = frozenset({"BaseModel", "RootModel"})
_PRELUDE_NAMES = frozenset({"_Root"})


#: What :func:`_role` says of a statement that is neither prelude nor a single definition.
_UNPLACEABLE = "\0"
#: What it says of a prelude statement.
_PRELUDE = ""


def lazy_statements(source: str) -> tuple[int, dict[str, tuple[int, int, tuple[str, ...]]]] | None:
    """How ``models.py`` defines ``source``'s names lazily: the last line of the prelude (the
    statements run on import), and for each name the first and last line of its statement and
    the names that statement refers to. ``None`` when ``source`` has a statement this cannot
    place, or nothing to define (the module is then imported as it is)."""
    tree = parsed(source)
    prelude_end = 0
    statements: dict[str, tuple[int, int, frozenset[str]]] = {}
    for node in tree.body:
        role = _role(node)
        if role == _UNPLACEABLE or (role == _PRELUDE and statements) or role in statements:
            return None  # a prelude statement after a definition would change the file's order
        if role == _PRELUDE:
            prelude_end = node.end_lineno or node.lineno
            continue
        used = _names(node)
        statements[role] = (node.lineno, node.end_lineno or node.lineno, used)
    if not statements:
        return None
    return prelude_end, {
        name: (first, last, tuple(sorted((used & statements.keys()) - {name})))
        for name, (first, last, used) in statements.items()
    }


def _names(node: ast.AST) -> frozenset[str]:
    """Every name ``node`` reads or binds: what :func:`ast.walk` would find, without visiting
    the leaves that hold none (a name's context, constants such as docstrings), which are most
    of a model's nodes."""
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Name):
            found.add(current.id)
            continue
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                pending.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                pending.append(value)
    return frozenset(found)


#: Nodes without a name below them.
_LEAVES = (ast.expr_context, ast.Constant)


def _role(node: ast.stmt) -> str:
    """The name a top-level statement defines, :data:`_PRELUDE` or :data:`_UNPLACEABLE`."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return _PRELUDE
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return _PRELUDE  # the module's docstring
    if isinstance(node, ast.ClassDef) and not node.decorator_list:
        return _PRELUDE if node.name in _PRELUDE_CLASSES else node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Name):
            return _PRELUDE if target.id in _PRELUDE_NAMES else target.id
    return _UNPLACEABLE
