"""Correcting entities: every edit commits at once and returns a change that undo can reverse.

A change carries plain values only (the span before and after, and any claims it touched), so
the UI's undo stack holds no database state and works across threads and restarts of a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    SpanOrigin,
    SpanStatus,
)
from annotator.domain.spans import (
    check_no_overlap,
    entity_range,
    find_overlap,
    occurrences,
    resize_by_token,
    validate_offsets,
)
from annotator.services.project import Project
from annotator.storage.repositories import ClaimRepository, DocumentRepository, SpanRepository


@dataclass(frozen=True)
class SpanChange:
    """One entity before and after an edit (None where it did not / no longer exists)."""

    document_id: DocumentId
    before: EntitySpan | None
    after: EntitySpan | None
    claims_before: tuple[Claim, ...] = ()
    claims_after: tuple[Claim, ...] = ()
    status_before: DocumentStatus | None = None
    status_after: DocumentStatus | None = None
    # pending suggestions that a new or moved entity displaced (rejected as part of the edit)
    displaced: tuple[SpanChange, ...] = ()


def _corrected(status: SpanStatus) -> SpanStatus:
    return SpanStatus.ACCEPTED if status is SpanStatus.SUGGESTED else status


def _live(spans: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Spans that count for overlaps: rejected suggestions are kept only as memory."""
    return [s for s in spans if s.status is not SpanStatus.REJECTED]


class Corrections:
    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.project = project
        self.coder = coder

    # -- creating ------------------------------------------------------------------------
    def create(
        self, document_id: DocumentId, start: int, end: int, label: str, snap: bool = True
    ) -> SpanChange:
        with self.project.session() as session:
            text = DocumentRepository(session).get(document_id).text
            start, end = entity_range(text, start, end, snap)
            spans = SpanRepository(session)
            displaced = self._displace(spans, document_id, start, end, ignore=None)
            span = spans.add(
                EntitySpan(
                    document_id=document_id, start=start, end=end, text=text[start:end],
                    label=label, origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED,
                    annotator=self.coder,
                )
            )
            before, after = self._touch_document(session, document_id)
        return SpanChange(
            document_id, None, span, status_before=before, status_after=after, displaced=displaced
        )

    def label_everywhere(self, text: str, label: str) -> list[SpanChange]:
        """Label every whole-word occurrence of ``text`` in the project, skipping overlaps."""
        changes: list[SpanChange] = []
        with self.project.session() as session:
            documents = DocumentRepository(session)
            spans = SpanRepository(session)
            for document_id, doc_text in documents.containing(text).items():
                existing = _live(spans.for_document(document_id))
                for start, end in occurrences(doc_text, text):
                    if find_overlap(existing, start, end) is not None:
                        continue
                    span = spans.add(
                        EntitySpan(
                            document_id=document_id, start=start, end=end, text=doc_text[start:end],
                            label=label, origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED,
                            annotator=self.coder,
                        )
                    )
                    existing.append(span)
                    changes.append(SpanChange(document_id, None, span))
        return changes

    # -- changing one span ---------------------------------------------------------------
    def relabel(self, span_id: SpanId, label: str) -> SpanChange:
        return self._edit(span_id, lambda s, _t: replace(s, label=label, status=SpanStatus.ACCEPTED))

    def accept(self, span_id: SpanId) -> SpanChange:
        return self._edit(span_id, lambda s, _t: replace(s, status=SpanStatus.ACCEPTED))

    def reject(self, span_id: SpanId) -> SpanChange:
        return self._edit(span_id, lambda s, _t: replace(s, status=SpanStatus.REJECTED))

    def resize(self, span_id: SpanId, edge: str, grow: bool) -> SpanChange:
        """Move one edge by a token. Fixing a suggestion's boundaries accepts it: nobody
        corrects the edges of an entity they mean to reject."""

        def change(span: EntitySpan, text: str) -> EntitySpan:
            start, end = resize_by_token(text, span.start, span.end, edge, grow)
            return replace(
                span, start=start, end=end, text=text[start:end], status=_corrected(span.status)
            )

        return self._edit(span_id, change)

    def set_bounds(self, span_id: SpanId, start: int, end: int) -> SpanChange:
        return self._edit(
            span_id,
            lambda s, t: replace(s, start=start, end=end, text=t[start:end], status=_corrected(s.status)),
        )

    def delete(self, span_id: SpanId) -> SpanChange:
        """Remove an entity. A model suggestion is rejected instead, so a re-run won't bring it back."""
        with self.project.session() as session:
            spans = SpanRepository(session)
            span = spans.get(span_id)
            if span.origin is SpanOrigin.MODEL:
                session.rollback()
                return self.reject(span_id)
            claims_before, claims_after = self._flag_claims(session, span, "deleted")
            spans.delete(span_id)
            before, after = self._touch_document(session, span.document_id)
        return SpanChange(
            span.document_id, span, None, claims_before, claims_after, before, after
        )

    def accept_all(self, document_id: DocumentId) -> list[SpanChange]:
        changes = []
        with self.project.session() as session:
            spans = SpanRepository(session)
            for span in spans.for_document(document_id):
                if span.status is SpanStatus.SUGGESTED:
                    after = spans.update(
                        replace(span, status=SpanStatus.ACCEPTED, annotator=self.coder)
                    )
                    changes.append(SpanChange(document_id, span, after))
            if changes:
                before, now = self._touch_document(session, document_id)
                first = changes[0]
                changes[0] = replace(first, status_before=before, status_after=now)
        return changes

    # -- undo / redo ---------------------------------------------------------------------
    def revert(self, change: SpanChange) -> None:
        """Put back the state before ``change`` (undo)."""
        self._apply(change.document_id, change.after, change.before, change.claims_before,
                    change.status_before)
        for displaced in change.displaced:
            self.revert(displaced)

    def reapply(self, change: SpanChange) -> None:
        """Redo ``change`` after it was reverted."""
        for displaced in change.displaced:
            self.reapply(displaced)
        self._apply(change.document_id, change.before, change.after, change.claims_after,
                    change.status_after)

    def revert_many(self, changes: Iterable[SpanChange]) -> None:
        for change in reversed(list(changes)):
            self.revert(change)

    def reapply_many(self, changes: Iterable[SpanChange]) -> None:
        for change in changes:
            self.reapply(change)

    def _apply(
        self,
        document_id: DocumentId,
        current: EntitySpan | None,
        target: EntitySpan | None,
        claims: tuple[Claim, ...],
        status: DocumentStatus | None,
    ) -> None:
        with self.project.session() as session:
            spans = SpanRepository(session)
            if target is None:
                if current is not None and current.id is not None:
                    spans.delete(current.id)
            elif current is None:
                spans.add(target)
            else:
                spans.restore(target)
            repo = ClaimRepository(session)
            for claim in claims:
                try:
                    repo.update(claim, touch=False)
                except NotFoundError:
                    continue  # the claim was deleted since; nothing to restore
            if status is not None:
                DocumentRepository(session).set_status(document_id, status)

    # -- documents -----------------------------------------------------------------------
    def set_document_status(
        self, document_id: DocumentId, status: DocumentStatus
    ) -> DocumentStatus:
        """Set a document's status, returning the one it had (for undo)."""
        with self.project.session() as session:
            return DocumentRepository(session).set_status(document_id, status)

    # -- helpers -------------------------------------------------------------------------
    def _edit(self, span_id: SpanId, change) -> SpanChange:  # type: ignore[no-untyped-def]
        with self.project.session() as session:
            spans = SpanRepository(session)
            span = spans.get(span_id)
            text = DocumentRepository(session).get(span.document_id).text
            wanted: EntitySpan = replace(change(span, text), annotator=self.coder)
            validate_offsets(text, wanted.start, wanted.end, wanted.text)
            displaced: tuple[SpanChange, ...] = ()
            if wanted.status is not SpanStatus.REJECTED:
                displaced = self._displace(
                    spans, span.document_id, wanted.start, wanted.end, ignore=span.id
                )
            claims_before: tuple[Claim, ...] = ()
            claims_after: tuple[Claim, ...] = ()
            if (wanted.start, wanted.end, wanted.label) != (span.start, span.end, span.label) or (
                wanted.status is SpanStatus.REJECTED
            ):
                claims_before, claims_after = self._flag_claims(session, span, "changed")
            after = spans.update(wanted)
            before, now = self._touch_document(session, span.document_id)
        return SpanChange(
            span.document_id, span, after, claims_before, claims_after, before, now, displaced
        )

    def _displace(
        self, spans: SpanRepository, document_id: DocumentId, start: int, end: int,
        ignore: SpanId | None,
    ) -> tuple[SpanChange, ...]:
        """Refuse to overlap a decided entity; reject the pending suggestions in the way.

        Drawing over a suggestion is how a researcher corrects its boundaries, so the
        suggestion gives way (rejected, so a re-run does not bring it back).
        """
        live = [s for s in _live(spans.for_document(document_id)) if s.id != ignore]
        check_no_overlap([s for s in live if s.is_decided], start, end)
        changes = []
        for other in live:
            if not other.is_decided and find_overlap([other], start, end) is not None:
                after = spans.update(
                    replace(other, status=SpanStatus.REJECTED, annotator=self.coder)
                )
                changes.append(SpanChange(document_id, other, after))
        return tuple(changes)

    @staticmethod
    def _flag_claims(
        session: Session, span: EntitySpan, what: str
    ) -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
        """Flag the claims that point at ``span`` for review; a deleted entity leaves its text."""
        repo = ClaimRepository(session)
        assert span.id is not None
        before, after = [], []
        for claim_id in repo.referring_to(span.id):
            claim = repo.get(claim_id)
            values = dict(claim.values)
            names = []
            for name, value in claim.values.items():
                if isinstance(value, EntityRef) and value.span_id == span.id:
                    names.append(name)
                    if what == "deleted":
                        values[name] = EntityRef(None, value.text)
            note = f"the entity {span.text!r} ({', '.join(names)}) was {what}: check the coding"
            before.append(claim)
            after.append(
                repo.update(replace(claim, values=values, needs_review=True, review_note=note))
            )
        return tuple(before), tuple(after)

    @staticmethod
    def _touch_document(
        session: Session, document_id: DocumentId
    ) -> tuple[DocumentStatus | None, DocumentStatus | None]:
        """The first decision on a new document moves it to 'in progress'."""
        if DocumentRepository(session).start_work(document_id):
            return DocumentStatus.NEW, DocumentStatus.IN_PROGRESS
        return None, None
