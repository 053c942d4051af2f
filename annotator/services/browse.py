"""Reading a project for display: document pages, one document with its spans, navigation."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    Codebook,
    Document,
    DocumentStatus,
    DocumentSummary,
    EntitySpan,
)
from annotator.domain.ordering import DocumentOrder
from annotator.services.layers import reading_coder
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    DocumentRepository,
    SpanRepository,
)


@dataclass(frozen=True)
class DocumentBundle:
    """Everything the article view shows for one document, read in one unit of work."""

    document: Document
    spans: tuple[EntitySpan, ...]
    claims: tuple[Claim, ...]


class Browser:
    """Reads one coder's layer (``coder``), or everyone's work with no coder.

    ``order`` is the order of the document list, which "next unfinished" follows too (the
    most uncertain first, when a coder chose it: issue 15.4)."""

    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.project = project
        self.coder = coder
        self.order = DocumentOrder.IMPORTED

    def _documents(self, session) -> DocumentRepository:  # type: ignore[no-untyped-def]
        return DocumentRepository(session, reading_coder(session, self.coder), self.order)

    def count(self, text_filter: str = "", status: DocumentStatus | None = None) -> int:
        with self.project.read_session() as session:
            return self._documents(session).count(text_filter, status)

    def page(
        self,
        text_filter: str = "",
        status: DocumentStatus | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[DocumentSummary]:
        with self.project.read_session() as session:
            return self._documents(session).summaries(text_filter, status, offset, limit)

    def summaries(self, document_ids: list[DocumentId]) -> list[DocumentSummary]:
        """The list rows of several documents in one unit of work (refreshing rows in batches)."""
        if not document_ids:
            return []
        with self.project.read_session() as session:
            return self._documents(session).summaries(only=document_ids)

    def summary(self, document_id: DocumentId) -> DocumentSummary | None:
        with self.project.read_session() as session:
            found = self._documents(session).summaries(only=[document_id])
        return found[0] if found else None

    def bundle(self, document_id: DocumentId) -> DocumentBundle:
        with self.project.read_session() as session:
            return DocumentBundle(
                document=self._documents(session).get(document_id),
                spans=tuple(SpanRepository(session).for_document(document_id, self.coder)),
                claims=tuple(ClaimRepository(session).for_document(document_id, self.coder)),
            )

    def spans(self, document_id: DocumentId) -> list[EntitySpan]:
        with self.project.read_session() as session:
            return SpanRepository(session).for_document(document_id, self.coder)

    def codebook(self) -> Codebook:
        return self.project.codebook()

    def first_document(self) -> DocumentId | None:
        with self.project.read_session() as session:
            ids = self._documents(session).ids()
        return ids[0] if ids else None

    def next_unfinished(self, after: DocumentId) -> DocumentId | None:
        with self.project.read_session() as session:
            return self._documents(session).next_unfinished(after)

    def row_of(
        self, document_id: DocumentId, text_filter: str = "", status: DocumentStatus | None = None
    ) -> int | None:
        """The row of a document in the (filtered) list, or None if it is not in it."""
        with self.project.read_session() as session:
            return self._documents(session).row_of(document_id, text_filter, status)
