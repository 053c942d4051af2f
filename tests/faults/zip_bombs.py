"""Zip bombs built in a test's tmp_path: small on disk, huge once expanded, made in a blink.

A deflate stream may be cut into blocks that each end with a full flush: no block refers back
past its start, so one compressed megabyte repeated a thousand times is a valid stream of a
thousand megabytes. The package is written by hand (local headers, central directory) so
that the repetition never has to be compressed, or even held, in full.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(mode)


@dataclass(frozen=True)
class Member:
    """A zip member: ``head``, then ``chunk`` ``repeat`` times, then ``tail``."""

    name: str
    head: bytes
    chunk: bytes = b""
    repeat: int = 0
    tail: bytes = b""
    declared_size: int | None = None
    """Written in the headers instead of the true size (a package that lies)."""

    def deflated(self) -> tuple[bytes, int, int]:
        """(compressed bytes, CRC-32, uncompressed size)."""
        block = _deflate(self.chunk, zlib.Z_FULL_FLUSH) if self.repeat else b""
        packed = (
            _deflate(self.head, zlib.Z_FULL_FLUSH) + block * self.repeat
            + _deflate(self.tail, zlib.Z_FINISH)
        )
        crc = zlib.crc32(self.head)
        for _ in range(self.repeat):
            crc = zlib.crc32(self.chunk, crc)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + len(self.chunk) * self.repeat + len(self.tail)
        return packed, crc, size if self.declared_size is None else self.declared_size


def write_zip(path: Path, members: Sequence[Member]) -> None:
    out = io.BytesIO()
    central = []
    for member in members:
        packed, crc, size = member.deflated()
        name = member.name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + packed)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          len(directory), start, 0))
    path.write_bytes(out.getvalue())


def members_of(package: bytes) -> list[Member]:
    """The members of a real (small) package, to rebuild it with one of them swollen."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return [Member(info.filename, source.read(info.filename)) for info in source.infolist()]


def swollen(package: bytes, name: str, marker: bytes, chunk: bytes, megabytes: int) -> list[Member]:
    """``package``'s members, with ``megabytes`` MB of ``chunk`` inserted after ``marker`` in ``name``."""
    members = []
    assert name in [m.name for m in members_of(package)], name
    for member in members_of(package):
        if member.name == name:
            cut = member.head.index(marker) + len(marker)
            block = chunk * (MB // len(chunk))  # about a megabyte, compressed once
            member = Member(name, member.head[:cut], block, megabytes, member.head[cut:])
        members.append(member)
    return members
