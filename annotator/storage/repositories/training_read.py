"""Reads for training from corrections (issue 15): who finished which document, in bulk."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.storage.orm import CoderDocumentRow, CoderRow, EntitySpanRow


class TrainingReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def statuses(self) -> dict[DocumentId, dict[str, DocumentStatus]]:
        """document -> {coder name: status} for every coder (and the final layer) with a row."""
        rows = self.session.execute(
            select(CoderDocumentRow.document_id, CoderRow.name, CoderDocumentRow.status)
            .join(CoderRow, CoderRow.id == CoderDocumentRow.coder_id)
        )
        result: dict[DocumentId, dict[str, DocumentStatus]] = {}
        for document_id, name, status in rows:
            result.setdefault(DocumentId(document_id), {})[name] = DocumentStatus(status)
        return result

    def documents_with_entities_of(self, coder: str) -> set[DocumentId]:
        """Documents where ``coder`` has any own entity (the final layer has them once adjudicated)."""
        rows = self.session.scalars(
            select(EntitySpanRow.document_id).distinct()
            .join(CoderRow, CoderRow.id == EntitySpanRow.coder_id)
            .where(CoderRow.name == coder, EntitySpanRow.status == SpanStatus.ACCEPTED.value)
        )
        return {DocumentId(i) for i in rows}
