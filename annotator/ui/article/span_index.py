"""Ranges of the text filed by paragraph, so painting one paragraph costs only its own ranges.

The highlighter and the outline painter are asked for one block (paragraph) at a time; with
2,000 entities in an article, scanning them all for every block would be quadratic. Ranges
are cut at paragraph breaks and kept per Qt block number, in Qt (UTF-16) positions relative
to the block start, which is what ``QSyntaxHighlighter.setFormat`` and ``QTextLine`` expect.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from annotator.ui.common.offsets import TextOffsets


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of one range that lies in one block."""

    key: Hashable  # what the range belongs to (a span id, a claim id)
    start: int  # Qt position, relative to the block start
    end: int
    look: Hashable  # how to draw it; each layer decides what this is


@dataclass(frozen=True, slots=True)
class Range:
    key: Hashable
    start: int  # code points, end-exclusive, as stored
    end: int
    look: Hashable


class BlockIndex:
    """One layer of ranges (entities, or claims) filed by block number."""

    def __init__(self, offsets: TextOffsets) -> None:
        self.offsets = offsets
        self._blocks: dict[int, list[Piece]] = {}
        self._qt_ranges: dict[Hashable, tuple[int, int]] = {}

    def rebuild(self, ranges: Iterable[Range]) -> None:
        self._blocks = {}
        self._qt_ranges = {}
        starts = self.offsets.block_starts
        for item in ranges:
            qt_start, qt_end = self.offsets.range_to_qt(item.start, item.end)
            self._qt_ranges[item.key] = (qt_start, qt_end)
            for block in self.offsets.blocks_between(qt_start, qt_end):
                block_start = starts[block]
                piece = Piece(
                    item.key,
                    max(qt_start, block_start) - block_start,
                    qt_end - block_start,  # may run past the block end: Qt clips it
                    item.look,
                )
                self._blocks.setdefault(block, []).append(piece)

    def pieces(self, block_number: int) -> list[Piece]:
        return self._blocks.get(block_number, [])

    def qt_range(self, key: Hashable) -> tuple[int, int] | None:
        return self._qt_ranges.get(key)

    def blocks_of(self, key: Hashable) -> range:
        found = self._qt_ranges.get(key)
        if found is None:
            return range(0)
        return self.offsets.blocks_between(*found)

    def key_at(self, qt_position: int) -> Hashable | None:
        """The range under a Qt position; where ranges overlap, the one filed last (which is
        also the one painted on top)."""
        block = self.offsets.block_of(qt_position)
        relative = qt_position - self.offsets.block_starts[block]
        for piece in reversed(self._blocks.get(block, [])):
            if piece.start <= relative < piece.end:
                return piece.key
        return None

    def __len__(self) -> int:
        return len(self._qt_ranges)
