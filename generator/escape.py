"""The one way a string from the document reaches generated Python, TOML or Markdown.

Templates never paste a spec value as it is: each goes through one of these filters, chosen by
where it lands (a string literal, a docstring, an f-string, a TOML string, Markdown prose or a
Markdown code span). No value can end the literal or docstring it sits in, so text from the
document stays text.
"""

from __future__ import annotations

import html
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


#: Link destinations a Markdown viewer may follow: relative ones and these schemes.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Backtick runs opening and closing a code span: what is inside is shown, never interpreted.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
#: A raw HTML construct: a tag, a closing tag, a comment, a declaration or an instruction.
_HTML = re.compile(r"(?<!\\)<(?=[A-Za-z/!?])")
#: Autolinks (``<scheme:…>``), inline links and images (``[text](destination)``) and link
#: reference definitions (``[label]: destination``).
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_INLINE_LINK = re.compile(
    r"(!?\[[^\]\n]*\])\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)([^)]*)\)"
)
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(\S+)", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def md_text(text: object) -> str:
    """The document's Markdown on one line (a table cell, a list item): line breaks joined,
    ``|`` escaped, and neutralised as :func:`md_block` does."""
    return _neutralised(" ".join(clean(text).split())).replace("|", "\\|")


def md_block(text: object) -> str:
    """The document's Markdown kept as Markdown, with only what could run neutralised.

    Raw HTML outside code is shown as text (its ``<`` escaped the Markdown way, ``\\<``), and a
    link or image whose destination has a scheme other than http, https or mailto
    (``javascript:``, ``data:``, ``vbscript:``… however spelled) keeps its text but loses its
    destination. Code spans and fenced blocks are left as they are: nothing in them runs. A
    fence the text leaves open is closed, so that the rest of the page stays Markdown.
    """
    value = clean(text).strip()
    parts = []
    fence: str | None = None
    position = 0
    for match in _FENCE.finditer(value):
        marker = match.group(1)
        if fence is None:
            parts.append(_neutralised(value[position : match.start()]))
            fence, position = marker, match.start()
        elif marker[0] == fence[0] and len(marker) >= len(fence):
            end = value.find("\n", match.end())
            end = len(value) if end < 0 else end
            parts.append(value[position:end])
            fence, position = None, end
    if fence is None:
        parts.append(_neutralised(value[position:]))
    else:
        parts.append(value[position:] + "\n" + fence)
    return "".join(parts)


def _neutralised(markdown: str) -> str:
    """``markdown`` (no fenced blocks) with raw HTML and script links made inert outside code."""
    pieces = []
    position = 0
    for span in _CODE_SPAN.finditer(markdown):
        pieces.append(_inert(markdown[position : span.start()]))
        pieces.append(span.group())
        position = span.end()
    pieces.append(_inert(markdown[position:]))
    return "".join(pieces)


def _inert(text: str) -> str:
    text = _AUTOLINK.sub(
        lambda m: m.group() if _safe_destination(m.group(1)) else "\\" + m.group(), text
    )
    text = _INLINE_LINK.sub(_link_or_its_text, text)
    text = _REFERENCE.sub(
        lambda m: m.group() if _safe_destination(m.group(2).strip("<>")) else m.group(1) + "#",
        text,
    )
    # A kept autolink stays a link; one escaped above is not escaped twice (the lookbehind).
    return _HTML.sub(lambda m: m.group() if _AUTOLINK.match(text, m.start()) else "\\<", text)


def _link_or_its_text(link: re.Match[str]) -> str:
    """The link as it is, or only its text (an image: its alt text) when it could run."""
    if _safe_destination(link.group(2).strip("<>")):
        return link.group()
    return link.group(1).removeprefix("!")[1:-1]


def _safe_destination(destination: str) -> bool:
    """Whether following ``destination`` runs nothing: relative, or one of the safe schemes,
    read as a browser reads it (entities decoded, blanks, controls and backslashes ignored)."""
    plain = re.sub(r"[\x00-\x20\x7f\\]+", "", html.unescape(destination)).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", plain)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def md_code(text: object) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than it holds."""
    one_line = " ".join(clean(text).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", one_line)), default=0) + 1)
    # A space each side (which the span drops) keeps a backtick at either end off the fence,
    # and a final backslash from reading, to a reader of the source, as one escaping it.
    padding = " " if one_line.startswith("`") or one_line.endswith(("`", "\\")) else ""
    return f"{fence}{padding}{one_line}{padding}{fence}"
