from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.domain.ids import DocumentId
from annotator.storage.orm import DocumentRow, ModelRunRow


class ModelRunRepository:
    """Which pipeline configuration last pre-annotated each document."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, document_id: DocumentId, model_name: str, model_version: str,
        config_hash: str, suggestions: int,
    ) -> None:
        self.session.execute(delete(ModelRunRow).where(ModelRunRow.document_id == document_id))
        self.session.add(
            ModelRunRow(
                document_id=document_id,
                model_name=model_name,
                model_version=model_version,
                config_hash=config_hash,
                suggestions=suggestions,
                processed_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )

    def unprocessed(self, config_hash: str) -> list[DocumentId]:
        """Documents never run with this exact configuration, in id order."""
        done = select(ModelRunRow.document_id).where(ModelRunRow.config_hash == config_hash)
        ids = self.session.scalars(
            select(DocumentRow.id).where(DocumentRow.id.not_in(done)).order_by(DocumentRow.id)
        )
        return [DocumentId(i) for i in ids]

    def processed(self, document_ids: Iterable[DocumentId]) -> dict[DocumentId, str]:
        rows = self.session.execute(
            select(ModelRunRow.document_id, ModelRunRow.model_name).where(
                ModelRunRow.document_id.in_(list(document_ids))
            )
        )
        return {DocumentId(d): m for d, m in rows}
