"""Coding claims: create, code, resize and delete them; every edit commits and can be undone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from annotator.domain.codebook import missing_required, normalize_value
from annotator.domain.errors import CodebookError, LayerError, NotFoundError
from annotator.domain.ids import ClaimId, DocumentId, SpanId
from annotator.domain.model import Claim, Codebook, DocumentStatus, EntityRef, FieldKind, SpanStatus
from annotator.domain.spans import selected_range
from annotator.services.done_check import DoneCheck, unfinished_claims
from annotator.services.layers import writing_coder
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    DocumentRepository,
    SpanRepository,
)

NO_CLAIM_TEXT = "select the text of the claim first"


def _variables(session: Session) -> Codebook:
    """The codebook's claim variables, all that coding a value checks against (labels and
    patterns are not read: each read is a round trip on a team server)."""
    return Codebook(fields=CodebookRepository(session).fields())


@dataclass(frozen=True)
class ClaimChange:
    """A claim before and after an edit (None where it did not / no longer exists), and the
    document's status when the edit changed it (the first claim of a new document)."""

    document_id: DocumentId
    before: Claim | None
    after: Claim | None
    status_before: DocumentStatus | None = None
    status_after: DocumentStatus | None = None

    def reversed(self) -> ClaimChange:
        """What undoing it does."""
        return ClaimChange(self.document_id, self.after, self.before, self.status_after, self.status_before)


class ClaimCoding:
    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.project = project
        self.coder = coder
        #: another coder whose claims are read (shown read-only); None: the coder's own
        self.viewing: str | None = None

    def codebook(self) -> Codebook:
        return self.project.codebook()

    def claims(self, document_id: DocumentId) -> list[Claim]:
        with self.project.read_session() as session:
            return ClaimRepository(session).for_document(document_id, self.viewing or self.coder)

    def missing(self, claim: Claim) -> list[str]:
        return missing_required(self.codebook(), claim)

    def unfinished(self, document_id: DocumentId) -> DoneCheck:
        """The document's claims that miss a required variable or are flagged for review."""
        return unfinished_claims(self.codebook(), self.claims(document_id))

    # -- edits ---------------------------------------------------------------------------
    def create(
        self,
        document_id: DocumentId,
        start: int,
        end: int,
        values: Mapping[str, object] | None = None,
        snap: bool = True,
    ) -> ClaimChange:
        """A new claim over [start, end); claims may overlap each other and entities."""
        with self.project.session() as session:
            coder, coder_id = writing_coder(session, self.coder)
            documents = DocumentRepository(session, coder_id)
            text = documents.text_of(document_id)
            start, end = selected_range(text, start, end, snap, NO_CLAIM_TEXT)
            claim = Claim(
                document_id=document_id, start=start, end=end, text=text[start:end],
                annotator=coder,
            )
            codebook = _variables(session)
            coded = {
                name: self._normalize(session, codebook, claim, name, value)
                for name, value in (values or {}).items()
            }
            claim = replace(claim, values={k: v for k, v in coded.items() if v is not None})
            stored = ClaimRepository(session).add(claim, fields=codebook.fields)
            if documents.start_work(document_id):  # work on it has begun
                return ClaimChange(document_id, None, stored, DocumentStatus.NEW, DocumentStatus.IN_PROGRESS)
        return ClaimChange(document_id, None, stored)

    def set_value(self, claim_id: ClaimId, name: str, value: object) -> ClaimChange:
        """Code one variable; None or an empty value clears it. Entity links take a span id."""

        def change(session, codebook, claim):  # type: ignore[no-untyped-def]
            values = dict(claim.values)
            normalized = self._normalize(session, codebook, claim, name, value)
            if normalized is None:
                values.pop(name, None)
            else:
                values[name] = normalized
            return replace(claim, values=values)

        return self._edit(claim_id, change)

    def set_span(self, claim_id: ClaimId, start: int, end: int, snap: bool = True) -> ClaimChange:
        def change(session, _codebook, claim):  # type: ignore[no-untyped-def]
            text = DocumentRepository(session).text_of(claim.document_id)
            s, e = selected_range(text, start, end, snap, NO_CLAIM_TEXT)
            return replace(claim, start=s, end=e, text=text[s:e])

        return self._edit(claim_id, change)

    def mark_reviewed(self, claim_id: ClaimId) -> ClaimChange:
        return self._edit(claim_id, lambda _s, _c, claim: replace(
            claim, needs_review=False, review_note=""
        ))

    def delete(self, claim_id: ClaimId) -> ClaimChange:
        with self.project.session() as session:
            repo = ClaimRepository(session)
            claim = repo.get(claim_id)
            self._check_own(claim, writing_coder(session, self.coder)[0])
            repo.delete(claim_id)
        return ClaimChange(claim.document_id, claim, None)

    # -- undo / redo ---------------------------------------------------------------------
    def revert(self, change: ClaimChange) -> None:
        self.reapply(change.reversed())

    def reapply(self, change: ClaimChange) -> None:
        self._put(change.before, change.after, change.status_after)

    def _put(self, current: Claim | None, target: Claim | None, status: DocumentStatus | None = None) -> None:
        with self.project.session() as session:
            claim = target or current
            if status is not None and claim is not None:
                coder_id = writing_coder(session, self.coder)[1]
                DocumentRepository(session, coder_id).set_status(claim.document_id, status)
            repo = ClaimRepository(session)
            if target is None:
                if current is not None and current.id is not None:
                    repo.delete(current.id)
            elif current is None:
                repo.add(self._without_dead_links(session, target))
            else:
                repo.update(self._without_dead_links(session, target), touch=False)

    # -- helpers -------------------------------------------------------------------------
    def _edit(self, claim_id: ClaimId, change) -> ClaimChange:  # type: ignore[no-untyped-def]
        with self.project.session() as session:
            repo = ClaimRepository(session)
            claim = repo.get(claim_id)
            coder = writing_coder(session, self.coder)[0]
            self._check_own(claim, coder)
            codebook = _variables(session)
            wanted = replace(change(session, codebook, claim), annotator=coder)
            after = repo.update(wanted, fields=codebook.fields)
        return ClaimChange(claim.document_id, claim, after)

    @staticmethod
    def _check_own(claim: Claim, coder: str) -> None:
        if claim.annotator is not None and claim.annotator != coder:
            raise LayerError(
                f"this claim is {claim.annotator}'s coding, not {coder}'s: it cannot be changed here"
            )

    @staticmethod
    def _normalize(session, codebook: Codebook, claim: Claim, name: str, value: object):  # type: ignore[no-untyped-def]
        field = codebook.field(name)
        if field is None:
            raise CodebookError(f"{name!r} is not a variable of this codebook")
        if field.kind is FieldKind.ENTITY and value is not None and not isinstance(value, EntityRef):
            span = SpanRepository(session).get(SpanId(int(value)))  # type: ignore[call-overload]
            if span.annotator is not None and span.annotator != claim.annotator:
                raise LayerError(f"{field.display_name}: {span.text!r} is {span.annotator}'s entity")
            if span.document_id != claim.document_id:
                raise CodebookError(f"{field.display_name}: the entity must be in the claim's document")
            if span.status is SpanStatus.REJECTED:
                raise CodebookError(f"{field.display_name}: {span.text!r} was rejected as an entity")
            if field.entity_labels and span.label not in field.entity_labels:
                allowed = ", ".join(field.entity_labels)
                raise CodebookError(
                    f"{field.display_name}: takes an entity labelled {allowed}, not {span.label}"
                )
            value = EntityRef(span.id, span.text)
        return normalize_value(field, value)

    @staticmethod
    def _without_dead_links(session, claim: Claim) -> Claim:  # type: ignore[no-untyped-def]
        """Undo may bring back a claim whose linked entity was deleted since: keep the text."""
        spans = SpanRepository(session)
        values = dict(claim.values)
        for name, value in claim.values.items():
            if isinstance(value, EntityRef) and value.span_id is not None:
                try:
                    spans.get(value.span_id)
                except NotFoundError:
                    values[name] = EntityRef(None, value.text)
        return replace(claim, values=values)
