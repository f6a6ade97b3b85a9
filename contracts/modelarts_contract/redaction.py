"""Secrets out of every text that leaves the process, in whatever form a server echoed them.

A server that quotes the request's token back does not quote it verbatim: JSON writes ``/`` as
``\\/`` and non-ASCII as ``\\uXXXX``, a URL percent-encodes it (either hex case, ``+`` for a
space), a message wraps it across lines, and a report cuts a long one anywhere. So text is read
as a sequence of *characters as meant* — escapes decoded, case folded, spaces, line breaks and
``+`` dropped — and each secret is read the same way; then every run of that sequence that
matches the secret whole, or any :data:`PARTIAL_LENGTH` characters of it, is blanked in the
original text from its first character to its last.

Matching any window of a secret, not only the whole of it, is what makes the order of redacting
and cutting immaterial: a secret cut in half still shows no run of that many of its characters.
It also covers what the suite itself sends altered (T8's look-alikes: a character changed, cut or
added, re-cased); their short halves are matched whole.

A server may also echo a secret's bytes encoded: in base64 (a ``Basic`` header decoded for a
message, a debug dump), either alphabet, wherever in a longer base64 text it starts, or in hex.
Those forms of each secret are secrets too.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable

#: Values shorter than this are not redacted: they are no real credential, and blanking every
#: "t" of a report would make it unreadable.
MIN_REDACTED_LENGTH = 4
#: Any run of this many characters of a secret is blanked, wherever it stands.
PARTIAL_LENGTH = 8
REDACTED = "[redacted]"

#: Escapes read as the character they stand for: JSON's and Python's \\uXXXX, \\UXXXXXXXX, \\xXX
#: (after any number of backslashes: an escape escaped again), and runs of %XX.
_ESCAPE = re.compile(
    r"\\+u([dD][89abAB][0-9a-fA-F]{2})\\+u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\+(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|([nrt])|(.))"
    r"|((?:%[0-9a-fA-F]{2})+)",
    re.DOTALL,
)
_HIGH_SURROGATES = range(0xD800, 0xDC00)


class Redactor:
    """Replaces every occurrence of every secret, in any of the forms above, in text."""

    def __init__(self, values: Iterable[str]) -> None:
        wholes: set[str] = set()
        windows: set[str] = set()
        for value in (form for secret in values for form in (secret, *_encoded_forms(secret))):
            meant, _ = _read(value)
            if len(meant) < MIN_REDACTED_LENGTH:
                continue
            wholes.add(meant)
            if len(meant) >= 2 * MIN_REDACTED_LENGTH:
                # Look-alikes short enough to escape the windows: each half.
                wholes.update((meant[: len(meant) // 2], meant[len(meant) // 2 :]))
            windows.update(
                meant[start : start + PARTIAL_LENGTH]
                for start in range(len(meant) - PARTIAL_LENGTH + 1)
            )
        self._wholes = sorted((w for w in wholes if len(w) >= MIN_REDACTED_LENGTH), key=len)
        self._windows = frozenset(windows)

    def __call__(self, text: str) -> str:
        """``text`` without any secret."""
        if not self._wholes or not text:
            return text
        meant, spans = _read(text)
        blanks: list[tuple[int, int]] = []
        for first, last in self._matches(meant):
            start, end = spans[first][0], spans[last - 1][1]
            if blanks and start <= blanks[-1][1]:
                blanks[-1] = (blanks[-1][0], max(blanks[-1][1], end))
            else:
                blanks.append((start, end))
        pieces: list[str] = []
        cursor = 0
        for start, end in blanks:
            pieces += [text[cursor:start], REDACTED]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces)

    def excerpt(self, text: str, limit: int) -> str:
        """``text`` redacted, then cut to ``limit`` characters (an ellipsis marks the cut)."""
        # Redacting the whole of a large body is slow: the window read is wide enough to hold
        # any secret that starts before the cut, in its most verbose escaped form; whatever of
        # a secret the window's end cuts off leaves fewer than PARTIAL_LENGTH characters.
        longest = max((len(value) for value in self._wholes), default=0)
        window = text[: limit + 12 * longest + PARTIAL_LENGTH]
        redacted = self(window)
        if len(redacted) <= limit and len(window) == len(text):
            return redacted
        return redacted[:limit] + "…"

    def _matches(self, meant: str) -> list[tuple[int, int]]:
        """Ranges of ``meant`` (by index) that hold a secret or a window of one, merged, in order."""
        found: list[tuple[int, int]] = []
        for whole in self._wholes:
            start = meant.find(whole)
            while start >= 0:
                found.append((start, start + len(whole)))
                start = meant.find(whole, start + 1)
        if self._windows:
            size = PARTIAL_LENGTH
            found.extend(
                (start, start + size)
                for start in range(len(meant) - size + 1)
                if meant[start : start + size] in self._windows
            )
        found.sort()
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def _encoded_forms(value: str) -> list[str]:
    """``value``'s bytes in hex and in base64 (both alphabets), the latter as they read at each
    of the three places in a longer base64 text the value may start: only the characters that
    its own bytes decide, without the first and last group its neighbours share."""
    data = value.encode("utf-8")
    forms = [data.hex()]
    for offset in range(3):
        # With ``offset`` bytes before it, the value's own characters start after the first
        # group of four, and end before the group it shares with what follows it.
        padded = bytes(offset) + data
        whole_groups = len(padded) // 3 * 4
        start = 4 if offset else 0
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(encode(padded).decode("ascii")[start:whole_groups])
    return [form for form in forms if len(form) >= PARTIAL_LENGTH]


def _read(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` as meant — escapes decoded, case folded, blanks dropped — and each character's span.

    The span of a character is where it stands in ``text`` (an escape spans all of itself).
    """
    chars: list[str] = []
    spans: list[tuple[int, int]] = []

    def add(char: str, start: int, end: int) -> None:
        if char.isspace() or char == "+" or char == "\\":
            return
        folded = char.lower()
        chars.append(folded if len(folded) == 1 else char)
        spans.append((start, end))

    position = 0
    for match in _ESCAPE.finditer(text):
        for index in range(position, match.start()):
            add(text[index], index, index + 1)
        position = match.end()
        high, low, hex4, hex8, hex2, blank, other, percents = match.groups()
        if high is not None:
            pair = (int(high, 16) - 0xD800) * 0x400 + (int(low, 16) - 0xDC00) + 0x10000
            add(chr(pair), match.start(), match.end())
        elif percents is not None:
            _add_percent_encoded(percents, match.start(), add)
        elif hex4 or hex8 or hex2:
            code = int(hex4 or hex8 or hex2, 16)
            if code in _HIGH_SURROGATES or code > 0x10FFFF:
                continue  # half of a pair (or nothing): the other half alone is no character
            add(chr(code), match.start(), match.end())
        elif blank is not None:
            continue  # an escaped line break or tab is a blank
        else:
            add(other, match.start(), match.end())
    for index in range(position, len(text)):
        add(text[index], index, index + 1)
    return "".join(chars), spans


def _add_percent_encoded(run: str, offset: int, add: Callable[[str, int, int], None]) -> None:
    """Decode a run of ``%XX`` as UTF-8, each character spanning the escapes of its bytes."""
    data = bytes.fromhex(run.replace("%", ""))
    index = 0
    while index < len(data):
        lead = data[index]
        size = 1 if lead < 0x80 else 2 if lead >> 5 == 6 else 3 if lead >> 4 == 14 else 4
        try:
            char = data[index : index + size].decode("utf-8")
        except UnicodeDecodeError:
            size, char = 1, ""
        if char:
            add(char, offset + 3 * index, offset + 3 * (index + size))
        index += size
