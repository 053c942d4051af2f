"""Bytes to text: byte-order marks, UTF-8, UTF-16 without a BOM, then detection.

A candidate decoding that yields NUL characters is wrong (UTF-16 read as UTF-8 "succeeds"
with a NUL after every letter), so it is dropped and the next candidate is tried.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from annotator.domain.errors import ImportFileError

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = "cp1252"
"""Preferred when detection finds it as likely as its best guess (news in Western languages)."""
_LATIN_1 = {"latin_1", "latin-1", "iso8859_1", "iso-8859-1", "ascii"}
_SAMPLE = 64 * 1024
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_text(data: bytes, path: Path, declared: str | None = None) -> str:
    """Decode a text file; ``declared`` is a known codec the file names itself (HTML meta).

    Raises ImportFileError for binary or undecodable content.
    """
    bom = bom_encoding(data)
    if bom is not None:
        encoding, size = bom
        text = _strict(data[size:], encoding)
        if text is None and encoding == "utf-8":
            text = data[size:].decode("utf-8", errors="replace")
        if text is not None and "\x00" not in text:
            return text
    for encoding, checked in _candidates(data, declared):
        text = _strict(data, encoding)
        if text is None or "\x00" in text:
            continue
        if checked and not _looks_like_text(text):
            continue
        return text
    if declared is not None and b"\x00" not in data:
        return data.decode(declared, errors="replace")  # the file's own word, as a browser would
    if b"\x00" in data:
        raise ImportFileError(
            path,
            "is a binary file, not text (it contains NUL bytes); check that the file extension is right",
        )
    raise ImportFileError(
        path,
        "cannot be decoded as text (unknown encoding, or not a text file); "
        "save it as UTF-8 text and import it again",
    )


def _candidates(data: bytes, declared: str | None) -> Iterator[tuple[str, bool]]:
    """Encodings to try in order, lazily; the flag asks for a plausibility check."""
    if declared is not None:
        yield declared, False
    yield "utf-8", False
    utf16 = _utf16_by_zero_bytes(data)
    if utf16 is not None:
        yield utf16, True
    yield from ((encoding, True) for encoding in _detected(data))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_by_zero_bytes(data: bytes) -> str | None:
    """UTF-16 without BOM: text in Latin scripts has a zero in every other byte."""
    sample = data[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : pairs * 2 : 2].count(0)
    odd_zeros = sample[1 : pairs * 2 : 2].count(0)
    if odd_zeros >= pairs * 0.3 and even_zeros <= pairs * 0.05:
        return "utf-16-le"
    if even_zeros >= pairs * 0.3 and odd_zeros <= pairs * 0.05:
        return "utf-16-be"
    return None


def _detected(data: bytes) -> Iterator[str]:
    """charset_normalizer's best guess; windows-1252 first when it is just as likely."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return
    tied_western = any(
        _WESTERN in (match.encoding, *match.could_be_from_charset)
        and match.chaos <= best.chaos
        and match.coherence >= best.coherence
        for match in matches
    )
    if tied_western or best.encoding in _LATIN_1:
        yield _WESTERN
    yield best.encoding


def _looks_like_text(text: str) -> bool:
    """Few control characters besides whitespace: a guessed decoding of binary data fails."""
    sample = text[:_SAMPLE]
    controls = sum(
        1 for ch in sample if (ch < " " or "\x7f" <= ch < "\xa0") and ch not in _WHITESPACE_CONTROLS
    )
    return controls * 100 <= len(sample)
