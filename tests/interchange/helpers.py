"""Building a coded project and reading its layers back, for the interchange tests."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.model import EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.services.project import Project
from annotator.storage.layer_writer import LayerWriter
from annotator.storage.repositories import DocumentRepository, SpanRepository
from tests.conftest import SMALL_CODEBOOK

Layer = dict[str, list[tuple[int, int, str, str | None]]]


def coded_project(path: Path, documents: list[tuple[str, list[tuple[int, int, str]]]], coder: str) -> Project:
    project = Project(path, create=True, codebook=SMALL_CODEBOOK)
    with project.session() as session:
        writer = LayerWriter(session)
        writer.coder_id(coder)  # the coder exists even with no entities
        for text, spans in documents:
            document_id = DocumentRepository(session).add(NewDocument(text, title="t"))
            writer.add_entities(document_id, [
                EntitySpan(document_id, s, e, text[s:e], label, SpanOrigin.MANUAL,
                           SpanStatus.ACCEPTED, annotator=coder)
                for s, e, label in spans
            ])
    return project


def layers(project: Project) -> Layer:
    """text -> sorted (start, end, label, coder) of its accepted entities."""
    found: Layer = {}
    with project.read_session() as session:
        documents = DocumentRepository(session)
        for document_id in documents.ids():
            spans = SpanRepository(session).for_document(document_id)
            found[documents.get(document_id).text] = sorted(
                (s.start, s.end, s.label, s.annotator) for s in spans if s.status is SpanStatus.ACCEPTED
            )
    return found


def spans_of(project: Project) -> list[EntitySpan]:
    with project.read_session() as session:
        return [s for i in DocumentRepository(session).ids() for s in SpanRepository(session).for_document(i)]
