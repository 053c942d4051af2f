"""Read-only aggregate queries for exports and summaries (counts by document, label, coder)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, exists, func, literal, select, true
from sqlalchemy.orm import Session

from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.storage.dialect import json_kind
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderDocumentRow,
    CoderRow,
    DocumentRow,
    EntitySpanRow,
    LabelRow,
)
from annotator.storage.repositories.coder_documents import status_of


class DocumentRecord(NamedTuple):
    id: int
    title: str
    source: str | None
    author: str | None
    url: str | None
    published: date | None
    section: str | None
    word_count: int
    imported_at: datetime
    original_filename: str | None
    text: str | None
    in_sample: bool
    statuses: tuple[str | None, ...]  # one per coder asked for (see ``documents``)


class ExportScope(NamedTuple):
    """Which documents and whose statuses an export reads.

    ``coder_id``: one coder's layer (their documents once the project assigns work, and
    their status), or None for every coder's. ``status_coders``: whose status each status
    column shows (None: the team's). ``any_assigned``: the project assigns documents, so one
    coder's documents are theirs only, and in a column per coder a document that is not a
    coder's has no status of theirs (blank) rather than "new".
    """

    status: DocumentStatus | None = None
    coder_id: int | None = None
    status_coders: tuple[int | None, ...] = (None,)
    any_assigned: bool = False


class ReportQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def documents(
        self, scope: ExportScope = ExportScope(), with_text: bool = False, batch: int = 1000
    ) -> Iterator[DocumentRecord]:
        text_column = DocumentRow.text if with_text else DocumentRow.id.label("no_text")
        blank = scope.any_assigned and len(scope.status_coders) > 1
        statuses = [
            self._status_column(coder_id, blank).label(f"status_{n}")
            for n, coder_id in enumerate(scope.status_coders)
        ]
        query = select(
            DocumentRow.id, DocumentRow.title, DocumentRow.source, DocumentRow.author,
            DocumentRow.url, DocumentRow.published, DocumentRow.section,
            DocumentRow.word_count, DocumentRow.imported_at, DocumentRow.original_filename, text_column,
            DocumentRow.in_sample, *statuses,
        ).where(self._document_filter(scope)).order_by(DocumentRow.id)
        width = 12  # the columns before the statuses: text is the 11th, in_sample the 12th
        for row in self.session.execute(query.execution_options(yield_per=batch)):
            values = list(row[:width])
            if not with_text:
                values[-2] = None
            values[-1] = bool(values[-1])
            yield DocumentRecord(*values, tuple(row[width:]))

    @staticmethod
    def _status_column(coder_id: int | None, blank: bool) -> ColumnElement[str | None]:
        """A coder's status of the document (None: the team's). Without a row it is "new",
        or (``blank``: a column per coder in a project that assigns work) empty: the
        document is not theirs."""
        if coder_id is None or not blank:
            return status_of(coder_id)  # type: ignore[arg-type]
        return (
            select(CoderDocumentRow.status)
            .where(CoderDocumentRow.document_id == DocumentRow.id, CoderDocumentRow.coder_id == coder_id)
            .scalar_subquery()
        )

    @staticmethod
    def _document_filter(scope: ExportScope) -> ColumnElement[bool]:
        where: ColumnElement[bool] = true()
        if scope.coder_id is not None and scope.any_assigned:
            # the coder's documents: assigned to them, or ones they have worked on
            where = exists().where(
                CoderDocumentRow.document_id == DocumentRow.id,
                CoderDocumentRow.coder_id == scope.coder_id,
            )
        if scope.status is not None:
            where = where & (status_of(scope.coder_id) == scope.status.value)  # type: ignore[arg-type]
        return where

    def entity_rows(
        self, statuses: Sequence[SpanStatus], linked: bool = False, batch: int = 5000,
        layered: bool = False, coder_id: int | None = None,
    ) -> Iterator[tuple]:  # type: ignore[type-arg]
        """Plain tuples, document and offset order: (document_id, id, start, end, text, label,
        status, origin, annotator, model_name, model_version, updated_at), of the given
        statuses, plus (``linked``) any entity a claim links to. The export's hot path, so no
        domain objects are built.

        ``layered``: for sorting entities into coders' layers; each tuple ends with
        (coder id, wanted), and the rows also hold every coder's own entities, wanted or not
        (a coder's rejection hides a suggestion from them). With ``coder_id`` only that
        coder's entities and the shared ones are read, and only their claims' links count.
        """
        wanted = EntitySpanRow.status.in_([s.value for s in statuses])
        if linked:
            links = select(ClaimValueRow.entity_span_id).where(ClaimValueRow.entity_span_id.is_not(None))
            if coder_id is not None:
                links = links.join(ClaimRow, ClaimRow.id == ClaimValueRow.claim_id).where(
                    ClaimRow.coder_id == coder_id
                )
            wanted = wanted | EntitySpanRow.id.in_(links)
        columns = [
            EntitySpanRow.document_id, EntitySpanRow.id, EntitySpanRow.start, EntitySpanRow.end,
            EntitySpanRow.text, LabelRow.name, EntitySpanRow.status, EntitySpanRow.origin,
            CoderRow.name, EntitySpanRow.model_name, EntitySpanRow.model_version,
            EntitySpanRow.updated_at,
        ]
        where = wanted
        if layered:
            columns += [EntitySpanRow.coder_id, wanted.label("wanted")]
            shared = EntitySpanRow.coder_id.is_(None)
            if coder_id is None:
                where = wanted | ~shared
            else:
                where = (EntitySpanRow.coder_id == coder_id) | (shared & wanted)
        query = (
            select(*columns)
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .join(CoderRow, CoderRow.id == EntitySpanRow.coder_id, isouter=True)
            .where(where)
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

    def document_ids(self, scope: ExportScope = ExportScope()) -> set[int]:
        return set(self.session.scalars(select(DocumentRow.id).where(self._document_filter(scope))))

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
            .group_by(LabelRow.name, LabelRow.position, EntitySpanRow.status)
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

    # -- coders' layers (exports) ------------------------------------------------------------
    def layer_spans(self, coder_id: int | None = None, batch: int = 5000) -> Iterator[tuple]:  # type: ignore[type-arg]
        """(document_id, start, end, coder id, status, label) of every entity (with
        ``coder_id``: that coder's and the shared ones), document and offset order: what
        sorting into layers and counting needs, nothing more."""
        query = (
            select(
                EntitySpanRow.document_id, EntitySpanRow.start, EntitySpanRow.end,
                EntitySpanRow.coder_id, EntitySpanRow.status, LabelRow.name,
            )
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .order_by(EntitySpanRow.document_id, EntitySpanRow.start)
        )
        if coder_id is not None:
            query = query.where(
                (EntitySpanRow.coder_id == coder_id) | EntitySpanRow.coder_id.is_(None)
            )
        yield from self.session.connection().execute(query.execution_options(yield_per=batch))

    def working_coders(self) -> list[tuple[int, str]]:
        """(id, name) of the coders whose layers an export shows, in the order they came:
        every coder, and a PI only once they have documents or work of their own."""
        has_work = (
            exists().where(CoderDocumentRow.coder_id == CoderRow.id)
            | exists().where(EntitySpanRow.coder_id == CoderRow.id)
            | exists().where(ClaimRow.coder_id == CoderRow.id)
        )
        rows = self.session.execute(
            select(CoderRow.id, CoderRow.name)
            .where((CoderRow.role != literal("pi")) | has_work)
            .order_by(CoderRow.id)
        )
        return [(i, name) for i, name in rows]

    def assigned_names(self) -> dict[int, str]:
        """document id -> the names of the coders it is assigned to, comma-separated."""
        rows = self.session.execute(
            select(CoderDocumentRow.document_id, CoderRow.name)
            .join(CoderRow, CoderRow.id == CoderDocumentRow.coder_id)
            .where(CoderDocumentRow.assigned.is_(True))
            .order_by(CoderDocumentRow.document_id, CoderRow.id)
        )
        names: dict[int, list[str]] = {}
        for document_id, name in rows:
            names.setdefault(document_id, []).append(name)
        return {document_id: ", ".join(coders) for document_id, coders in names.items()}

    def documents_coded_by(self, coder_id: int) -> set[int]:
        """The documents in which the coder has entities or claims of their own (the
        documents the final layer of adjudication covers)."""
        spans = select(EntitySpanRow.document_id).where(EntitySpanRow.coder_id == coder_id)
        claims = select(ClaimRow.document_id).where(ClaimRow.coder_id == coder_id)
        return set(self.session.scalars(spans.union(claims)))

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
            (ClaimValueRow.value.is_not(None) & (json_kind(ClaimValueRow.value) != "null"))
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
