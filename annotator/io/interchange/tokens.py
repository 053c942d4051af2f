"""A simple, spaCy-free word splitter for the token formats (CoNLL, Prodigy's ``tokens``).

A token is a run of characters without white space, with the punctuation at its edges split
off one character at a time (``"Obama's,"`` -> ``Obama's`` ``,``; ``"(EU)"`` -> ``(`` ``EU``
``)``). Punctuation is Unicode category P* (so Urdu ``،`` and Chinese ``、`` too); symbols and
emoji stay inside their word, as do combining marks, so a grapheme is never cut. Sentences
are the lines of the text (any line break, CRLF included).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

Token = tuple[int, int]
"""Code-point offsets into the text, end-exclusive."""

_CHUNK = re.compile(r"\S+")
BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]")


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        while start < end and _punctuation(text[start]):
            found.append((start, start + 1))
            start += 1
        trailing: list[Token] = []
        while end > start and _punctuation(text[end - 1]):
            trailing.append((end - 1, end))
            end -= 1
        if start < end:
            found.append((start, end))
        found.extend(reversed(trailing))
    return found


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
    span falls inside a token (or it covers none)."""
    starts = {s: i for i, (s, _) in enumerate(found)}
    ends = {e: i for i, (_, e) in enumerate(found)}
    first, last = starts.get(start), ends.get(end)
    if first is None or last is None or last < first:
        return None
    return first, last
