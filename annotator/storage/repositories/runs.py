from __future__ import annotations

from sqlalchemy import select
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
