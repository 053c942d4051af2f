"""Counts per coder, for `annotator stats`: each coder's totals, and one coder's layer alone."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from annotator.domain.ids import CoderId
from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.storage.orm import (
    ClaimRow,
    CoderDocumentRow,
    CoderRow,
    DocumentRow,
    EntitySpanRow,
    LabelRow,
)
from annotator.storage.repositories.coder_documents import assigned_scope


class CoderStatsQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def totals(self) -> dict[str, dict[str, int]]:
        """coder -> documents they marked done, entities they accepted, claims they made."""
        result = {
            name: {"documents_done": 0, "entities": 0, "claims": 0}
            for name in self.session.scalars(select(CoderRow.name).order_by(CoderRow.id))
        }
        done = self.session.execute(
            select(CoderRow.name, func.count())
            .join(CoderDocumentRow, CoderDocumentRow.coder_id == CoderRow.id)
            .where(CoderDocumentRow.status == DocumentStatus.DONE.value)
            .group_by(CoderRow.name)
        )
        entities = self.session.execute(
            select(CoderRow.name, func.count())
            .join(EntitySpanRow, EntitySpanRow.coder_id == CoderRow.id)
            .where(EntitySpanRow.status == SpanStatus.ACCEPTED.value)
            .group_by(CoderRow.name)
        )
        claims = self.session.execute(
            select(CoderRow.name, func.count())
            .join(ClaimRow, ClaimRow.coder_id == CoderRow.id)
            .group_by(CoderRow.name)
        )
        for key, rows in (("documents_done", done), ("entities", entities), ("claims", claims)):
            for name, count in rows:
                result[name][key] = count
        return result

    def layer_span_counts(self, coder_id: CoderId) -> dict[str, dict[str, int]]:
        """{"by_label", "by_status"} of the entities the coder sees in their documents: their
        own, and the shared suggestions none of their own overlaps (domain.layers.layer_view)."""
        own = aliased(EntitySpanRow)
        covered = (
            select(own.id)
            .where(
                own.document_id == EntitySpanRow.document_id,
                own.coder_id == coder_id,
                own.start < EntitySpanRow.end,
                EntitySpanRow.start < own.end,
            )
            .exists()
        )
        seen = (EntitySpanRow.coder_id == coder_id) | (EntitySpanRow.coder_id.is_(None) & ~covered)
        query = (
            select(LabelRow.name, EntitySpanRow.status, func.count())
            .select_from(EntitySpanRow)
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .join(DocumentRow, DocumentRow.id == EntitySpanRow.document_id)
            .where(seen)
            .group_by(LabelRow.name, EntitySpanRow.status)
        )
        scope = assigned_scope(coder_id)
        if scope is not None:
            query = query.where(scope)
        by_label: dict[str, int] = {}
        by_status = {s.value: 0 for s in SpanStatus}
        for label, status, count in self.session.execute(query):
            by_label[label] = by_label.get(label, 0) + count
            by_status[status] = by_status.get(status, 0) + count
        return {"by_label": by_label, "by_status": by_status}
