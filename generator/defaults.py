"""Defaults datamodel-code-generator writes that mypy rejects, rewritten in its output.

- A field typed by a root model gets the document's JSON default as is, for pydantic to validate
  (``parallel_tool_calls: ParallelToolCalls | None = True``); mypy sees a ``bool`` where a
  ``ParallelToolCalls`` belongs. The default becomes ``ParallelToolCalls.model_validate(True)``:
  the same value, validated once when the module is imported, typed as the model.
- A root model over a type without ``None`` whose schema says ``default: null`` gets ``root: AnyUrl =
  None``, a default its own type rejects. The default is dropped: the model needs a value, as its
  type says.

Done on the library's output rather than its input: the schema is right, only the Python
spelling of its default is not, and the output is where the types are known.
"""

from __future__ import annotations

import ast

from generator.syntax import parsed

_ROOT_MODEL = "RootModel"


def fix_defaults(code: str, line_length: int) -> str:
    """``code`` with the defaults above rewritten (a line grown past ``line_length`` broken as
    the library's formatter breaks it); the same text when there are none."""
    if _ROOT_MODEL not in code:
        return code
    tree = parsed(code)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    roots = {node.name for node in classes if any(_is_root_model(base) for base in node.bases)}
    data = code.encode()
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column

    edits: list[tuple[int, int, bytes]] = []
    for node in classes:
        for field in node.body:
            if not isinstance(field, ast.AnnAssign) or field.value is None:
                continue
            value = field.value
            end = offset(value.end_lineno or value.lineno, value.end_col_offset or 0)
            members = _members(field.annotation)
            if _is_none(value):
                if node.name in roots and not any(_is_none(member) for member in members):
                    annotation_end = offset(
                        field.annotation.end_lineno or field.annotation.lineno,
                        field.annotation.end_col_offset or 0,
                    )
                    edits.append((annotation_end, end, b""))
                continue
            models = [m for m in members if not _is_none(m)]
            if len(models) == 1 and isinstance(models[0], ast.Name) and models[0].id in roots:
                start = offset(value.lineno, value.col_offset)
                call = f"{models[0].id}.model_validate(".encode() + data[start:end] + b")"
                line = data[starts[value.lineno - 1] : starts[value.lineno]]
                if (
                    value.lineno == value.end_lineno
                    and len(line) + len(call) - (end - start) > line_length + 1
                ):
                    # As the library's formatter would break it: the value on a line of its own.
                    indent = b" " * field.col_offset
                    call = b"(\n" + indent + b"    " + call + b"\n" + indent + b")"
                edits.append((start, end, call))
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text + data[end:]
    return data.decode()


def _is_root_model(base: ast.expr) -> bool:
    return isinstance(base, ast.Subscript) and _name(base.value) == _ROOT_MODEL


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _members(annotation: ast.expr) -> list[ast.expr]:
    """The members of the union an annotation spells (``Annotated`` metadata aside)."""
    if isinstance(annotation, ast.Subscript) and _name(annotation.value) == "Annotated":
        inner = annotation.slice
        annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*_members(annotation.left), *_members(annotation.right)]
    return [annotation]
