"""Handing documents to coders: a reliability sample every coder codes, the rest dealt out evenly.

The rule is pure and reproducible: the same documents, coders, overlap, seed and existing
assignment always give the same plan. It only ever *adds* work: documents already assigned
keep their coders, so a re-run after an import places just the new documents.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.errors import AssignmentError, CoderError
from annotator.domain.ids import DocumentId


@dataclass(frozen=True)
class Overlap:
    """How much of the newly placed documents every coder codes: a share, or all of them."""

    share: float
    everything: bool = False

    @property
    def label(self) -> str:
        return "all" if self.everything else f"{self.share * 100:g}%"


ALL = Overlap(1.0, everything=True)


def parse_overlap(text: str) -> Overlap:
    """ "15%", "0.15" or "all" (a bare number above 1 is refused: 15 could mean 15 % or 15 documents)."""
    cleaned = text.strip().lower()
    if cleaned == "all":
        return ALL
    percent = cleaned.endswith("%")
    number = cleaned[:-1].strip() if percent else cleaned
    try:
        value = float(number)
    except ValueError:
        raise AssignmentError(
            f"overlap {text!r} is not a share: write e.g. 15% or 0.15, or all"
        ) from None
    share = value / 100 if percent else value
    if not math.isfinite(share) or not 0 <= share <= 1:
        hint = f" (for {value:g} %, write {value:g}%)" if not percent and 1 < value <= 100 else ""
        raise AssignmentError(f"overlap {text!r} must lie between 0% and 100%{hint}")
    return Overlap(share)


#: as long as the project file keeps a coder's name
MAX_NAME_LENGTH = 200


def check_coder_name(name: str) -> str:
    """A coder's name, stripped: not empty, no comma (lists of coders are comma-separated),
    no line breaks or other control characters, at most 200 characters."""
    cleaned = name.strip()
    if not cleaned:
        raise CoderError("a coder's name is empty")
    if "," in cleaned:
        raise CoderError(f"coder name {cleaned!r} has a comma; commas separate coders in --coders")
    if any(not ch.isprintable() for ch in cleaned):
        raise CoderError(f"coder name {cleaned!r} has a line break or control character")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise CoderError(f"coder name {cleaned[:40]!r}... is longer than {MAX_NAME_LENGTH} characters")
    return cleaned


def check_coder_names(names: Iterable[str]) -> list[str]:
    """The coders' names, stripped; refuses an empty list, empty names and duplicates."""
    cleaned = [name.strip() for name in names]
    if not cleaned or all(not name for name in cleaned):
        raise AssignmentError("name at least one coder, e.g. --coders alice,bob,carol")
    if any(not name for name in cleaned):
        raise AssignmentError("a coder's name is empty (two commas in a row?)")
    cleaned = [check_coder_name(name) for name in cleaned]
    if FINAL_LAYER in cleaned:  # adjudication's layer (issue 12.6) is given no work
        raise AssignmentError(f"{FINAL_LAYER!r} is the adjudicated layer, not a coder to give work to")
    seen: dict[str, str] = {}
    for name in cleaned:
        if name.casefold() in seen:
            first = seen[name.casefold()]
            same = "twice" if first == name else f"twice ({first} and {name})"
            raise AssignmentError(f"coder {name} is named {same}; name each coder once")
        seen[name.casefold()] = name
    return cleaned


@dataclass(frozen=True)
class AssignmentPlan:
    """What to add: (document, coder) pairs not assigned before, and documents new to the sample."""

    pairs: tuple[tuple[DocumentId, str], ...]
    sample: tuple[DocumentId, ...]


def sample_size(new_documents: int, overlap: Overlap) -> int:
    """The share of the newly placed documents, rounded half up; at least one when there is a share."""
    if overlap.everything:
        return new_documents
    if new_documents == 0 or overlap.share == 0:
        return 0
    return min(new_documents, max(1, math.floor(overlap.share * new_documents + 0.5)))


def plan_assignment(
    documents: Sequence[DocumentId],
    coders: Sequence[str],
    overlap: Overlap,
    seed: int,
    existing: Mapping[DocumentId, Iterable[str]] | None = None,
    existing_sample: Iterable[DocumentId] = (),
) -> AssignmentPlan:
    """Place every document nobody has yet.

    A reliability sample is drawn at random among those new documents and given to every
    coder; the rest are dealt out one coder each, always to the coder with the fewest
    documents outside the sample (counting earlier runs), so loads stay within one of each
    other. Documents of an earlier sample go to any listed coder who lacks them (a coder who
    joins later codes the sample too). ``overlap`` all gives every document to every coder.
    Nothing already assigned is moved or removed.
    """
    coders = check_coder_names(coders)
    existing = {d: set(names) for d, names in (existing or {}).items()}
    old_sample = set(existing_sample)
    rng = random.Random(seed)
    ordered = sorted(set(documents))
    # a document of an earlier sample is placed already, even if nobody holds it any more
    new = [d for d in ordered if not existing.get(d) and d not in old_sample]
    pairs: list[tuple[DocumentId, str]] = []

    if overlap.everything:
        for document in ordered:
            pairs.extend((document, c) for c in coders if c not in existing.get(document, ()))
        return AssignmentPlan(tuple(pairs), tuple(new))

    sample = sorted(rng.sample(new, sample_size(len(new), overlap)))
    for document in sorted(old_sample.intersection(ordered)) + sample:
        pairs.extend((document, c) for c in coders if c not in existing.get(document, ()))

    load = {c: 0 for c in coders}
    for document, names in existing.items():
        if document not in old_sample:
            for name in names.intersection(load):
                load[name] += 1
    # ties go to coders in an order drawn for this run, so no coder always gets the spare ones
    tie_rank = {c: i for i, c in enumerate(rng.sample(coders, len(coders)))}
    in_sample = set(sample)
    dealt = [d for d in new if d not in in_sample]
    rng.shuffle(dealt)  # which coder gets which document is random, not by import order
    for document in dealt:
        coder = min(coders, key=lambda c: (load[c], tie_rank[c]))
        load[coder] += 1
        pairs.append((document, coder))
    pairs.sort()
    return AssignmentPlan(tuple(pairs), tuple(sample))
