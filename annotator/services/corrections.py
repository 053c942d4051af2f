"""Correcting entities: every edit commits at once and returns a change that undo can reverse.

A change carries plain values only (the span before and after, and any claims it touched), so
the UI's undo stack holds no database state and works across threads and restarts of a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from annotator.domain.errors import LayerError, NotFoundError
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.layers import is_shared
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
from annotator.services.layers import writing_coder
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
            coder = self._coder(session)
            text = DocumentRepository(session).text_of(document_id)
            start, end = entity_range(text, start, end, snap)
            spans = SpanRepository(session)
            displaced = self._displace(spans, coder, document_id, start, end, ignore=None)
            span = spans.add(
                EntitySpan(
                    document_id=document_id, start=start, end=end, text=text[start:end],
                    label=label, origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED,
                    annotator=coder,
                )
            )
            before, after = self._touch_document(session, document_id, coder)
        return SpanChange(
            document_id, None, span, status_before=before, status_after=after, displaced=displaced
        )

    def label_everywhere(self, text: str, label: str) -> list[SpanChange]:
        """Label every whole-word occurrence of ``text`` in the project, skipping overlaps."""
        changes: list[SpanChange] = []
        with self.project.session() as session:
            coder = self._coder(session)
            documents = self._documents(session, coder)
            spans = SpanRepository(session)
            for document_id, doc_text in documents.containing(text).items():
                existing = _live(spans.for_document(document_id, coder))
                for start, end in occurrences(doc_text, text):
                    if find_overlap(existing, start, end) is not None:
                        continue
                    span = spans.add(
                        EntitySpan(
                            document_id=document_id, start=start, end=end, text=doc_text[start:end],
                            label=label, origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED,
                            annotator=coder,
                        )
                    )
                    existing.append(span)
                    changes.append(SpanChange(document_id, None, span))
        return changes

    # -- changing one span ---------------------------------------------------------------
    def relabel(self, span_id: SpanId, label: str) -> SpanChange:
        return self._edit(
            span_id, lambda s, _t: replace(s, label=label, status=SpanStatus.ACCEPTED), moves=False
        )

    def accept(self, span_id: SpanId) -> SpanChange:
        return self._edit(span_id, lambda s, _t: replace(s, status=SpanStatus.ACCEPTED), moves=False)

    def reject(self, span_id: SpanId) -> SpanChange:
        return self._edit(span_id, lambda s, _t: replace(s, status=SpanStatus.REJECTED), moves=False)

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
            coder = self._coder(session)
            target, view, _linked = spans.with_view(span_id, coder)
            span = self._handle(target, coder, view)
            if span.origin is SpanOrigin.MODEL or is_shared(span):
                session.rollback()
                return self.reject(span_id)
            claims_before, claims_after = self._flag_claims(session, span, coder, "deleted")
            spans.delete(span_id)
            before, after = self._touch_document(session, span.document_id, coder)
        return SpanChange(
            span.document_id, span, None, claims_before, claims_after, before, after
        )

    def accept_all(self, document_id: DocumentId) -> list[SpanChange]:
        changes = []
        with self.project.session() as session:
            coder = self._coder(session)
            spans = SpanRepository(session)
            for span in spans.for_document(document_id, coder):
                if span.status is SpanStatus.SUGGESTED:
                    after = self._decide(
                        spans, span, replace(span, status=SpanStatus.ACCEPTED, annotator=coder)
                    )
                    changes.append(SpanChange(document_id, span, after))
            if changes:
                before, now = self._touch_document(session, document_id, coder)
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
            coder = self._coder(session)
            spans = SpanRepository(session)
            if target is None:
                if current is not None and current.id is not None:
                    spans.delete(current.id)
            elif current is None:
                spans.add(target)
            elif current.id != target.id:
                # a decision on a shared suggestion: the coder's copy comes or goes, while
                # the suggestion itself stays for the other coders
                if not is_shared(current) and current.id is not None:
                    spans.delete(current.id)
                if target.id is None or not spans.exists(target.id):
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
                self._documents(session, coder).set_status(document_id, status)

    # -- documents -----------------------------------------------------------------------
    def set_document_status(
        self, document_id: DocumentId, status: DocumentStatus
    ) -> DocumentStatus:
        """Set the coder's status of a document, returning the one it had (for undo)."""
        with self.project.session() as session:
            return self._documents(session, self._coder(session)).set_status(document_id, status)

    # -- helpers -------------------------------------------------------------------------
    def _edit(self, span_id: SpanId, change, moves: bool = True) -> SpanChange:  # type: ignore[no-untyped-def]
        """``change(span, text)`` gives the coder's entity; ``moves=False``: it keeps the
        entity's bounds, so the document's text is neither needed nor read."""
        with self.project.session() as session:
            coder = self._coder(session)
            spans = SpanRepository(session)
            # the entity with the coder's view of its document, read once for both checks below
            target, view, target_linked = spans.with_view(span_id, coder)
            span = self._handle(target, coder, view)
            text = DocumentRepository(session).text_of(span.document_id) if moves else ""
            wanted: EntitySpan = replace(change(span, text), annotator=coder)
            if moves:
                validate_offsets(text, wanted.start, wanted.end, wanted.text)
            elif (wanted.start, wanted.end, wanted.text) != (span.start, span.end, span.text):
                raise ValueError("an edit that keeps an entity's bounds changed them")
            displaced: tuple[SpanChange, ...] = ()
            if wanted.status is not SpanStatus.REJECTED:
                displaced = self._displace(
                    spans, coder, span.document_id, wanted.start, wanted.end, ignore=span.id,
                    view=view,
                )
            changed = (wanted.start, wanted.end, wanted.label) != (
                span.start, span.end, span.label
            ) or wanted.status is SpanStatus.REJECTED
            after = self._decide(spans, span, wanted)
            claims_before, claims_after = self._flag_claims(
                session, span, coder, "changed" if changed else "", moved_to=after,
                linked=target_linked if span.id == target.id else None,
            )
            before, now = self._touch_document(session, span.document_id, coder)
        return SpanChange(
            span.document_id, span, after, claims_before, claims_after, before, now, displaced
        )

    def _displace(
        self, spans: SpanRepository, coder: str, document_id: DocumentId, start: int, end: int,
        ignore: SpanId | None, view: list[EntitySpan] | None = None,
    ) -> tuple[SpanChange, ...]:
        """Refuse to overlap a decided entity; reject the pending suggestions in the way.

        Drawing over a suggestion is how a researcher corrects its boundaries, so the
        suggestion gives way (rejected, so a re-run does not bring it back).
        """
        if view is None:
            view = spans.for_document(document_id, coder)
        live = [s for s in _live(view) if s.id != ignore]
        check_no_overlap([s for s in live if s.is_decided], start, end)
        changes = []
        for other in live:
            if not other.is_decided and find_overlap([other], start, end) is not None:
                after = self._decide(
                    spans, other, replace(other, status=SpanStatus.REJECTED, annotator=coder)
                )
                changes.append(SpanChange(document_id, other, after))
        return tuple(changes)

    @staticmethod
    def _decide(spans: SpanRepository, span: EntitySpan, wanted: EntitySpan) -> EntitySpan:
        """Write a coder's decision: their own entity changes in place; a shared suggestion
        stays as it is for the others and the coder gets their own copy."""
        if is_shared(span):
            return spans.add(replace(wanted, id=None, created_at=None, updated_at=None))
        return spans.update(wanted)

    @staticmethod
    def _handle(span: EntitySpan, coder: str, view: list[EntitySpan]) -> EntitySpan:
        """The entity an edit of ``span`` changes for ``coder``: their own; for a shared
        suggestion they have decided already, their decision on it (``view``, the coder's
        view of the document, shows that in its place); another coder's entity is refused."""
        if is_shared(span):
            own = [
                s for s in view
                if s.annotator == coder and s.start < span.end and span.start < s.end
            ]
            if own:
                return max(own, key=lambda s: min(s.end, span.end) - max(s.start, span.start))
            return span
        if span.annotator != coder:
            raise LayerError(
                f"{span.text!r} is in {span.annotator}'s coding, not {coder}'s: it cannot be changed here"
            )
        return span

    def _coder(self, session: Session) -> str:
        return writing_coder(session, self.coder)[0]

    @staticmethod
    def _documents(session: Session, coder: str) -> DocumentRepository:
        return DocumentRepository(session, writing_coder(session, coder)[1])

    @staticmethod
    def _flag_claims(
        session: Session, span: EntitySpan, coder: str, what: str,
        moved_to: EntitySpan | None = None, linked: bool | None = None,
    ) -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
        """Flag the coder's claims that point at ``span`` for review (``what`` happened to it;
        empty: nothing to check); a deleted entity leaves its text. When a decision gave the
        coder their own copy of a shared suggestion, their claims follow it to ``moved_to``."""
        repo = ClaimRepository(session)
        assert span.id is not None
        moved = moved_to is not None and moved_to.id != span.id
        if (not what and not moved) or linked is False:  # linked: whether any claim links it
            return (), ()
        before, after = [], []
        for claim_id in repo.referring_to(span.id):
            claim = repo.get(claim_id)
            if claim.annotator != coder:
                continue  # another coder's claim keeps its own link
            values = dict(claim.values)
            names = []
            for name, value in claim.values.items():
                if isinstance(value, EntityRef) and value.span_id == span.id:
                    names.append(name)
                    if what == "deleted":
                        values[name] = EntityRef(None, value.text)
                    elif moved:
                        assert moved_to is not None
                        values[name] = EntityRef(moved_to.id, moved_to.text)
            wanted = replace(claim, values=values)
            if what:
                note = f"the entity {span.text!r} ({', '.join(names)}) was {what}: check the coding"
                wanted = replace(wanted, needs_review=True, review_note=note)
            before.append(claim)
            after.append(repo.update(wanted, touch=bool(what)))
        return tuple(before), tuple(after)

    def _touch_document(
        self, session: Session, document_id: DocumentId, coder: str
    ) -> tuple[DocumentStatus | None, DocumentStatus | None]:
        """The coder's first decision on a new document moves it to 'in progress' for them."""
        if self._documents(session, coder).start_work(document_id):
            return DocumentStatus.NEW, DocumentStatus.IN_PROGRESS
        return None, None
