"""Bytes to text, as a browser would read them: the byte-order mark, the declared charset,
UTF-8, UTF-16 without a BOM, and only for text that is clearly not UTF-8, a detected guess.

A file that is UTF-8 but for a few stray bytes (a pasted cp1252 quote, one ``\\xff``) is
read as UTF-8 with U+FFFD in their place, as the WHATWG Encoding standard does, and the
import says so: guessing another charset for the whole file would turn every "ü" into "Ã¼".
A few NUL characters in otherwise plain text are dropped with a warning; text full of them
(UTF-16 read as UTF-8, or a binary file) is not text in that encoding.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
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
_MAX_COUNTED_ERRORS = 10_000
"""Past this many undecodable sequences a file is not text in that encoding: stop counting."""
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    """A file's text and what had to be repaired to read it (one sentence each)."""

    text: str
    warnings: tuple[str, ...] = ()


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_text(data: bytes, path: Path, declared: str | None = None) -> Decoded:
    """Decode a text file; ``declared`` is a known codec the file names itself (HTML meta).

    Raises ImportFileError for binary or undecodable content.
    """
    for decoded in _attempts(data, declared):
        if decoded is not None:
            return decoded
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


def _attempts(data: bytes, declared: str | None) -> Iterator[Decoded | None]:
    """Readings in the order a browser trusts them, lazily (detection is slow); None = no fit."""
    bom = bom_encoding(data)
    if bom is not None:
        encoding, size = bom
        lenient = _lenient(data[size:], encoding)
        if lenient is not None and (encoding == "utf-8" or lenient[1] * 100 <= len(lenient[0])):
            yield _accept(*lenient, encoding)
    if declared is not None:
        yield _strictly(data, declared)
    yield _strictly(data, "utf-8")
    if declared in (None, "utf-8"):
        mostly = mostly_utf8(data)
        if mostly is not None:
            yield _accept(*mostly, "utf-8")
    utf16 = _utf16(data)
    if utf16 is not None:
        yield _strictly(data, utf16, checked=True)
    for encoding in _detected(data):
        yield _strictly(data, encoding, checked=True, guessed=True)
    if declared is not None:  # the file's own word, its bad bytes replaced, as a browser would
        lenient = _lenient(data, declared)
        if lenient is not None:
            yield _accept(*lenient, declared)


def _strictly(
    data: bytes, encoding: str, checked: bool = False, guessed: bool = False
) -> Decoded | None:
    """The strict reading; ``checked`` asks for a plausibility check (detected encodings)."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if checked and not _looks_like_text(text):
        return None
    return _accept(text, 0, encoding, guessed=guessed)


def _accept(text: str, replaced: int, encoding: str, guessed: bool = False) -> Decoded | None:
    """The text with its NULs dropped and the warnings to give, or None if it is not text."""
    warnings: list[str] = []
    if replaced:
        warnings.append(
            f"{_count(replaced, 'byte')} {'was' if replaced == 1 else 'were'} not valid "
            f"{_display(encoding)} and {'was' if replaced == 1 else 'were'} replaced by {REPLACEMENT}"
        )
    if guessed:
        warnings.append(f"is not UTF-8: it was read as {_display(encoding)}, a guess; check accented letters")
    nuls = text.count("\x00")
    if nuls:
        if not _looks_like_text(text):  # NULs count as control characters there
            return None
        text = text.replace("\x00", "")
        verb = "was" if nuls == 1 else "were"
        warnings.append(f"{_count(nuls, 'NUL byte')} (invisible control characters) {verb} removed")
    return Decoded(text, tuple(warnings))


def _lenient(data: bytes, encoding: str) -> tuple[str, int] | None:
    """Decode replacing each undecodable sequence by U+FFFD; the text and how many bytes went.

    None when the codec is unknown or the bytes are mostly not this encoding.
    """
    pieces: list[str] = []
    replaced = sequences = position = 0
    view = memoryview(data)
    try:
        while True:
            try:
                pieces.append(codecs.decode(view[position:], encoding))
                break
            except UnicodeDecodeError as exc:
                pieces.append(codecs.decode(view[position : position + exc.start], encoding))
                pieces.append(REPLACEMENT)
                replaced += exc.end - exc.start
                sequences += 1
                position += exc.end
                if sequences > _MAX_COUNTED_ERRORS:
                    return None
    except LookupError:
        return None
    return "".join(pieces), replaced


def mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few stray bytes: at least as many valid non-ASCII characters as bad sequences.

    A whole cp1252 or Latin-1 file has (almost) no valid multi-byte UTF-8 sequence, so it
    is left to detection; pure ASCII with one stray byte too (``caf\\xe9`` is likely cp1252).
    """
    lenient = _lenient(data, "utf-8")
    if lenient is None:
        return None
    text, replaced = lenient
    bad = text.count(REPLACEMENT)
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII, counted in C
    return lenient if replaced and valid >= bad else None


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _display(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    if name == "utf-8":
        return "UTF-8"
    return name.replace("cp125", "windows-125")


def _utf16(data: bytes) -> str | None:
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
