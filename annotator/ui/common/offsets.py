"""Convert between stored offsets (Python code points) and Qt document positions.

Spans are stored as code-point offsets into the document text. Qt counts positions in UTF-16
units, so every character outside the Basic Multilingual Plane (emoji, some CJK) takes two
positions there. ``QPlainTextEdit.setPlainText`` also turns each "\\r\\n" pair into a single
block separator, which shifts every later position by one. This module is the only place that
knows both rules; everything else in the UI speaks either code points (services) or Qt
positions (widgets) and converts here.

Both directions are O(log k) with k = number of astral characters plus "\\r\\n" pairs, and
O(1) for the common text that has neither.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Characters after which Qt starts a new block (a "\r\n" pair counts once, see above).
# U+FDD0/U+FDD1 are Qt's frame markers, which setPlainText also turns into block breaks.
_BLOCK_BREAK = re.compile("\r\n|[\n\r\u2029\ufdd0\ufdd1]")
_SHIFTS = re.compile("[\U00010000-\U0010ffff]|\r\n")


class TextOffsets:
    """Position tables for one text, built once when a document is opened."""

    def __init__(self, text: str) -> None:
        self.text_length = len(text)
        # Segments of the text in which code points and Qt positions differ by a constant:
        # code point c in segment k sits at Qt position c + shift[k].
        self._segment_cp: list[int] = [0]
        self._segment_qt: list[int] = [0]
        self._shift: list[int] = [0]
        shift = 0
        for match in _SHIFTS.finditer(text):
            if match.group() == "\r\n":
                shift -= 1  # the "\n" of the pair takes no position of its own
            else:
                shift += 1  # the low surrogate takes one more
            next_cp = match.end()
            self._segment_cp.append(next_cp)
            self._segment_qt.append(next_cp + shift)
            self._shift.append(shift)
        self.qt_length = self.text_length + shift
        self._plain = len(self._shift) == 1
        self.block_starts: list[int] = [0] + [
            self.to_qt(m.end()) for m in _BLOCK_BREAK.finditer(text)
        ]

    def to_qt(self, code_point: int) -> int:
        """Qt position of a code-point offset (a boundary between characters)."""
        if self._plain:
            return code_point
        segment = bisect_right(self._segment_cp, code_point) - 1
        return code_point + self._shift[segment]

    def to_code_point(self, qt_position: int) -> int:
        """Code-point offset of a Qt position; inside a surrogate pair it rounds down."""
        if self._plain:
            return qt_position
        segment = bisect_right(self._segment_qt, qt_position) - 1
        code_point = qt_position - self._shift[segment]
        # A position in the middle of a surrogate pair lies in the gap before the next
        # segment: keep it on the character it belongs to.
        if segment + 1 < len(self._segment_cp):
            code_point = min(code_point, self._segment_cp[segment + 1] - 1)
        return max(0, min(code_point, self.text_length))

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def range_to_code_points(self, start: int, end: int) -> tuple[int, int]:
        return self.to_code_point(start), self.to_code_point(end)

    def block_of(self, qt_position: int) -> int:
        """Number of the Qt block (paragraph) that holds ``qt_position``."""
        return max(0, bisect_right(self.block_starts, qt_position) - 1)

    def blocks_between(self, qt_start: int, qt_end: int) -> range:
        """Numbers of the blocks that the range [qt_start, qt_end) touches."""
        first = self.block_of(qt_start)
        last = max(first, bisect_left(self.block_starts, qt_end) - 1)
        return range(first, last + 1)
