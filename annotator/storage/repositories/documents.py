from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from annotator.domain.document_details import DocumentDetails
from annotator.domain.errors import NotFoundError
from annotator.domain.ids import CoderId, DocumentId
from annotator.domain.model import (
    Document,
    DocumentStatus,
    DocumentSummary,
    NewDocument,
    text_sha256,
    word_count,
)
from annotator.domain.ordering import DocumentOrder
from annotator.storage.dialect import text_position
from annotator.storage.orm import ClaimRow, DocumentRow, EntitySpanRow, ModelRunRow
from annotator.storage.repositories.coder_documents import (
    CoderDocumentRepository,
    assigned_scope,
    status_of,
)
from annotator.storage.repositories.reports import claim_completeness
from annotator.storage.search import PG_DOCUMENT_VECTOR, ensure_search_index, fts_query, tsquery

_DOCUMENTS = DocumentRow.__table__  # Core: the plain-row path (an edit reads the text)
_TEXT_OF = select(_DOCUMENTS.c.text).where(_DOCUMENTS.c.id == bindparam("document_id"))


def _to_domain(row: DocumentRow, status: str) -> Document:
    return Document(
        id=DocumentId(row.id),
        title=row.title,
        text=row.text,
        sha256=row.sha256,
        status=DocumentStatus(status),
        source=row.source,
        author=row.author,
        url=row.url,
        published=row.published,
        imported_at=row.imported_at,
        original_filename=row.original_filename,
        metadata=dict(row.metadata_json or {}),
        section=row.section,
    )


class DocumentRepository:
    """Documents as one coder sees them: their status, and (once the project assigns work)
    only their documents. Without a coder: every document, with the team's status."""

    def __init__(
        self, session: Session, coder_id: CoderId | None = None, order: DocumentOrder = DocumentOrder.IMPORTED
    ) -> None:
        self.session = session
        self.coder_id = coder_id
        self.order = order  # of lists, pages, rows and "next unfinished"
        self._status = status_of(coder_id)
        self._scope = assigned_scope(coder_id)

    def add(self, new: NewDocument) -> DocumentId:
        result = self.session.execute(
            insert(DocumentRow).values(
                title=new.title,
                text=new.text,
                sha256=text_sha256(new.text),
                status=DocumentStatus.NEW.value,
                source=new.source,
                author=new.author,
                url=new.url,
                published=new.published,
                imported_at=datetime.now(UTC).replace(tzinfo=None),
                original_filename=new.original_filename,
                word_count=word_count(new.text),
                metadata_json=dict(new.metadata),
                section=new.section,
            )
        )
        return DocumentId(result.inserted_primary_key[0])  # type: ignore[index]

    def get(self, document_id: DocumentId) -> Document:
        found = self.session.execute(
            select(DocumentRow, self._status).where(DocumentRow.id == document_id)
        ).first()
        if found is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return _to_domain(found[0], found[1])

    def text_of(self, document_id: DocumentId) -> str:
        """The document's stored text alone (what an edit checks its offsets against)."""
        found = self.session.scalar(_TEXT_OF, {"document_id": document_id})
        if found is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return str(found)

    def texts(self, document_ids: Sequence[DocumentId]) -> dict[DocumentId, str]:
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(document_ids))
        )
        return {DocumentId(i): t for i, t in rows}

    def set_status(self, document_id: DocumentId, status: DocumentStatus) -> DocumentStatus:
        """Set the coder's status and return the previous one."""
        return CoderDocumentRepository(self.session).set_status(
            document_id, self._writer(), status
        )

    def details(self, document_ids: Sequence[DocumentId]) -> dict[DocumentId, DocumentDetails]:
        rows = self.session.execute(
            select(*_DETAIL_COLUMNS, DocumentRow.id).where(DocumentRow.id.in_(list(document_ids)))
        )
        return {
            DocumentId(row.id): DocumentDetails(**{c.key: getattr(row, c.key) for c in _DETAIL_COLUMNS})
            for row in rows
        }

    def set_details(self, document_id: DocumentId, details: DocumentDetails) -> None:
        values = {c.key: details.get(c.key) for c in _DETAIL_COLUMNS}
        result = self.session.execute(
            update(DocumentRow).where(DocumentRow.id == document_id).values(**values)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFoundError(f"document {document_id} does not exist any more")

    def distinct_values(self, field: str, limit: int = 500) -> list[str]:
        """The values a detail (outlet, author, section) already has, most used first."""
        column = getattr(DocumentRow, field)
        rows = self.session.execute(
            select(column, func.count())
            .where(column.is_not(None), column != "")
            .group_by(column)
            .order_by(func.count().desc(), column)
            .limit(limit)
        )
        return [value for value, _n in rows]

    def start_work(self, document_id: DocumentId) -> bool:
        """Move a new document to 'in progress' (the first decision on it); True if it moved."""
        return CoderDocumentRepository(self.session).start_work(document_id, self._writer())

    def _writer(self) -> CoderId:
        if self.coder_id is None or self.coder_id < 0:
            raise ValueError("a document's status belongs to a coder: name one")
        return self.coder_id

    def containing(self, needle: str) -> dict[DocumentId, str]:
        """The texts of the documents in which ``needle`` stands, in one query."""
        query = select(DocumentRow.id, DocumentRow.text).where(text_position(DocumentRow.text, needle) > 0)
        if self._scope is not None:
            query = query.where(self._scope)  # a coder's documents only, once work is assigned
        rows = self.session.execute(query.order_by(DocumentRow.id))
        return {DocumentId(i): t for i, t in rows}

    def ids(self, text_filter: str = "", status: DocumentStatus | None = None) -> list[DocumentId]:
        self._prepare(text_filter)
        query = self._ordered(self._filtered(select(DocumentRow.id), text_filter, status))
        return [DocumentId(i) for i in self.session.scalars(query)]

    def count(self, text_filter: str = "", status: DocumentStatus | None = None) -> int:
        self._prepare(text_filter)
        query = self._filtered(select(func.count(DocumentRow.id)), text_filter, status)
        return int(self.session.scalar(query) or 0)

    def counts_by_status(self) -> dict[str, int]:
        status = self._status.label("status")
        query = select(status, func.count()).group_by(status)
        if self._scope is not None:
            query = query.where(self._scope)
        rows = self.session.execute(query.select_from(DocumentRow))
        counts = {status.value: 0 for status in DocumentStatus}
        counts.update({status: n for status, n in rows})
        return counts

    def summaries(
        self,
        text_filter: str = "",
        status: DocumentStatus | None = None,
        offset: int = 0,
        limit: int | None = None,
        only: Sequence[DocumentId] | None = None,
    ) -> list[DocumentSummary]:
        """A page of the document list, in the repository's order, with its entity and claim
        counts and the model's uncertainty."""
        self._prepare(text_filter)
        page = self._ordered(self._filtered(
            select(DocumentRow.id, DocumentRow.title, self._status.label("status"),
                   DocumentRow.in_sample, ModelRunRow.uncertainty)
            .outerjoin(ModelRunRow, ModelRunRow.document_id == DocumentRow.id),
            text_filter, status,
        )).offset(offset)
        if only is not None:
            page = page.where(DocumentRow.id.in_(list(only)))
        if limit is not None:
            page = page.limit(limit)
        rows = self.session.execute(page).all()
        if not rows:
            return []
        ids = [r.id for r in rows]
        span_counts = self.session.execute(
            select(EntitySpanRow.document_id, EntitySpanRow.status, func.count())
            .where(EntitySpanRow.document_id.in_(ids), self._visible_span())
            .group_by(EntitySpanRow.document_id, EntitySpanRow.status)
        ).all()
        counts: dict[tuple[int, str], int] = {(d, s): n for d, s, n in span_counts}
        claim_counts = claim_completeness(self.session, ids, self.coder_id)
        own_claims = [] if self.coder_id is None else [ClaimRow.coder_id == self.coder_id]
        flagged: dict[int, int] = dict(  # type: ignore[arg-type]
            self.session.execute(
                select(ClaimRow.document_id, func.count())
                .where(ClaimRow.document_id.in_(ids), ClaimRow.needs_review.is_(True), *own_claims)
                .group_by(ClaimRow.document_id)
            ).all()
        )
        return [
            DocumentSummary(
                id=DocumentId(r.id),
                title=r.title,
                status=DocumentStatus(r.status),
                suggested=counts.get((r.id, "suggested"), 0),
                accepted=counts.get((r.id, "accepted"), 0),
                claims=claim_counts.get((r.id, True), 0) + claim_counts.get((r.id, False), 0),
                incomplete_claims=claim_counts.get((r.id, False), 0),
                review_claims=flagged.get(r.id, 0),
                in_sample=bool(r.in_sample),
                uncertainty=r.uncertainty,
            )
            for r in rows
        ]

    def _visible_span(self):  # type: ignore[no-untyped-def]
        """SQL for "in this coder's view" (domain.layers.layer_view), correlated to the span."""
        if self.coder_id is None:
            return EntitySpanRow.id.is_not(None)
        own = aliased(EntitySpanRow)
        covered = exists().where(
            own.document_id == EntitySpanRow.document_id, own.coder_id == self.coder_id,
            own.start < EntitySpanRow.end, own.end > EntitySpanRow.start,
        )
        return or_(
            EntitySpanRow.coder_id == self.coder_id,
            and_(EntitySpanRow.coder_id.is_(None), ~covered),
        )

    def row_of(
        self, document_id: DocumentId, text_filter: str = "", status: DocumentStatus | None = None
    ) -> int | None:
        self._prepare(text_filter)
        exists = self._filtered(
            select(func.count(DocumentRow.id)).where(DocumentRow.id == document_id), text_filter, status
        )
        if not self.session.scalar(exists):
            return None
        if self.order is not DocumentOrder.IMPORTED:
            return self.ids(text_filter, status).index(document_id)
        before = self._filtered(
            select(func.count(DocumentRow.id)).where(DocumentRow.id < document_id), text_filter, status
        )
        return int(self.session.scalar(before) or 0)

    def next_unfinished(self, after: DocumentId) -> DocumentId | None:
        """The next document that is not done, wrapping round to the start."""
        not_done = self._status != DocumentStatus.DONE.value
        scope = [] if self._scope is None else [self._scope]
        if self.order is not DocumentOrder.IMPORTED:
            rows = self.session.execute(self._ordered(select(DocumentRow.id, not_done).where(*scope))).all()
            at = next((i for i, (document_id, _open) in enumerate(rows) if document_id == after), -1)
            for document_id, still_open in rows[at + 1:] + rows[:max(at, 0)]:
                if still_open:
                    return DocumentId(document_id)
            return None
        for condition in (DocumentRow.id > after, DocumentRow.id < after):
            found = self.session.scalar(
                select(DocumentRow.id).where(not_done, condition, *scope)
                .order_by(DocumentRow.id).limit(1)
            )
            if found is not None:
                return DocumentId(found)
        return None

    def _ordered(self, query: Select) -> Select:  # type: ignore[type-arg]
        if self.order is DocumentOrder.UNCERTAIN:
            score = _uncertainty()
            return query.order_by(score.is_(None), score.desc(), DocumentRow.id)
        return query.order_by(DocumentRow.id)

    def _prepare(self, text_filter: str) -> None:
        if text_filter.strip():
            ensure_search_index(self.session)

    def _filtered(self, query: Select, text_filter: str, status: DocumentStatus | None) -> Select:  # type: ignore[type-arg]
        if self._scope is not None:
            query = query.where(self._scope)
        if status is not None:
            query = query.where(self._status == status.value)
        if text_filter.strip():
            like = f"%{_escape_like(text_filter.strip())}%"
            query = query.where(
                or_(
                    DocumentRow.title.ilike(like, escape="\\"),
                    DocumentRow.original_filename.ilike(like, escape="\\"),
                    self._text_match(text_filter),
                )
            )
        return query

    def _text_match(self, text_filter: str) -> ColumnElement[bool]:
        if self.session.get_bind().dialect.name == "postgresql":
            return text(f"{PG_DOCUMENT_VECTOR} @@ to_tsquery('simple', :tsq)").bindparams(
                tsq=tsquery(text_filter)
            )
        return DocumentRow.id.in_(
            select(literal_column("rowid"))
            .select_from(text("documents_fts"))
            .where(text("documents_fts MATCH :fts").bindparams(fts=fts_query(text_filter)))
        )


_DETAIL_COLUMNS = (
    DocumentRow.title, DocumentRow.source, DocumentRow.author, DocumentRow.published,
    DocumentRow.section, DocumentRow.url,
)


def _uncertainty():  # type: ignore[no-untyped-def]
    """The document's uncertainty score as a correlated subquery (NULL: not scored)."""
    return (
        select(ModelRunRow.uncertainty).where(ModelRunRow.document_id == DocumentRow.id)
        .correlate(DocumentRow).scalar_subquery()
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
