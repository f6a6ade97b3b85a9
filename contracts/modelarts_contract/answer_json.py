"""An answer's JSON as the suite reads it: numbers of any size are values, never errors.

``json.loads`` refuses an integer of more than 4,300 digits (Python's guard against quadratic
conversions), turns ``1e999999`` into ``inf`` — which no schema validator accepts as a number —
and reads ``NaN``, which is not JSON at all. A server's answer may hold any of them; the suite
must judge it, not stumble on it.

A number beyond what ``int`` converts or ``float`` holds stands in as :func:`beyond`: the
integer of as many nines as Python converts, with the number's sign. It is an integer, and it
compares with every bound a schema can sensibly state as the number itself does, so a validator
judges it right; :func:`readable` names it in messages. ``NaN`` and ``Infinity`` make the answer
not JSON.

The depth of an answer is bounded before it gets here (``bounded_http.json_too_deep``).
"""

from __future__ import annotations

import codecs
import json
import math
import re
import sys
from typing import Any

#: Python's default limit on the digits of an int read from text.
_DEFAULT_DIGITS = 4300
#: A stand-in as messages quote it: whole, or cut short with an ellipsis.
_STAND_IN = re.compile(r"9{40,}(?: ?(?:\.\.\.|…))?")


class NotJson(ValueError):
    """The answer holds what JSON does not allow (``NaN``, ``Infinity``, bytes not UTF-8)."""


def loads(content: bytes | str) -> Any:
    """The JSON value of ``content``; :class:`ValueError` when it is not JSON.

    Bytes must be UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is), where
    ``json.loads`` alone would guess UTF-16 or UTF-32; a UTF-8 byte order mark, which a
    parser may ignore, is ignored.
    """
    if isinstance(content, bytes):
        try:
            content = content.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        except UnicodeDecodeError as error:
            raise NotJson(
                f"the body is not UTF-8 (byte {error.start}), which JSON between systems must be"
            ) from None
        if "\0" in content:
            # Valid UTF-8, but no JSON text holds a raw NUL: UTF-16 or UTF-32 without a BOM,
            # which json.loads of the bytes would read.
            raise NotJson("the body holds NUL bytes: UTF-16 or UTF-32, not UTF-8")
    return json.loads(content, parse_int=_integer, parse_float=_fraction, parse_constant=_not_json)


def digit_limit() -> int:
    """How many digits an integer read from text may have here."""
    return sys.get_int_max_str_digits() or _DEFAULT_DIGITS


def beyond(negative: bool = False) -> int:
    """What stands for a number too large to read: as many nines as :func:`digit_limit` allows."""
    value: int = 10 ** digit_limit() - 1
    return -value if negative else value


def readable(text: str) -> str:
    """``text`` with each stand-in of :func:`beyond` named instead of spelled out (or cut short)."""
    return _STAND_IN.sub(f"<a number of more than {digit_limit():,} digits>", text)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) <= digit_limit():
        return int(text)
    return beyond(text.startswith("-"))


def _fraction(text: str) -> float | int:
    value = float(text)
    return value if math.isfinite(value) else beyond(value < 0)


def _not_json(text: str) -> Any:
    raise NotJson(f"{text} is not a JSON value")
