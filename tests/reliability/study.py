"""Building small coded studies for the agreement tests: coders, their entities and claims."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)


def add_document(project: Project, text: str, title: str = "t") -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=text, title=title))


def set_status(project: Project, document: DocumentId, coder: str, status: DocumentStatus) -> None:
    with project.session() as session:
        coder_id = CoderRepository(session).id_for(coder)
        CoderDocumentRepository(session).set_status(document, coder_id, status)


def add_entities(
    project: Project, document: DocumentId, coder: str | None,
    entities: Sequence[tuple[int, int, str]], status: SpanStatus = SpanStatus.ACCEPTED,
) -> dict[tuple[int, int], int]:
    """Entities of ``coder`` (None: shared model suggestions); returns (start, end) -> id."""
    ids = {}
    with project.session() as session:
        text = DocumentRepository(session).get(document).text
        spans = SpanRepository(session)
        for start, end, label in entities:
            span = spans.add(EntitySpan(
                document, start, end, text[start:end], label,
                origin=SpanOrigin.MODEL if coder is None else SpanOrigin.MANUAL,
                status=SpanStatus.SUGGESTED if coder is None else status, annotator=coder,
            ))
            ids[(start, end)] = span.id
    return ids


def add_claim(
    project: Project, document: DocumentId, coder: str, start: int, end: int,
    values: Mapping[str, object] | None = None,
) -> None:
    with project.session() as session:
        text = DocumentRepository(session).get(document).text
        ClaimRepository(session).add(Claim(
            document, start, end, text[start:end], values=dict(values or {}), annotator=coder,
        ))


def link(span_id: int | None, text: str) -> EntityRef:
    return EntityRef(span_id, text)  # type: ignore[arg-type]
