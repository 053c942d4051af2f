"""Writing coders' entities and claims in bulk: the import of a study file.

The repositories write one row at a time and read it back, which suits the app's single
edits; an import of thousands of rows uses one Core ``insert()`` per document instead, with
the labels', variables' and coders' ids looked up once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.domain.errors import CodebookError
from annotator.domain.ids import CoderId, DocumentId, SpanId
from annotator.domain.model import Claim, DocumentStatus, EntitySpan, FieldKind
from annotator.storage.dialect import upsert
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderDocumentRow,
    EntitySpanRow,
    LabelRow,
)
from annotator.storage.repositories.claims import encode_value  # the one value encoding
from annotator.storage.repositories.coders import CoderRepository


class LayerWriter:
    """Adds entities and claims of any coders (or none) to documents, in one statement each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.coders = CoderRepository(session)
        self._labels: dict[str, int] = {
            name: i for name, i in session.execute(select(LabelRow.name, LabelRow.id))
        }
        self._fields: dict[str, tuple[int, FieldKind]] = {
            name: (i, FieldKind(kind))
            for name, i, kind in session.execute(
                select(ClaimFieldRow.name, ClaimFieldRow.id, ClaimFieldRow.kind)
            )
        }
        self._coder_ids: dict[str, CoderId] = {}

    def coder_id(self, name: str) -> CoderId:
        """The coder's id, creating the coder on first use."""
        if name not in self._coder_ids:
            found = self.coders.id_for(name)
            assert found is not None
            self._coder_ids[name] = found
        return self._coder_ids[name]

    def add_entities(self, document_id: DocumentId, spans: Sequence[EntitySpan]) -> list[SpanId]:
        """Insert the spans into the document; their ids, in the same order."""
        if not spans:
            return []
        now = _now()
        rows = [
            dict(
                document_id=document_id, start=s.start, end=s.end, text=s.text,
                label_id=self._label_id(s.label), origin=s.origin.value, status=s.status.value,
                coder_id=None if s.annotator is None else self.coder_id(s.annotator),
                model_name=s.model_name, model_version=s.model_version,
                created_at=now, updated_at=now,
            )
            for s in spans
        ]
        table = EntitySpanRow.__table__  # Core, not the ORM's bulk path: a third of the time
        result = self.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        )
        return [SpanId(i) for i in result.scalars()]

    def add_claims(self, document_id: DocumentId, claims: Sequence[Claim]) -> None:
        """Insert the claims with their values (entity references must name stored spans)."""
        if not claims:
            return
        now = _now()
        rows = [
            dict(
                document_id=document_id, start=c.start, end=c.end, text=c.text,
                coder_id=None if c.annotator is None else self.coder_id(c.annotator),
                needs_review=c.needs_review, review_note=c.review_note,
                created_at=now, updated_at=now,
            )
            for c in claims
        ]
        table = ClaimRow.__table__
        result = self.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        )
        values: list[dict[str, Any]] = []
        for claim_id, claim in zip(result.scalars(), claims, strict=True):
            for name, value in claim.values.items():
                if name not in self._fields:
                    raise CodebookError(f"{name!r} is not a variable of this codebook")
                field_id, kind = self._fields[name]
                values.append({"claim_id": claim_id, "field_id": field_id, **encode_value(kind, value)})
        if values:
            self.session.execute(insert(ClaimValueRow.__table__), values)

    def set_statuses(
        self, document_id: DocumentId, statuses: Mapping[CoderId, DocumentStatus]
    ) -> None:
        """Set coders' statuses of the document (keeping whether it is assigned to them)."""
        if not statuses:
            return
        now = _now()
        statement = upsert(self.session, CoderDocumentRow.__table__)
        statement = statement.on_conflict_do_update(
            index_elements=["document_id", "coder_id"],
            set_={"status": statement.excluded.status, "updated_at": statement.excluded.updated_at},
        )
        self.session.execute(statement, [  # parameters apart: the statement is compiled once
            dict(document_id=document_id, coder_id=coder_id, status=status.value, updated_at=now)
            for coder_id, status in statuses.items()
        ])

    def _label_id(self, name: str) -> int:
        if name not in self._labels:
            raise CodebookError(f"there is no label {name!r} in this project")
        return self._labels[name]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
