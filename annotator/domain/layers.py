"""Coders' layers: what one coder sees of a document's entities.

Every decision belongs to one coder (their *layer*); model suggestions belong to nobody and
are shared. A coder sees their own entities (accepted and rejected) and the suggestions they
have not decided yet: a suggestion is decided by a coder once one of their own entities
covers any of its text (accepting or rejecting it makes such an entity; so does drawing
over it), so nobody else's choice ever hides a suggestion from them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

from annotator.domain.model import EntitySpan


def is_shared(span: EntitySpan) -> bool:
    """A suggestion nobody has decided: it is in every coder's view until they decide it."""
    return span.annotator is None


def layer_view(spans: Iterable[EntitySpan], coder: str) -> list[EntitySpan]:
    """``coder``'s entities plus the shared suggestions none of them covers, in text order."""
    spans = list(spans)
    own = [s for s in spans if s.annotator == coder]
    covered = Coverage((s.start, s.end) for s in own)
    shared = [s for s in spans if is_shared(s) and not covered.overlaps(s.start, s.end)]
    return sorted(own + shared, key=lambda s: (s.start, s.end))


class Coverage:
    """Ranges, asked whether any overlaps [start, end) in O(log n): a long article has
    thousands of suggestions and each coder's own entities."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [s for s, _e in ordered]
        self._reach = list(accumulate((e for _s, e in ordered), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        before_end = bisect_left(self._starts, end)  # the ranges that start before ``end``
        return before_end > 0 and self._reach[before_end - 1] > start


def undecided_by_all(
    guesses: Iterable[tuple[int, int]], decisions: Iterable[tuple[int, int, int | None]],
    coders: int,
) -> list[bool]:
    """For each guess (start, end): may a model run store it as a shared suggestion?

    ``decisions`` are (start, end, coder id) of entities people made (coder None: shared
    entities an import brought). A guess is dropped when a shared entity overlaps it, or
    when every one of the project's ``coders`` has decided that text already; a suggestion
    some coder has still to decide is kept for them.
    """
    decisions = list(decisions)
    result = []
    for start, end in guesses:
        deciders: set[int | None] = {c for s, e, c in decisions if s < end and start < e}
        result.append(None not in deciders and (coders == 0 or len(deciders) < coders))
    return result
