"""Adjudication (issue 12.6): where the coders of a document agree, and where the PI decides.

The result of adjudicating is the *final* layer: an ordinary coder layer whose coder is
named ``final``. It is never a coder whose agreement is measured, who is given work, or who
counts towards blind coding.

Units are the agreement code's (``domain.agreement.units``): the coders' entities grouped where
they share text (a group is agreed when every coder has exactly the same entities in it: same
offsets and label), and claims matched across coders when they overlap by at least half of the
shorter one (a unit is agreed when every coder has a claim in it and all of them carry the
same values, entity references compared by the linked words). Agreed units go to the final
layer without a keystroke; every other unit is a disagreement for the PI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.domain.agreement.units import (
    CLAIM_OVERLAP,
    CodedEntity,
    entity_clusters,
    match_claims,
    overlap,
)
from annotator.domain.ids import DocumentId
from annotator.domain.model import Claim, EntityRef, EntitySpan

#: the coder whose layer holds the adjudicated coding
FINAL_LAYER = "final"


class UnitKind(StrEnum):
    ENTITY = "entity"
    CLAIM = "claim"


@dataclass(frozen=True)
class Unit:
    """One place of a document and each coder's version of it (entities: the coder's entities
    in the group, possibly none; claims: none or one claim)."""

    kind: UnitKind
    document_id: DocumentId
    start: int
    end: int
    entities: Mapping[str, tuple[EntitySpan, ...]]
    claims: Mapping[str, Claim | None]
    agreed: bool

    @property
    def key(self) -> str:
        """Names the place across sessions (what a drop remembers)."""
        return f"{self.kind.value}:{self.document_id}:{self.start}:{self.end}"

    def coders(self) -> tuple[str, ...]:
        return tuple(self.entities if self.kind is UnitKind.ENTITY else self.claims)


def _coded(span: EntitySpan) -> CodedEntity:
    return CodedEntity(span.start, span.end, span.label)


def entity_units(
    document_id: DocumentId, coders: Sequence[str], layers: Mapping[str, Sequence[EntitySpan]]
) -> list[Unit]:
    """The coders' accepted entities grouped where they share text, each group agreed or not."""
    by_key: dict[tuple[str, CodedEntity], EntitySpan] = {}
    for coder in coders:
        for span in layers.get(coder, ()):
            by_key[(coder, _coded(span))] = span
    clusters = entity_clusters({c: [_coded(s) for s in layers.get(c, ())] for c in coders})
    units = []
    for cluster in clusters:
        versions = {
            c: tuple(by_key[(c, e)] for e in sorted(cluster.get(c, []), key=lambda e: (e.start, e.end)))
            for c in coders
        }
        shapes = {tuple(_coded(s) for s in spans) for spans in versions.values()}
        units.append(Unit(
            UnitKind.ENTITY, document_id,
            min(s.start for spans in versions.values() for s in spans),
            max(s.end for spans in versions.values() for s in spans),
            versions, {}, agreed=len(shapes) == 1,
        ))
    return units


def claim_values_key(claim: Claim) -> tuple[tuple[str, object], ...]:
    """A claim's values as adjudication compares them: entity references by their words,
    multiple choices as sets, empty values as not coded."""
    result = []
    for name, value in claim.values.items():
        if value is None or value == "" or value == ():
            continue
        if isinstance(value, EntityRef):
            value = ("entity", " ".join(value.text.split()))
        elif isinstance(value, tuple):
            value = tuple(sorted(value))
        result.append((name, value))
    return tuple(sorted(result, key=lambda item: item[0]))


def claim_units(
    document_id: DocumentId, coders: Sequence[str], layers: Mapping[str, Sequence[Claim]]
) -> list[Unit]:
    """The coders' claims matched into units, each agreed (every coder, the same values) or not."""
    matched = match_claims(
        document_id, {c: [(k.start, k.end, k) for k in layers.get(c, ())] for c in coders}
    )
    units = []
    for unit in matched:
        versions: dict[str, Claim | None] = {c: unit.items.get(c) for c in coders}
        present = [k for k in versions.values() if k is not None]
        agreed = len(present) == len(coders) and len({claim_values_key(k) for k in present}) == 1
        units.append(Unit(UnitKind.CLAIM, document_id, unit.start, unit.end, {}, versions, agreed))
    return units


def document_units(
    document_id: DocumentId, coders: Sequence[str],
    entities: Mapping[str, Sequence[EntitySpan]], claims: Mapping[str, Sequence[Claim]],
) -> list[Unit]:
    """Every unit of a document, in text order (entities before claims at the same place)."""
    units = entity_units(document_id, coders, entities) + claim_units(document_id, coders, claims)
    return sorted(units, key=lambda u: (u.start, u.end, u.kind is UnitKind.CLAIM))


def claim_at(claim_start: int, claim_end: int, start: int, end: int) -> bool:
    """Is a claim at the unit's place (the agreement code's rule: overlapping by at least half
    of the shorter of the two)?"""
    shared = overlap(claim_start, claim_end, start, end)
    shorter = min(claim_end - claim_start, end - start)
    return shared > 0 and shorter > 0 and shared >= CLAIM_OVERLAP * shorter


class Resolution(StrEnum):
    OPEN = "open"  # nothing decided yet
    DROPPED = "dropped"  # the PI decided nothing goes to the final layer
    TAKEN = "taken"  # the final layer has a version here (a coder's, or the PI's own edit)


def final_here(unit: Unit, final_entities: Sequence[EntitySpan], final_claims: Sequence[Claim]) -> list:
    """The final layer's entities (any overlap) or claims (the claim rule) at the unit's place."""
    if unit.kind is UnitKind.ENTITY:
        return [s for s in final_entities if s.start < unit.end and unit.start < s.end]
    return [c for c in final_claims if claim_at(c.start, c.end, unit.start, unit.end)]


def taken_from(unit: Unit, here: Sequence[EntitySpan] | Sequence[Claim]) -> str | None:
    """Whose version the final layer holds at the unit's place (None: nobody's exactly)."""
    if unit.kind is UnitKind.ENTITY:
        final = tuple(sorted(_coded(s) for s in here))  # type: ignore[arg-type]
        for coder, spans in unit.entities.items():
            if spans and tuple(sorted(_coded(s) for s in spans)) == final:
                return coder
        return None
    if len(here) != 1:
        return None
    final_claim = here[0]
    for coder, claim in unit.claims.items():
        if claim is not None and (claim.start, claim.end) == (final_claim.start, final_claim.end) \
                and claim_values_key(claim) == claim_values_key(final_claim):  # type: ignore[arg-type]
            return coder
    return None
