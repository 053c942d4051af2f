"""Adjudication (issue 12.6): the PI resolves the coders' disagreements into the final layer.

Which documents: those at least two of the chosen coders (by default every coder but
``final``) marked done, limited to the reliability sample when the project has one (a project
without a sample adjudicates every document coded twice). Units the coders agree on are
copied to the final layer by ``fill`` / ``auto`` (nothing is copied twice: a place the final
layer already has something at, or that the PI dropped, is left alone). For the rest the PI
takes one coder's version or drops the place; editing the final layer otherwise is ordinary
coding as the coder ``final``.

Every operation commits at once and returns an ``AdjudicationChange`` of plain values (the
final layer's rows before and after, and whether the place was marked dropped) that
``revert`` undoes and ``reapply`` redoes, as ``services.corrections`` does for entities.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from annotator.domain.adjudication import (
    FINAL_LAYER,
    Resolution,
    Unit,
    UnitKind,
    document_units,
    final_here,
    taken_from,
)
from annotator.domain.errors import AgreementError, NotFoundError
from annotator.domain.ids import ClaimId, DocumentId, SpanId
from annotator.domain.model import Claim, CoderRole, DocumentStatus, EntityRef, EntitySpan, SpanStatus
from annotator.services.agreement.reading import choose_coders
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    ProjectInfoRepository,
    SpanRepository,
)

#: project setting: the places the PI decided nothing goes to the final layer (JSON list)
DROPPED_SETTING = "adjudication_dropped"


@dataclass(frozen=True)
class Disagreement:
    unit: Unit
    resolution: Resolution
    taken_from: str | None  # the coder whose version the final layer holds, if any


@dataclass(frozen=True)
class DocumentAdjudication:
    document_id: DocumentId
    title: str
    text: str
    coders: tuple[str, ...]
    agreed: int  # units every coder agrees on
    disagreements: tuple[Disagreement, ...]

    @property
    def open(self) -> int:
        return sum(1 for d in self.disagreements if d.resolution is Resolution.OPEN)


@dataclass(frozen=True)
class AdjudicationChange:
    """The final layer's rows at one place before and after an operation."""

    document_id: DocumentId
    spans_before: tuple[EntitySpan, ...] = ()
    spans_after: tuple[EntitySpan, ...] = ()
    claims_before: tuple[Claim, ...] = ()
    claims_after: tuple[Claim, ...] = ()
    key: str | None = None  # the place whose "dropped" mark changed
    dropped_before: bool = False
    dropped_after: bool = False

    def reversed(self) -> AdjudicationChange:
        return AdjudicationChange(
            self.document_id, self.spans_after, self.spans_before, self.claims_after,
            self.claims_before, self.key, self.dropped_after, self.dropped_before,
        )

    @property
    def empty(self) -> bool:
        return (not (self.spans_before or self.spans_after or self.claims_before or self.claims_after)
                and self.dropped_before == self.dropped_after)


@dataclass(frozen=True)
class AutoResult:
    coders: tuple[str, ...]
    documents: tuple[DocumentAdjudication, ...]
    entities_added: int
    claims_added: int

    @property
    def open(self) -> int:
        return sum(d.open for d in self.documents)


class Adjudication:
    def __init__(self, project: Project, coders: Sequence[str] | None = None) -> None:
        self.project = project
        self.wanted = list(coders) if coders else None

    # -- reading -----------------------------------------------------------------------------
    def coders(self) -> tuple[str, ...]:
        with self.project.read_session() as session:
            return tuple(self._chosen(session))

    def documents(self) -> list[DocumentId]:
        """The documents to adjudicate, in id order."""
        with self.project.read_session() as session:
            return self._documents(session, self._chosen(session))

    def document(self, document_id: DocumentId) -> DocumentAdjudication:
        with self.project.read_session() as session:
            return self._read(session, document_id, self._chosen(session))

    # -- filling agreed units ------------------------------------------------------------------
    def auto(self) -> AutoResult:
        """Copy every agreed unit of every document to the final layer (one commit)."""
        with self.project.session() as session:
            chosen = self._chosen(session)
            added = [0, 0]
            for doc in self._documents(session, chosen):
                change = self._fill(session, doc, chosen)
                added[0] += len(change.spans_after)
                added[1] += len(change.claims_after)
            documents = tuple(self._read(session, d, chosen) for d in self._documents(session, chosen))
        return AutoResult(tuple(chosen), documents, added[0], added[1])

    def fill(self, document_id: DocumentId) -> AdjudicationChange:
        """Copy the document's agreed units to the final layer (what opening it does)."""
        with self.project.session() as session:
            return self._fill(session, document_id, self._chosen(session))

    def _fill(self, session: Session, document_id: DocumentId, chosen: list[str]) -> AdjudicationChange:
        state = self._read(session, document_id, chosen, agreed_too=True)
        spans: list[EntitySpan] = []
        claims: list[Claim] = []
        for item in state.disagreements:  # here: every unit, agreed ones included
            if not item.unit.agreed or item.resolution is not Resolution.OPEN:
                continue
            first = item.unit.coders()[0]
            change = self._take(session, item.unit, first)
            spans += change.spans_after
            claims += change.claims_after
        return AdjudicationChange(document_id, (), tuple(spans), (), tuple(claims))

    # -- the PI's decisions --------------------------------------------------------------------
    def take(self, unit: Unit, coder: str) -> AdjudicationChange:
        """The final layer gets ``coder``'s version of the place (nothing, if they coded none)."""
        if coder not in unit.coders():
            raise AgreementError(f"{coder} is not one of the coders of this disagreement")
        with self.project.session() as session:
            return self._take(session, unit, coder)

    def drop(self, unit: Unit) -> AdjudicationChange:
        """Nothing goes to the final layer at this place."""
        with self.project.session() as session:
            return self._take(session, unit, None)

    def revert(self, change: AdjudicationChange) -> None:
        self.reapply(change.reversed())

    def reapply(self, change: AdjudicationChange) -> None:
        with self.project.session() as session:
            self._swap(session, change.spans_before, change.claims_before,
                       change.spans_after, change.claims_after)
            if change.key is not None:
                self._mark(session, change.key, change.dropped_after)

    # -- helpers -------------------------------------------------------------------------------
    def _take(self, session: Session, unit: Unit, coder: str | None) -> AdjudicationChange:
        final_id = CoderRepository(session).id_for(FINAL_LAYER, CoderRole.PI)
        assert final_id is not None
        spans_repo, claims_repo = SpanRepository(session), ClaimRepository(session)
        doc = unit.document_id
        final_spans = [s for s in spans_repo.for_document(doc) if s.annotator == FINAL_LAYER]
        final_claims = claims_repo.for_document(doc, FINAL_LAYER)
        here = final_here(unit, final_spans, final_claims)
        old_spans: list[EntitySpan] = []
        old_claims: list[Claim] = []
        new_spans: list[EntitySpan] = []
        new_claims: list[Claim] = []
        if unit.kind is UnitKind.ENTITY:
            old_spans = list(here)
            removed = {s.id for s in old_spans}
            old_claims = [c for c in final_claims if _links(c) & removed]
            for claim in old_claims:
                claims_repo.delete(claim.id)  # type: ignore[arg-type]
            for span in old_spans:
                spans_repo.delete(span.id)  # type: ignore[arg-type]
            for span in unit.entities.get(coder, ()) if coder else ():
                new_spans.append(spans_repo.add(_final_copy(span)))
            for claim in old_claims:
                new_claims.append(claims_repo.add(_relinked(claim, old_spans, new_spans)))
        else:
            old_claims = list(here)
            for claim in old_claims:
                claims_repo.delete(claim.id)  # type: ignore[arg-type]
            source = unit.claims.get(coder) if coder else None
            if source is not None:
                values = dict(source.values)
                for name, value in source.values.items():
                    if isinstance(value, EntityRef):
                        values[name] = self._final_link(session, value, final_spans, new_spans)
                new_claims.append(claims_repo.add(replace(
                    source, id=None, annotator=FINAL_LAYER, values=values,
                    needs_review=False, review_note="", created_at=None, updated_at=None,
                )))
        nothing = not (unit.entities.get(coder) if unit.kind is UnitKind.ENTITY else unit.claims.get(coder)) \
            if coder else True
        dropped = self._dropped(session)
        was = unit.key in dropped
        self._mark(session, unit.key, nothing)
        return AdjudicationChange(
            doc, tuple(old_spans), tuple(new_spans), tuple(old_claims), tuple(new_claims),
            unit.key, was, nothing,
        )

    @staticmethod
    def _final_link(
        session: Session, ref: EntityRef, final_spans: list[EntitySpan], new_spans: list[EntitySpan]
    ) -> EntityRef:
        """The coder's link as a link to the final layer's own entity (copied there if needed)."""
        if ref.span_id is None:
            return ref
        try:
            linked = SpanRepository(session).get(ref.span_id)
        except NotFoundError:
            return EntityRef(None, ref.text)
        for span in [*final_spans, *new_spans]:
            if (span.start, span.end, span.label) == (linked.start, linked.end, linked.label) \
                    and span.status is SpanStatus.ACCEPTED:
                return EntityRef(span.id, span.text)
        copy = SpanRepository(session).add(_final_copy(linked))
        new_spans.append(copy)
        return EntityRef(copy.id, copy.text)

    @staticmethod
    def _swap(
        session: Session, old_spans: Sequence[EntitySpan], old_claims: Sequence[Claim],
        new_spans: Sequence[EntitySpan], new_claims: Sequence[Claim],
    ) -> None:
        spans, claims = SpanRepository(session), ClaimRepository(session)
        for claim in old_claims:
            claims.delete(ClaimId(claim.id))  # type: ignore[arg-type]
        for span in old_spans:
            spans.delete(SpanId(span.id))  # type: ignore[arg-type]
        for span in new_spans:
            spans.add(span)
        for claim in new_claims:
            claims.add(claim)

    @staticmethod
    def _dropped(session: Session) -> set[str]:
        return set(json.loads(ProjectInfoRepository(session).get(DROPPED_SETTING) or "[]"))

    def _mark(self, session: Session, key: str, dropped: bool) -> None:
        keys = self._dropped(session)
        keys = keys | {key} if dropped else keys - {key}
        ProjectInfoRepository(session).set(DROPPED_SETTING, json.dumps(sorted(keys)) if keys else None)

    def _read(
        self, session: Session, document_id: DocumentId, chosen: list[str], agreed_too: bool = False
    ) -> DocumentAdjudication:
        document = DocumentRepository(session).get(document_id)
        statuses = CoderDocumentRepository(session).statuses(document_id)
        coders = [c for c in chosen if statuses.get(c) is DocumentStatus.DONE]
        rows = SpanRepository(session).for_document(document_id)
        entities = {
            c: [s for s in rows if s.annotator == c and s.status is SpanStatus.ACCEPTED] for c in coders
        }
        claims_repo = ClaimRepository(session)
        claims = {c: claims_repo.for_document(document_id, c) for c in coders}
        final_spans = [s for s in rows if s.annotator == FINAL_LAYER]
        final_claims = claims_repo.for_document(document_id, FINAL_LAYER)
        dropped = self._dropped(session)
        units = document_units(document_id, coders, entities, claims)
        listed = []
        for unit in units:
            if unit.agreed and not agreed_too:
                continue
            here = final_here(unit, final_spans, final_claims)
            if here:
                resolution = Resolution.TAKEN
            elif unit.key in dropped:
                resolution = Resolution.DROPPED
            else:
                resolution = Resolution.OPEN
            listed.append(Disagreement(unit, resolution, taken_from(unit, here) if here else None))
        agreed = sum(1 for u in units if u.agreed)
        return DocumentAdjudication(
            document_id, document.title, document.text, tuple(coders), agreed, tuple(listed)
        )

    def _chosen(self, session: Session) -> list[str]:
        known = [c.name for c in CoderRepository(session).all() if c.name != FINAL_LAYER]
        wanted = self.wanted
        if wanted is None:  # the coders who finished something (not a PI who codes nothing)
            progress = CoderDocumentRepository(session).progress()
            wanted = [c for c in known if progress.get(c, {}).get("done")]
            if len(wanted) < 2:
                wanted = known
        return choose_coders(known, wanted, self.project, "adjudication")

    @staticmethod
    def _documents(session: Session, chosen: list[str]) -> list[DocumentId]:
        work = CoderDocumentRepository(session)
        sample = work.sample()
        result = []
        for doc, by_coder in sorted(work.statuses_by_document().items()):
            done = sum(1 for c in chosen if by_coder.get(c) is DocumentStatus.DONE)
            if done >= 2 and (not sample or doc in sample):
                result.append(doc)
        return result


def _links(claim: Claim) -> set[SpanId | None]:
    return {v.span_id for v in claim.values.values() if isinstance(v, EntityRef) and v.span_id is not None}


def _final_copy(span: EntitySpan) -> EntitySpan:
    return replace(
        span, id=None, annotator=FINAL_LAYER, status=SpanStatus.ACCEPTED,
        created_at=None, updated_at=None,
    )


def _relinked(claim: Claim, removed: Sequence[EntitySpan], added: Sequence[EntitySpan]) -> Claim:
    """A final claim whose linked entity was replaced: linked to the new entity at the same
    place and label, else keeping only the words."""
    by_id = {s.id: s for s in removed}
    values = dict(claim.values)
    for name, value in claim.values.items():
        if isinstance(value, EntityRef) and value.span_id in by_id:
            old = by_id[value.span_id]
            place = (old.start, old.end, old.label)
            new = next((s for s in added if (s.start, s.end, s.label) == place), None)
            values[name] = EntityRef(new.id, new.text) if new is not None else EntityRef(None, value.text)
    return replace(claim, values=values)
