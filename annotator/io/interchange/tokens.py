"""A simple, spaCy-free word splitter for the token formats (CoNLL, Prodigy's ``tokens``).

A token is a run of characters without white space, with its punctuation split off one
character at a time (``"Obama's,"`` -> ``Obama's`` ``,``; ``"(EU)"`` -> ``(`` ``EU`` ``)``;
``北京、上海`` -> ``北京`` ``、`` ``上海``), except a hyphen, apostrophe, point, comma, colon or
slash between two letters or digits (``Obama-led``, ``1,000``). Punctuation is Unicode
category P* (so Urdu ``،`` too); symbols and emoji stay inside their word, as do combining
marks, so a grapheme is never cut. Sentences
are the lines of the text (any line break, CRLF included).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable

Token = tuple[int, int]
"""Code-point offsets into the text, end-exclusive."""

_CHUNK = re.compile(r"\S+")
_JOINERS = frozenset("-'’.,:/")
BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]")


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        word = start  # where the word being gathered began
        for at in range(start, end):
            if not _punctuation(text[at]) or _inner(text, at, start, end):
                continue
            if word < at:
                found.append((word, at))
            found.append((at, at + 1))
            word = at + 1
        if word < end:
            found.append((word, end))
    return found


def _inner(text: str, at: int, start: int, end: int) -> bool:
    """A hyphen, apostrophe, point, comma, colon or slash between two letters or digits stays
    inside its word (``Obama-led``, ``don't``, ``1,000``, ``10:30``); other punctuation, and
    any at a word's edge, is a token of its own (``北京、上海``)."""
    return (text[at] in _JOINERS and start < at < end - 1
            and not _punctuation(text[at - 1]) and not _punctuation(text[at + 1]))


def split_at(found: list[Token], cuts: Iterable[int]) -> list[Token]:
    """The tokens, further split at these offsets where one falls inside a token."""
    points = sorted(set(cuts))
    result: list[Token] = []
    for start, end in found:
        inner = [p for p in points if start < p < end]
        for point in inner:
            result.append((start, point))
            start = point
        result.append((start, end))
    return result


def trimmed(text: str, start: int, end: int) -> Token:
    """A span without the white space at its edges."""
    piece = text[start:end]
    return start + (len(piece) - len(piece.lstrip())), end - (len(piece) - len(piece.rstrip()))


def aligned(found: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """(first, last) index of the tokens a span covers exactly, or None when an edge of the
    span falls inside a token (or it covers none). ``found`` is in text order."""
    first = bisect_left(found, (start, -1))
    last = bisect_left(found, (end, -1)) - 1  # the last token starting before the span's end
    if first >= len(found) or found[first][0] != start or last < first or found[last][1] != end:
        return None
    return first, last
