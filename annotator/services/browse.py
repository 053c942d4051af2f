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
    def __init__(self, project: Project) -> None:
        self.project = project

    def count(self, text_filter: str = "", status: DocumentStatus | None = None) -> int:
        with self.project.read_session() as session:
            return DocumentRepository(session).count(text_filter, status)

    def page(
        self,
        text_filter: str = "",
        status: DocumentStatus | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[DocumentSummary]:
        with self.project.read_session() as session:
            return DocumentRepository(session).summaries(text_filter, status, offset, limit)

    def summary(self, document_id: DocumentId) -> DocumentSummary | None:
        with self.project.read_session() as session:
            found = DocumentRepository(session).summaries(only=[document_id])
        return found[0] if found else None

    def bundle(self, document_id: DocumentId) -> DocumentBundle:
        with self.project.read_session() as session:
            return DocumentBundle(
                document=DocumentRepository(session).get(document_id),
                spans=tuple(SpanRepository(session).for_document(document_id)),
                claims=tuple(ClaimRepository(session).for_document(document_id)),
            )

    def spans(self, document_id: DocumentId) -> list[EntitySpan]:
        with self.project.read_session() as session:
            return SpanRepository(session).for_document(document_id)

    def codebook(self) -> Codebook:
        return self.project.codebook()

    def first_document(self) -> DocumentId | None:
        with self.project.read_session() as session:
            ids = DocumentRepository(session).ids()
        return ids[0] if ids else None

    def next_unfinished(self, after: DocumentId) -> DocumentId | None:
        with self.project.read_session() as session:
            return DocumentRepository(session).next_unfinished(after)

    def row_of(
        self, document_id: DocumentId, text_filter: str = "", status: DocumentStatus | None = None
    ) -> int | None:
        """The row of a document in the (filtered) list, or None if it is not in it."""
        with self.project.read_session() as session:
            return DocumentRepository(session).row_of(document_id, text_filter, status)
