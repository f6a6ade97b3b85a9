"""The one way a string from the document reaches generated Python, TOML or Markdown.

Templates never paste a spec value as it is: each goes through one of these filters, chosen by
where it lands (a string literal, a docstring, an f-string, a TOML string, Markdown prose or a
Markdown code span). No value can end the literal or docstring it sits in, so text from the
document stays text.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ud800-\udfff]")


def clean(text: object) -> str:
    """``text`` as a string with line ends as ``\\n`` and lone surrogates replaced, so that it
    can be written as UTF-8."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _escape_body(text: str, quote: str) -> str:
    # Backslashes first, so that the escapes added next stay escapes.
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", body)


def py_str(text: object) -> str:
    """A Python string literal whose value is ``text``: double-quoted, unless single quotes
    need fewer escapes (the formatter's rule)."""
    value = clean(text)
    quote = "'" if value.count('"') > value.count("'") else '"'
    return quote + _escape_body(value, quote).replace("\n", "\\n").replace("\t", "\\t") + quote


def fstring_text(text: object) -> str:
    """``text`` as the literal part of a double-quoted f-string (braces doubled)."""
    body = _escape_body(clean(text), '"').replace("\n", "\\n").replace("\t", "\\t")
    return body.replace("{", "{{").replace("}", "}}")


def docstring(text: object, indent: int) -> str:
    """Text safe inside a triple-double-quoted docstring, continuation lines indented.

    Every quote that a neighbour could join into ``\"\"\"`` is escaped, and so is a final one,
    which would otherwise meet the closing quotes.
    """
    body = _CONTROL.sub(
        lambda match: f"\\u{ord(match.group()):04x}", clean(text).strip().replace("\\", "\\\\")
    )
    body = re.sub(r'"(?=")|"$', '\\\\"', body)
    lines = body.split("\n")
    return "\n".join(
        [lines[0], *((" " * indent + line.rstrip()) if line.strip() else "" for line in lines[1:])]
    )


def toml_str(text: object) -> str:
    """A TOML basic string whose value is ``text``."""
    body = clean(text).replace("\\", "\\\\").replace('"', '\\"')
    body = re.sub(
        r"[\x00-\x1f\x7f]",
        lambda match: f"\\u{ord(match.group()):04x}",
        body,
    )
    return f'"{body}"'


def md_text(text: object) -> str:
    """``text`` on one Markdown line: no line breaks, no table-cell separator, no HTML."""
    one_line = " ".join(clean(text).split())
    return (
        one_line.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "\\`")
    )


def md_code(text: object) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than it holds."""
    one_line = " ".join(clean(text).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", one_line)), default=0) + 1)
    padding = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{padding}{one_line}{padding}{fence}"
