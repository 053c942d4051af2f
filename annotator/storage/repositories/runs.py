from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.domain.ids import DocumentId
from annotator.storage.orm import DocumentRow, ModelRunRow


class ModelRunRepository:
    """Which pipeline configuration last pre-annotated each document."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def unprocessed(self, config_hash: str) -> list[DocumentId]:
        """Documents never run with this exact configuration, in id order."""
        done = select(ModelRunRow.document_id).where(ModelRunRow.config_hash == config_hash)
        ids = self.session.scalars(
            select(DocumentRow.id).where(DocumentRow.id.not_in(done)).order_by(DocumentRow.id)
        )
        return [DocumentId(i) for i in ids]

    def clear_uncertainty(self) -> int:
        """Forget every document's uncertainty score (the model changed: scores of the old one
        would mislead the ordering). Returns how many were cleared."""
        result = self.session.execute(
            update(ModelRunRow).where(ModelRunRow.uncertainty.is_not(None)).values(uncertainty=None)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def scored(self) -> int:
        """How many documents have an uncertainty score."""
        query = select(func.count()).select_from(ModelRunRow).where(ModelRunRow.uncertainty.is_not(None))
        return int(self.session.scalar(query) or 0)
