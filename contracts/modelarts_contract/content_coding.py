"""An answer's ``Content-Encoding`` undone a little at a time, so that a size cap holds while inflating.

httpx inflates each chunk it reads whole: 2 KB of ``gzip, gzip`` is gigabytes before anything
can count them. Here each coding is a lazy stage that hands on at most :data:`STEP` bytes per
call to zlib (``max_length``), stages are chained in the order the codings were applied, and
the caller counts what comes out of the last one: a cap on the decoded size stops the whole
chain before any stage has produced much more than it.

The suite asks for ``identity``; a server that compresses anyway is read if it used gzip or
deflate, the codings the standard library inflates. Any other coding is reported, not guessed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

#: The most one stage hands on at a time.
STEP = 64 * 1024
#: More codings than this on one answer is an attack, not compression.
MAX_CODINGS = 8
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class UndecodableAnswer(Exception):
    """The answer's content codings cannot be undone; the message says why."""


def codings_of(header_values: Iterable[str]) -> list[str]:
    """The content codings named by ``Content-Encoding`` header values, in the order applied."""
    codings = [
        coding.strip().lower()
        for value in header_values
        for coding in value.split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    if len(codings) > MAX_CODINGS:
        raise UndecodableAnswer(f"the answer names {len(codings)} stacked content codings")
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UndecodableAnswer(
                f"the answer is encoded {coding!r}, which the suite does not decode "
                "(it asks for identity)"
            )
    return codings


def decoded(chunks: Iterable[bytes], codings: list[str]) -> Iterator[bytes]:
    """``chunks`` of a body with ``codings`` undone, lazily, in pieces of at most :data:`STEP` bytes.

    :class:`UndecodableAnswer` when a stage finds data that is not what its coding says.
    """
    stream: Iterable[bytes] = chunks
    # The last coding applied is the first to undo.
    for coding in reversed(codings):
        stream = _gunzip(stream) if coding in ("gzip", "x-gzip") else _inflate(stream)
    return iter(stream)


def _gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj(_GZIP_WBITS)
    for chunk in chunks:
        data = chunk
        while data:
            if inflater.eof:
                # A gzip body may be several members one after another.
                inflater = zlib.decompressobj(_GZIP_WBITS)
            yield from _drain(inflater, data, "gzip")
            data = inflater.unused_data if inflater.eof else b""


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # "deflate" is the zlib format by the RFC, and raw deflate from many servers: the first
    # two bytes tell them apart.
    iterator = iter(chunks)
    head = b""
    for chunk in iterator:
        head += chunk
        if len(head) >= 2:
            break
    if not head:
        return
    zlib_header = len(head) >= 2 and head[0] & 0x0F == 8 and int.from_bytes(head[:2]) % 31 == 0
    inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
    for chunk in _prepend(head, iterator):
        if inflater.eof:
            return  # what follows the stream is not part of it
        yield from _drain(inflater, chunk, "deflate")


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _drain(inflater: zlib._Decompress, data: bytes, coding: str) -> Iterator[bytes]:
    """Feed ``data`` to ``inflater``, handing on at most :data:`STEP` bytes at a time.

    What follows the end of the compressed stream is left in ``inflater.unused_data``.
    """
    while True:
        try:
            piece = inflater.decompress(data, STEP)
        except zlib.error as error:
            raise UndecodableAnswer(f"the answer is not valid {coding}: {error}") from None
        if piece:
            yield piece
        if inflater.eof:
            return
        data = inflater.unconsumed_tail
        # A full piece may leave output inside zlib even when all input was taken.
        if not data and len(piece) < STEP:
            return
