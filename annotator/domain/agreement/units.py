"""Units of agreement: which coders' entities and claims are the same thing.

Entities of two coders match *exactly* when they have the same offsets and label, and *by
overlap* when they share any text and have the same label (each entity matches at most one
of the other coder's, the largest overlap first). Claims of different coders in the same
document are one unit when their spans overlap by at least half of the shorter span; a unit
holds at most one claim per coder, and a claim no other coder's claim matches is a unit of
its own (a unitizing disagreement).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from annotator.domain.ids import DocumentId

#: a claim matches another when they overlap by at least this share of the shorter one
CLAIM_OVERLAP = 0.5


@dataclass(frozen=True)
class CodedEntity:
    """One coder's accepted entity, as agreement sees it."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class PairCounts:
    """Two coders' entities (of one label, or all) and how many of them match."""

    first: int
    second: int
    matched: int

    @property
    def f1(self) -> float | None:
        """Positive specific agreement 2a / (2a + b + c): F1 with either coder as reference."""
        total = self.first + self.second
        return None if total == 0 else 2 * self.matched / total

    def __add__(self, other: PairCounts) -> PairCounts:
        return PairCounts(self.first + other.first, self.second + other.second, self.matched + other.matched)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match_exact(first: Sequence[CodedEntity], second: Sequence[CodedEntity]) -> int:
    return len(set(first) & set(second))


def match_overlap(first: Sequence[CodedEntity], second: Sequence[CodedEntity]) -> int:
    """One-to-one matches of same-label entities sharing text, largest overlap first."""
    return len(_overlap_pairs(first, second))


def _overlap_pairs(first: Sequence[CodedEntity], second: Sequence[CodedEntity]) -> list[CodedEntity]:
    """The entities of ``first`` matched one-to-one by overlap (see match_overlap)."""
    ordered = sorted(range(len(second)), key=lambda j: second[j].start)
    starts = [second[j].start for j in ordered]
    longest = max((e.end - e.start for e in second), default=0)
    candidates = []
    for i, a in enumerate(first):
        # only entities starting before a ends, and not so early that they end before it starts
        for k in range(bisect_left(starts, a.start - longest), bisect_left(starts, a.end)):
            b = second[ordered[k]]
            shared = overlap(a.start, a.end, b.start, b.end)
            if shared > 0 and a.label == b.label:
                candidates.append((-shared, i, ordered[k]))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _size, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return [first[i] for i in sorted(used_a)]


def entity_pair_counts(
    first: Sequence[CodedEntity], second: Sequence[CodedEntity]
) -> dict[str | None, tuple[PairCounts, PairCounts]]:
    """(exact, overlap) counts of two coders' entities in one document, per label and for all
    labels (key None). Matches need the same label, so matching all at once and counting per
    label gives each label's own matching."""
    exact = set(first) & set(second)
    loose = _overlap_pairs(first, second)
    result: dict[str | None, tuple[PairCounts, PairCounts]] = {
        None: (PairCounts(len(first), len(second), len(exact)),
               PairCounts(len(first), len(second), len(loose)))
    }
    for label in {e.label for e in first} | {e.label for e in second}:
        a = sum(1 for e in first if e.label == label)
        b = sum(1 for e in second if e.label == label)
        result[label] = (
            PairCounts(a, b, sum(1 for e in exact if e.label == label)),
            PairCounts(a, b, sum(1 for e in loose if e.label == label)),
        )
    return result


def entity_clusters(
    layers: Mapping[str, Sequence[CodedEntity]],
) -> list[dict[str, list[CodedEntity]]]:
    """The coders' entities of one document grouped where they share text (chains included):
    each group is coder -> their entities in it. A group in which the coders' entities differ
    is a disagreement to show."""
    items = sorted(
        ((e.start, e.end, coder, e) for coder, entities in layers.items() for e in entities),
        key=lambda t: (t[0], t[1], t[2]),
    )
    groups: list[dict[str, list[CodedEntity]]] = []
    reach = -1  # where the current group's text ends
    for start, end, coder, entity in items:
        if start >= reach:
            groups.append({})
            reach = end
        groups[-1].setdefault(coder, []).append(entity)
        reach = max(reach, end)
    return groups


T = TypeVar("T")


@dataclass(frozen=True)
class SpanUnit(Generic[T]):
    """A claim unit: the claim (``T``: whatever the caller keeps of it) of each coder in it."""

    document_id: DocumentId
    start: int
    end: int
    items: Mapping[str, T] = field(default_factory=dict)


def match_claims(
    document_id: DocumentId, layers: Mapping[str, Sequence[tuple[int, int, T]]]
) -> list[SpanUnit[T]]:
    """Group the coders' claims of one document into units.

    ``layers`` is coder -> their claims as (start, end, item). Candidate pairs (different
    coders, overlap >= half of the shorter span) are joined best first (largest share of the
    shorter span, then largest overlap); a join that would put two claims of one coder in a
    unit is skipped, so each unit has at most one claim per coder.
    """
    claims = [
        (coder, start, end, item)
        for coder, items in layers.items()
        for start, end, item in items
    ]
    claims.sort(key=lambda c: (c[1], c[2]))
    candidates = []
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if b[1] >= a[2]:
                break  # sorted by start: no later claim overlaps a
            if a[0] == b[0]:
                continue
            shared = overlap(a[1], a[2], b[1], b[2])
            shorter = min(a[2] - a[1], b[2] - b[1])
            if shared > 0 and shorter > 0 and shared >= CLAIM_OVERLAP * shorter:
                candidates.append((-shared / shorter, -shared, i, j))
    candidates.sort()
    group = list(range(len(claims)))  # union-find over claim indices
    members: dict[int, set[str]] = {i: {c[0]} for i, c in enumerate(claims)}

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for _share, _size, i, j in candidates:
        ri, rj = root(i), root(j)
        if ri == rj or members[ri] & members[rj]:
            continue
        group[rj] = ri
        members[ri] |= members.pop(rj)
    units: dict[int, list[int]] = {}
    for i in range(len(claims)):
        units.setdefault(root(i), []).append(i)
    result = []
    for indices in units.values():
        parts = [claims[i] for i in indices]
        result.append(SpanUnit(
            document_id=document_id,
            start=min(p[1] for p in parts),
            end=max(p[2] for p in parts),
            items={p[0]: p[3] for p in parts},
        ))
    result.sort(key=lambda u: (u.start, u.end))
    return result


def unit_pair_counts(units: Sequence[SpanUnit[T]], first: str, second: str) -> PairCounts:
    """Claims of two coders and how many of them share a unit (unit F1's counts)."""
    a = sum(1 for u in units if first in u.items)
    b = sum(1 for u in units if second in u.items)
    both = sum(1 for u in units if first in u.items and second in u.items)
    return PairCounts(a, b, both)
