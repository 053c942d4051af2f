"""Limits for zip-based documents (.docx, .xlsx; later .odt, .qdpx), checked before parsing.

A 1.5 MB .docx can hold 400 MB of XML, and parsing XML takes several times its size in
memory (up to twenty times for markup without text). So before any parser sees a package,
every member's declared uncompressed size, their total and the compression ratio are
checked against the limits below, and a package over them is refused as a possible zip bomb.

Declared sizes are not trusted alone. Python's ``zipfile`` (which python-docx and openpyxl
read through) hands out no more than a member's declared size, but to read a member whole it
first inflates everything its compressed data holds: a member declaring 4 KB over 400 MB of
deflated data still takes those 400 MB. So each member is also inflated here, a piece at a
time, counting: one whose data holds more than it declares is refused before any reader
opens it. Only stored and deflated members are accepted (Word and Excel write nothing else).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.io.importers.files import human_size

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_part: int
    """Largest uncompressed XML part (parsed in memory as a whole, or streamed row by row)."""
    max_total: int = 200 * MB
    """All members together, uncompressed (a reader may hold every part in memory)."""
    max_ratio: int = 100
    """Uncompressed : compressed size above which a large member is taken for a bomb. Real
    document XML compresses 5-30:1; a deflate bomb reaches 1000:1."""
    ratio_from: int = 1 * MB
    """Members expanding to less are never called bombs, whatever their ratio."""
    max_members: int = 10_000


#: One set of limits per zip-based format, keyed by suffix (add .odt, .qdpx here). Measured
#: peaks of a whole `annotator import` at these limits: a Word body is parsed whole by
#: python-docx, 32 MB of it took 550-620 MB; openpyxl streams worksheets but keeps every shared
#: string, about 5x their XML. A text within the 50 MB import limit fits in either part.
LIMITS: dict[str, ZipLimits] = {
    ".docx": ZipLimits(max_part=32 * MB),
    ".xlsx": ZipLimits(max_part=64 * MB),
    ".odt": ZipLimits(max_part=32 * MB),  # odfpy parses content.xml whole too; as .docx, not measured
    ".qdpx": ZipLimits(max_part=64 * MB),  # project.qde parsed whole by lxml; sources are plain text
}

_CENTRAL_HEADER = b"PK\x01\x02"
_LOCAL_HEADER = b"PK\x03\x04"
_PIECE = 256 * 1024
_DAMAGED = "is damaged (a part holds more than the package declares); refused as a possible zip bomb"


def check_package(path: Path, data: bytes) -> None:
    """Refuse a zip-based document whose expansion would be unsafe to read; others pass.

    Raises ImportFileError naming the reason. Data that is not a zip package is left for
    the format's reader to refuse in its own words.
    """
    limits = LIMITS.get(path.suffix.lower())
    if limits is None:
        return
    # Count the directory entries before zipfile builds an object for each one.
    if data.count(_CENTRAL_HEADER) > limits.max_members:
        raise ImportFileError(
            path, f"holds more than {limits.max_members:,} parts; refused as a possible zip bomb"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return  # not a (readable) zip: the reader says so
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    for member in members:
        ratio = _ratio(member.file_size, member.compress_size)
        if member.file_size >= limits.ratio_from and ratio > limits.max_ratio:
            raise ImportFileError(path, _bomb(total, ratio))
        if member.file_size > limits.max_part and _is_parsed(member.filename):
            raise ImportFileError(
                path,
                f"expands to more than {human_size(limits.max_part)} ({member.filename} alone is "
                f"{human_size(member.file_size)}, compression ratio {ratio}:1); refused as too "
                "big to read safely (or a zip bomb): split the document into smaller files",
            )
    if total > limits.max_total:
        raise ImportFileError(
            path,
            f"expands to {human_size(total)}, more than {human_size(limits.max_total)} "
            f"(compression ratio {_ratio(total, packed)}:1); refused as a possible zip bomb",
        )
    for member in members:
        if _inflated_size(data, member) > member.file_size:
            raise ImportFileError(path, _DAMAGED)


def _inflated_size(data: bytes, member: zipfile.ZipInfo) -> int:
    """How much the member's data really expands to, counted up to one byte past its declared
    size; inflated a piece at a time so that memory stays small whatever it holds."""
    start = member.header_offset
    if data[start : start + 4] != _LOCAL_HEADER:
        return 0  # the reader will find it damaged
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    raw = memoryview(data)[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return member.file_size + 1  # bzip2, lzma...: never written by Word or Excel
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        for offset in range(0, len(raw), _PIECE):
            pending = raw[offset : offset + _PIECE]
            while pending and not inflater.eof and size <= member.file_size:
                size += len(inflater.decompress(pending, _PIECE))
                pending = inflater.unconsumed_tail
            if inflater.eof or size > member.file_size:
                break
    except zlib.error:
        return 0  # corrupt data: the reader will say the file is damaged
    return size


def _is_parsed(name: str) -> bool:
    """XML parts are parsed; media (images, fonts) are only carried along."""
    return name.lower().endswith((".xml", ".rels", ".vml", ".qde"))


def _ratio(expanded: int, compressed: int) -> int:
    return round(expanded / compressed) if compressed else expanded


def _bomb(total: int, ratio: int) -> str:
    return (
        f"expands to {human_size(total)} (compression ratio {ratio}:1), refused as a possible "
        "zip bomb"
    )
