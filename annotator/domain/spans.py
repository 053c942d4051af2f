"""Offset rules for spans: code points, end-exclusive, with a snapshot of the covered text.

Every rule about where a span may lie lives here, so storage, the model run and the UI agree.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol

import regex  # its \w takes the combining marks of Urdu, Hindi, ... and \X whole emoji

from annotator.domain.errors import OverlapError, SpanError

# Titles and company forms whose period belongs to the name ("Dr. Khan", "Apple Inc.").
_TITLES = (
    "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Rev|Hon|Pres"
    "|Inc|Ltd|Co|Corp|Bros|Mt|Ft"
)
# An abbreviation with its periods: initialisms ("U.S.", "J.K.") and the titles above.
_ABBREVIATION = rf"(?<![\w.])(?:\p{{L}}\.){{2,}}|\b(?:{_TITLES})\."
_S_CLITIC = r"[sS](?!\w)"
_POSSESSIVE = rf"['’ʼ]{_S_CLITIC}"
# Tokens: abbreviations; a possessive 's on its own (so an edge can stop before it); words,
# with inner hyphens and apostrophes ("Azm-e-Istehkam", "O'Brien"); any other character
# (a whole grapheme, so an emoji flag or family is one token).
_TOKEN = regex.compile(
    rf"{_ABBREVIATION}|{_POSSESSIVE}|\w+(?:(?:[-‐]|['’ʼ](?!{_S_CLITIC}))\w+)*|(?![\w\s])\X"
)
_ABBREVIATION_AT_END = regex.compile(rf"(?:{_ABBREVIATION})\Z")
_POSSESSIVE_AT_END = regex.compile(rf"(?<=\w){_POSSESSIVE}\Z")
_WORD = regex.compile(r"\w")

# Edge punctuation that belongs to a name: paired brackets and quotes (when their partner is
# inside the name), a handle's "@" or "#" in front, "%" and "°" behind ("5%", "30°").
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»", "‹": "›", "„": "“",
          "「": "」", "『": "』", '"': '"', "'": "'"}
_OPENER_OF = {close: open_ for open_, close in _PAIRS.items()}
_KEEP_FIRST = frozenset("@#")
_KEEP_LAST = frozenset("%‰°")


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
    """The whole tokens a selection stands for; None if it touches none.

    What a researcher means when the mouse is a little off: a word the selection holds at
    least half of is taken whole, a word at either edge it only grazes is left out (": Sharif
    V" is "Sharif", not "Sharif Visits"), and white space at the edges is dropped. A
    selection inside one word takes that word.
    """
    start, end = max(0, start), min(len(text), end)
    if start > end:
        start, end = end, start
    near = _tokens_near(text, start, end)
    touched = [(s, e) for s, e in near if s < end and start < e]
    if not touched and start == end:
        touched = [(s, e) for s, e in near if s <= start <= e]
    if not touched:
        return None

    def grazed(token: tuple[int, int]) -> bool:
        s, e = token
        return 2 * (min(e, end) - max(s, start)) < e - s

    kept = list(touched)
    while len(kept) > 1 and grazed(kept[0]):
        kept.pop(0)
    while len(kept) > 1 and grazed(kept[-1]):
        kept.pop()
    if not any(_WORD.search(text, s, e) for s, e in kept):
        kept = touched  # only punctuation was left: take what was touched after all
    return kept[0][0], kept[-1][1]


def trim_to_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) without what is never part of an entity's name; None if nothing is left.

    The one rule for entity edges, for manual and model entities alike: white space, a
    possessive 's / ’s, and punctuation or symbols at either edge go ("Fazl’s" -> "Fazl",
    ": Shehbaz Sharif," -> "Shehbaz Sharif", "“Azm-e-Istehkam”" -> "Azm-e-Istehkam"). Kept:
    an abbreviation's period ("U.S.", "Dr."), a bracket or quote whose partner is inside
    ("Office (PMO)"), "@"/"#" in front, "%"/"°" behind, currency and math signs. Only the
    text of the span is read, so the rule gives the same answer wherever the span stands.
    """
    start, end = max(0, start), min(len(text), end)
    while start < end:
        piece = text[start:end]
        if piece[-1].isspace() or _invisible(piece[-1]):
            end -= 1
        elif piece[0].isspace() or _invisible(piece[0]):
            start += 1
        elif (possessive := _POSSESSIVE_AT_END.search(piece)) is not None:
            end = start + possessive.start()
        elif piece[0].isalnum() and piece[-1].isalnum():
            return start, end  # the usual case: a word at either edge
        elif _wrapped(piece):
            start, end = start + 1, end - 1
        elif _trims_last(piece):
            end -= len(_last_grapheme(piece))
        elif _trims_first(piece):
            start += len(_first_grapheme(piece))
        else:
            return start, end
    return None


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf"  # zero-width joiners and spaces, BOM


def _is_edge_punctuation(grapheme: str) -> bool:
    category = unicodedata.category(grapheme[0])
    return (category[0] == "P" and category != "Pc") or category in ("So", "Sk")


def _first_grapheme(piece: str) -> str:
    match = regex.match(r"\X", piece)
    return match.group() if match else piece[0]


def _last_grapheme(piece: str) -> str:
    match = regex.search(r"\X\Z", piece)
    return match.group() if match else piece[-1]


def _partner_inside(rest: str, mine: str, partner: str) -> bool:
    """Whether a bracket or quote at one edge of a name has its partner in ``rest`` (the name
    without it): "Office (PMO)" keeps its ")", "Sharif)" loses it. An apostrophe is too
    often not a quote ("Jones'", "O'Brien'") to be kept this way."""
    if mine == "'":
        return False
    if mine == partner:
        return rest.count(mine) % 2 == 1
    return rest.count(partner) > rest.count(mine)


def _wrapped(piece: str) -> bool:
    """The whole span stands inside one pair: "(PMO)", "“Azm-e-Istehkam”"."""
    first, last = piece[0], piece[-1]
    if len(piece) < 3 or _PAIRS.get(first) != last:
        return False
    inner = piece[1:-1]
    if first == last:
        return first not in inner
    depth = 0
    for char in inner:
        depth += (char == first) - (char == last)
        if depth < 0:
            return False  # the first bracket closes early: "(a) and (b)"
    return depth == 0


def _trims_last(piece: str) -> bool:
    last = _last_grapheme(piece)
    if last in _KEEP_LAST or not _is_edge_punctuation(last):
        return False
    if last == "." and _ABBREVIATION_AT_END.search(piece):
        return False
    opener = _OPENER_OF.get(last)
    return opener is None or not _partner_inside(piece[:-1], last, opener)


def _trims_first(piece: str) -> bool:
    first = _first_grapheme(piece)
    if not _is_edge_punctuation(first):
        return False
    if first in _KEEP_FIRST and len(piece) > 1 and _WORD.match(piece[1]):
        return False
    closer = _PAIRS.get(first)
    return closer is None or not _partner_inside(piece[1:], first, closer)


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


def entity_range(text: str, start: int, end: int, snap: bool = True) -> tuple[int, int]:
    """What a selection stands for as an entity: ``selected_range``, then ``trim_to_name``."""
    start, end = selected_range(text, start, end, snap)
    trimmed = trim_to_name(text, start, end)
    if trimmed is None:
        raise SpanError(f"{text[start:end]!r} holds no name: select some words")
    return trimmed


def _tokens_near(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # Scan only a window around the selection: long articles stay fast.
    lo = text.rfind("\n", 0, max(0, start - 200)) + 1
    hi = text.find("\n", min(len(text), end + 200))
    hi = len(text) if hi < 0 else hi
    return [(s + lo, e + lo) for s, e in tokens(text[lo:hi])]


def resize_by_token(
    text: str, start: int, end: int, edge: str, grow: bool
) -> tuple[int, int]:
    """Move one edge ("start" or "end") of an entity to the next token where a name may end.

    Steps past what ``trim_to_name`` would cut (a possessive, a comma), so growing "Fazl"
    gives "Fazl’s House" and shrinking "Fazl’s" gives "Fazl". The span never becomes empty;
    when no step is possible it comes back unchanged.
    """
    if edge not in ("start", "end"):
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
    toks = _tokens_near(text, start, end)
    if edge == "start":
        if grow:
            candidates = [(s, end) for s, _ in reversed(toks) if s < start]
        else:
            candidates = [(s, end) for s, _ in toks if start < s < end]
    elif grow:
        candidates = [(start, e) for _, e in toks if e > end]
    else:
        candidates = [(start, e) for _, e in reversed(toks) if start < e < end]
    # A step that leaves a bracket open ("Office (PMO") is taken only if nothing else moves.
    for balanced_only in (True, False):
        for s, e in candidates:
            trimmed = trim_to_name(text, s, e)
            if trimmed is None or not _moved(trimmed, (start, end), edge, grow):
                continue
            if balanced_only and not _balanced(text[trimmed[0] : trimmed[1]]):
                continue
            return trimmed
    return start, end


def _balanced(piece: str) -> bool:
    return all(
        piece.count(opener) == piece.count(closer)
        for opener, closer in _PAIRS.items()
        if opener != closer and opener in "([{"
    )


def _moved(new: tuple[int, int], old: tuple[int, int], edge: str, grow: bool) -> bool:
    index = 0 if edge == "start" else 1
    grows = new[index] < old[index] if edge == "start" else new[index] > old[index]
    shrinks = new[index] > old[index] if edge == "start" else new[index] < old[index]
    return grows if grow else shrinks


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
