"""Defaults datamodel-code-generator writes that mypy rejects, rewritten in its output.

- A field typed by a root model gets the document's JSON default as is, for pydantic to validate
  (``parallel_tool_calls: ParallelToolCalls | None = True``); mypy sees a ``bool`` where a
  ``ParallelToolCalls`` belongs. The default becomes ``ParallelToolCalls.model_validate(True)``:
  the same value, validated once when the module is imported, typed as the model.
  Likewise a model's default (Telnyx's ``tools: list[Tool] | None = [{"type": "retrieval"}]``,
  Mistral's schedule ``second: list[ScheduleRange] | None = [{"start": 0, ...}]``): each object
  of the JSON becomes ``Tool.model_validate({...})``; for a list of a union of models the list
  becomes ``pydantic.TypeAdapter(list[A | B]).validate_python([...])``.
- A root model over a type without ``None`` whose schema says ``default: null`` gets ``root: AnyUrl =
  None``, a default its own type rejects. The default is dropped: the model needs a value, as its
  type says. So is a scalar default of another type than the root model's own (Telnyx's
  ``root: str = False``: the document contradicts itself, and the client cannot honour both).

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
    if _ROOT_MODEL not in code and "= [" not in code and "= {" not in code:
        return code
    tree = parsed(code)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    roots = {node.name for node in classes if any(_is_root_model(base) for base in node.bases)}
    models = set(roots)
    for node in classes:  # in the order of the module: a base is defined before its subclasses
        if any(_name(base) in {"BaseModel", *models} for base in node.bases):
            models.add(node.name)
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
            typed = [m for m in members if not _is_none(m)]
            if node.name in roots and len(typed) == 1 and _mismatched(typed[0], value):
                annotation_end = offset(
                    field.annotation.end_lineno or field.annotation.lineno,
                    field.annotation.end_col_offset or 0,
                )
                edits.append((annotation_end, end, b""))
                continue
            item = _list_of(typed[0]) if len(typed) == 1 else None
            if (
                len(typed) == 1
                and isinstance(value, ast.List)
                and any(isinstance(element, ast.Dict) for element in value.elts)
                and item not in models
                and _mentions(typed[0], models)
            ):
                # Objects for a union of models: which one reads each is pydantic's choice.
                kind = data[
                    offset(typed[0].lineno, typed[0].col_offset) : offset(
                        typed[0].end_lineno or 0, typed[0].end_col_offset or 0
                    )
                ]
                start = offset(value.lineno, value.col_offset)
                call = b"pydantic.TypeAdapter(" + kind + b").validate_python(" + data[start:end]
                edits.append((start, end, call + b")"))
                continue
            if item in models and isinstance(value, ast.List):
                for element in value.elts:
                    if isinstance(element, ast.Dict):
                        first = offset(element.lineno, element.col_offset)
                        last = offset(element.end_lineno or 0, element.end_col_offset or 0)
                        call = f"{item}.model_validate(".encode() + data[first:last] + b")"
                        edits.append((first, last, call))
                continue
            if (
                len(typed) == 1
                and isinstance(typed[0], ast.Name)
                and (
                    typed[0].id in roots or (typed[0].id in models and isinstance(value, ast.Dict))
                )
            ):
                start = offset(value.lineno, value.col_offset)
                call = f"{typed[0].id}.model_validate(".encode() + data[start:end] + b")"
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


def _mentions(annotation: ast.expr, models: set[str]) -> bool:
    return any(isinstance(node, ast.Name) and node.id in models for node in ast.walk(annotation))


def _list_of(annotation: ast.expr) -> str | None:
    """``Item`` for ``list[Item]``."""
    if isinstance(annotation, ast.Subscript) and _name(annotation.value) == "list":
        return _name(annotation.slice)
    return None


_SCALARS = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def _mismatched(annotation: ast.expr, value: ast.expr) -> bool:
    """Whether ``value`` is a scalar literal of another type than the builtin ``annotation``."""
    kinds = _SCALARS.get(_name(annotation) or "")
    if kinds is None or not isinstance(value, ast.Constant) or value.value is None:
        return False
    if isinstance(value.value, bool) and bool not in kinds:
        return True
    return not isinstance(value.value, kinds)


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
