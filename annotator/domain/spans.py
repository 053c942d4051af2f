"""Offset rules for spans: code points, end-exclusive, with a snapshot of the covered text.

Every rule about where a span may lie lives here, so storage, the model run and the UI agree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from annotator.domain.errors import OverlapError, SpanError

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


class HasOffsets(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def validate_offsets(text: str, start: int, end: int, snapshot: str | None = None) -> None:
    """Raise SpanError unless 0 <= start < end <= len(text) and the snapshot matches."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise SpanError(f"span offsets must be whole numbers, got {start!r}-{end!r}")
    if not 0 <= start < end <= len(text):
        raise SpanError(
            f"span {start}-{end} does not fit a text of {len(text)} characters"
        )
    if snapshot is not None and text[start:end] != snapshot:
        raise SpanError(
            f"span {start}-{end} covers {text[start:end]!r}, not {snapshot!r}"
        )


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def find_overlap(
    spans: Iterable[HasOffsets], start: int, end: int, ignore: object | None = None
) -> HasOffsets | None:
    """The first span that overlaps [start, end), skipping ``ignore`` (compared by identity or id)."""
    for span in spans:
        if ignore is not None and (span is ignore or getattr(span, "id", None) == ignore):
            continue
        if overlaps(start, end, span.start, span.end):
            return span
    return None


def check_no_overlap(
    spans: Iterable[HasOffsets], start: int, end: int, ignore: object | None = None
) -> None:
    other = find_overlap(spans, start, end, ignore)
    if other is not None:
        raise OverlapError(start, end, other.start, other.end)


def tokens(text: str) -> list[tuple[int, int]]:
    """Word and punctuation tokens as (start, end) code-point offsets."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen [start, end) to the whole tokens it touches; None if it touches none.

    A selection that starts or ends inside a word takes the whole word, and white space at
    the edges is dropped: what a researcher means when the mouse is a little off.
    """
    start, end = max(0, start), min(len(text), end)
    if start > end:
        start, end = end, start
    touched = [(s, e) for s, e in _tokens_near(text, start, end) if s < end and start < e]
    if not touched and start == end:
        touched = [(s, e) for s, e in _tokens_near(text, start, end) if s <= start <= e]
    if not touched:
        return None
    return touched[0][0], touched[-1][1]


def selected_range(
    text: str, start: int, end: int, snap: bool = True, nothing: str = "select some words first"
) -> tuple[int, int]:
    """The range a selection stands for: snapped to whole tokens (unless ``snap`` is off) and
    validated; SpanError with ``nothing`` as message when it covers no word."""
    if snap:
        snapped = snap_to_tokens(text, start, end)
        if snapped is None:
            raise SpanError(nothing)
        start, end = snapped
    validate_offsets(text, start, end)
    return start, end


def _tokens_near(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # Scan only a window around the selection: long articles stay fast.
    lo = text.rfind("\n", 0, max(0, start - 200)) + 1
    hi = text.find("\n", min(len(text), end + 200))
    hi = len(text) if hi < 0 else hi
    return [(s + lo, e + lo) for s, e in tokens(text[lo:hi])]


def resize_by_token(
    text: str, start: int, end: int, edge: str, grow: bool
) -> tuple[int, int]:
    """Move one edge ("start" or "end") of a span by one token; a span never becomes empty."""
    toks = _tokens_near(text, start, end)
    if edge == "start":
        if grow:
            before = [s for s, _ in toks if s < start]
            start = before[-1] if before else start
        else:
            inside = [s for s, _ in toks if start < s < end]
            start = inside[0] if inside else start
    elif edge == "end":
        if grow:
            after = [e for _, e in toks if e > end]
            end = after[0] if after else end
        else:
            inside = [e for _, e in toks if start < e < end]
            end = inside[-1] if inside else end
    else:
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
    return start, end


# A sentence ends at a terminator (with any closing quotes) followed by white space, or at a
# CJK terminator (no space needed), or at a line break. Group 1 is the end of the sentence.
_SENTENCE_END = re.compile(
    r"([.!?…۔؟][\"'”’)\]]*)\s+|([。！？][\"'”’」』)\]]*)\s*|\n+"
)


def _end_of(match: re.Match[str]) -> int:
    return match.end(1) if match.group(1) else match.end(2) if match.group(2) else match.start()


_TERMINATOR = re.compile(r"[.!?…۔؟。！？\n]")
_CLOSERS = frozenset("\"'”’)]」』")
_CJK_TERMINATORS = frozenset("。！？")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence begins, by the same rule as ``_SENTENCE_END``.

    Hand-rolled because exports call it for every document: scanning for the terminator
    characters alone is several times faster than the full pattern.
    """
    starts = [0]
    size, last = len(text), 0
    for match in _TERMINATOR.finditer(text):
        i = match.start()
        if i < last:
            continue
        j = i + 1
        if text[i] == "\n":
            while j < size and text[j] == "\n":
                j += 1
        else:
            while j < size and text[j] in _CLOSERS:
                j += 1
            if text[i] not in _CJK_TERMINATORS and not (j < size and text[j].isspace()):
                continue
            while j < size and text[j].isspace():
                j += 1
        starts.append(j)
        last = j
    return starts


def sentence_at(text: str, starts: Sequence[int], position: int) -> str:
    """The sentence holding ``position``, given ``sentence_starts(text)``; trimmed."""
    index = bisect.bisect_right(starts, position) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    return text[starts[index] : end].strip()


def sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """The sentence around ``position`` as (start, end), trimmed, closing quotes kept."""
    position = max(0, min(position, len(text)))
    start = 0
    end = len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= position:
            start = m.end()
            continue
        end = _end_of(m)
        if end <= position and m.end() > position:  # inside the break itself
            end = len(text)
            nxt = _SENTENCE_END.search(text, m.end())
            start, end = m.end(), _end_of(nxt) if nxt else len(text)
        break
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if start >= end:
        return position, position
    return start, end


def occurrences(text: str, needle: str, whole_words: bool = True) -> list[tuple[int, int]]:
    """Every place ``needle`` stands in ``text``, on word boundaries by default."""
    if not needle:
        return []
    pattern = re.escape(needle)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]
