"""Cutting a text into pieces spaCy reads one at a time, with exact offsets back into it.

A document is read paragraph by paragraph (split at blank lines): an entity never crosses a
paragraph, and a headline without a full stop is not run into the first sentence. A
paragraph longer than the piece size (a whole article in one paragraph, an OCR dump) is cut
further, so that no piece reaches spaCy's ``nlp.max_length`` and the memory spaCy's
recognizer needs (which grows with the length of the text) stays small. Such cuts fall at
whitespace only, preferably at a line break, else after the end of a sentence, else at any
space, never inside a word: an entity is a run of words within a sentence, so it is not cut
in two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Largest piece, in code points. Well below spaCy's default ``max_length`` (1,000,000) and
#: small enough that the recognizer's memory stays modest; news paragraphs are far shorter.
PIECE_CHARS = 100_000

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, paragraph)`` pieces of ``text`` split at blank lines; blank ones are left out."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            yield start, text[start : match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` with ``text[offset:offset + len(piece)] == piece``, each piece at
    most ``limit`` code points: paragraphs, and long paragraphs cut at whitespace."""
    if limit < 2:
        raise ValueError(f"a piece must hold at least 2 characters, not {limit}")
    for offset, paragraph in paragraphs(text):
        if len(paragraph) <= limit:
            yield offset, paragraph
        else:
            for start, end in _cuts(paragraph, limit):
                yield offset + start, paragraph[start:end]


def _cuts(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive non-blank stretches of ``text``, each at most ``limit`` long."""
    start = 0
    length = len(text)
    while start < length:
        while start < length and text[start].isspace():
            start += 1
        if start >= length:
            return
        if length - start <= limit:
            yield start, length
            return
        end = _cut_point(text, start, start + limit)
        yield start, end
        start = end


def _cut_point(text: str, start: int, stop: int) -> int:
    """Where to end a piece that starts at ``start`` and may reach ``stop``: at the beginning
    of whitespace, chosen from the second half of the window if possible."""
    half = start + (stop - start) // 2
    for pattern, first in ((_LINE_BREAK, half), (_SENTENCE_END, half), (_WHITESPACE, start + 1)):
        last = None
        for last in pattern.finditer(text, first, stop):  # noqa: B007 - the last match is wanted
            pass
        if last is not None:
            # A sentence end's punctuation stays with its sentence: cut where the space begins.
            space = _WHITESPACE.search(text, last.start(), last.end())
            return space.start() if space is not None else last.start()
    return stop  # one "word" longer than a piece (no whitespace at all): cut it where it must be
