"""Read-only aggregate queries for exports and summaries (counts by document, label, coder)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderRow,
    DocumentRow,
    EntitySpanRow,
    LabelRow,
)


class DocumentRecord(NamedTuple):
    id: int
    title: str
    source: str | None
    author: str | None
    url: str | None
    published: date | None
    section: str | None
    status: str
    word_count: int
    imported_at: datetime
    original_filename: str | None
    text: str | None


class ReportQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def documents(
        self, status: DocumentStatus | None = None, with_text: bool = False, batch: int = 1000
    ) -> Iterator[DocumentRecord]:
        text_column = DocumentRow.text if with_text else DocumentRow.id.label("no_text")
        query = select(
            DocumentRow.id, DocumentRow.title, DocumentRow.source, DocumentRow.author,
            DocumentRow.url, DocumentRow.published, DocumentRow.section, DocumentRow.status,
            DocumentRow.word_count, DocumentRow.imported_at, DocumentRow.original_filename, text_column,
        ).order_by(DocumentRow.id)
        if status is not None:
            query = query.where(DocumentRow.status == status.value)
        for row in self.session.execute(query.execution_options(yield_per=batch)):
            values = list(row)
            if not with_text:
                values[-1] = None
            yield DocumentRecord(*values)

    def entity_rows(
        self, statuses: Sequence[SpanStatus], linked: bool = False, batch: int = 5000
    ) -> Iterator[tuple]:  # type: ignore[type-arg]
        """Plain tuples, document and offset order: (document_id, id, start, end, text, label,
        status, origin, annotator, model_name, model_version, updated_at), of the given
        statuses, plus (``linked``) any entity a claim links to. The export's hot path, so no
        domain objects are built."""
        wanted = EntitySpanRow.status.in_([s.value for s in statuses])
        if linked:
            wanted = wanted | EntitySpanRow.id.in_(
                select(ClaimValueRow.entity_span_id).where(ClaimValueRow.entity_span_id.is_not(None))
            )
        query = (
            select(
                EntitySpanRow.document_id, EntitySpanRow.id, EntitySpanRow.start, EntitySpanRow.end,
                EntitySpanRow.text, LabelRow.name, EntitySpanRow.status, EntitySpanRow.origin,
                CoderRow.name, EntitySpanRow.model_name, EntitySpanRow.model_version,
                EntitySpanRow.updated_at,
            )
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .join(CoderRow, CoderRow.id == EntitySpanRow.coder_id, isouter=True)
            .where(wanted)
            .order_by(EntitySpanRow.document_id, EntitySpanRow.start)
        )
        connection = self.session.connection()
        yield from connection.execute(query.execution_options(yield_per=batch))

    def claim_completeness(self) -> dict[tuple[int, bool], int]:
        """(document id, complete?) -> claims (the rule of domain.codebook.is_complete)."""
        return claim_completeness(self.session)

    def texts_from(self, first_id: int, count: int) -> dict[int, str]:
        """Texts of the documents with ids in [first_id, first_id + count): one query per page."""
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.text).where(
                DocumentRow.id >= first_id, DocumentRow.id < first_id + count
            )
        )
        return dict(rows.all())

    def document_ids(self, status: DocumentStatus | None = None) -> set[int]:
        query = select(DocumentRow.id)
        if status is not None:
            query = query.where(DocumentRow.status == status.value)
        return set(self.session.scalars(query))

    def span_counts(self) -> dict[tuple[int, str], int]:
        """(document id, status) -> entities."""
        rows = self.session.execute(
            select(EntitySpanRow.document_id, EntitySpanRow.status, func.count()).group_by(
                EntitySpanRow.document_id, EntitySpanRow.status
            )
        )
        return {(d, s): n for d, s, n in rows}

    def label_counts(self, statuses: Sequence[SpanStatus]) -> dict[tuple[int, str], int]:
        """(document id, label) -> entities of the given statuses."""
        rows = self.session.execute(
            select(EntitySpanRow.document_id, LabelRow.name, func.count())
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .where(EntitySpanRow.status.in_([s.value for s in statuses]))
            .group_by(EntitySpanRow.document_id, LabelRow.name)
        )
        return {(d, label): n for d, label, n in rows}

    def label_status_counts(self) -> list[tuple[str, str, int]]:
        rows = self.session.execute(
            select(LabelRow.name, EntitySpanRow.status, func.count())
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .group_by(LabelRow.name, EntitySpanRow.status)
            .order_by(LabelRow.position, EntitySpanRow.status)
        )
        return [(label, status, n) for label, status, n in rows]

    def titles(self) -> dict[int, str]:
        return dict(self.session.execute(select(DocumentRow.id, DocumentRow.title)).all())

    def coder_activity(self) -> list[tuple[str, str, int]]:
        """(coder, what, count): entities decided by status, and claims coded."""
        spans = self.session.execute(
            select(CoderRow.name, EntitySpanRow.status, func.count())
            .select_from(EntitySpanRow)
            .join(CoderRow, CoderRow.id == EntitySpanRow.coder_id)
            .group_by(CoderRow.name, EntitySpanRow.status)
            .order_by(CoderRow.name)
        )
        result = [(name, f"entities {status}", n) for name, status, n in spans]
        claims = self.session.execute(
            select(CoderRow.name, func.count())
            .select_from(ClaimRow)
            .join(CoderRow, CoderRow.id == ClaimRow.coder_id)
            .group_by(CoderRow.name)
            .order_by(CoderRow.name)
        )
        result.extend((name, "claims coded", n) for name, n in claims)
        return sorted(result)


def claim_complete_expression():  # type: ignore[no-untyped-def]
    """SQL truth of "this claim is complete": every required variable has a value and the
    claim is not flagged for review (domain.codebook.is_complete, computed in the database)."""
    required = select(func.count(ClaimFieldRow.id)).where(ClaimFieldRow.required).scalar_subquery()
    present = (
        select(func.count(ClaimValueRow.id))
        .join(ClaimFieldRow, ClaimFieldRow.id == ClaimValueRow.field_id)
        .where(
            ClaimValueRow.claim_id == ClaimRow.id,
            ClaimFieldRow.required,
            (ClaimValueRow.value.is_not(None) & (func.json_type(ClaimValueRow.value) != "null"))
            | ClaimValueRow.entity_span_id.is_not(None)
            | (func.coalesce(ClaimValueRow.entity_text, "") != ""),
        )
        .scalar_subquery()
    )
    return (present == required) & ~ClaimRow.needs_review


def claim_completeness(
    session: Session, document_ids: Sequence[int] | None = None, coder_id: int | None = None
) -> dict[tuple[int, bool], int]:
    complete = claim_complete_expression()
    query = select(ClaimRow.document_id, complete, func.count()).group_by(ClaimRow.document_id, complete)
    if coder_id is not None:
        query = query.where(ClaimRow.coder_id == coder_id)
    if document_ids is not None:
        query = query.where(ClaimRow.document_id.in_(list(document_ids)))
    return {(d, bool(c)): n for d, c, n in session.execute(query)}
