"""Bulk reads of coders' layers for agreement (issue 12): a study in a few queries.

The agreement figures need every chosen coder's coding of every counted document at once;
reading them document by document (``SpanRepository.for_document``, ``ClaimRepository``)
costs thousands of queries on a real study. The rule of whose layer a row is in is the same:
a coder's own rows are those naming them (``coder_id``); shared model suggestions belong to
no layer and are not anybody's coding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from annotator.domain.ids import DocumentId
from annotator.domain.model import FieldKind, SpanStatus
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderRow,
    EntitySpanRow,
    LabelRow,
)
from annotator.storage.repositories.claims import decode_value

#: (document, coder name) -> rows
Layers = dict[tuple[DocumentId, str], list[Any]]


class LayerReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def accepted_entities(self, documents: Sequence[DocumentId], coders: Sequence[str]) -> Layers:
        """(document, coder) -> [(start, end, label)] of the coder's own accepted entities."""
        rows = self.session.connection().execute(
            select(EntitySpanRow.document_id, CoderRow.name, EntitySpanRow.start, EntitySpanRow.end,
                   LabelRow.name)
            .join(CoderRow, CoderRow.id == EntitySpanRow.coder_id)
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .where(EntitySpanRow.document_id.in_(list(documents)), CoderRow.name.in_(list(coders)),
                   EntitySpanRow.status == SpanStatus.ACCEPTED.value)
            .order_by(EntitySpanRow.document_id, EntitySpanRow.start, EntitySpanRow.end)
        ).all()
        result: Layers = {}
        for doc, coder, start, end, label in rows:
            result.setdefault((DocumentId(doc), coder), []).append((start, end, label))
        return result

    def claims(self, documents: Sequence[DocumentId], coders: Sequence[str]) -> Layers:
        """(document, coder) -> [(start, end, {variable: value})] of the coder's own claims.

        An entity reference's value is the linked entity's text (the text kept with the
        reference once the entity is gone): each coder links their own entity rows, so the
        words are what can agree.
        """
        claim_rows = self.session.connection().execute(
            select(ClaimRow.id, ClaimRow.document_id, CoderRow.name, ClaimRow.start, ClaimRow.end)
            .join(CoderRow, CoderRow.id == ClaimRow.coder_id)
            .where(ClaimRow.document_id.in_(list(documents)), CoderRow.name.in_(list(coders)))
            .order_by(ClaimRow.document_id, ClaimRow.start, ClaimRow.id)
        ).all()
        linked = aliased(EntitySpanRow)
        value_rows = self.session.connection().execute(
            select(ClaimValueRow.claim_id, ClaimFieldRow.name, ClaimFieldRow.kind, ClaimValueRow.value,
                   ClaimValueRow.entity_span_id, ClaimValueRow.entity_text, linked.text)
            .join(ClaimFieldRow, ClaimFieldRow.id == ClaimValueRow.field_id)
            .join(ClaimRow, ClaimRow.id == ClaimValueRow.claim_id)
            .join(CoderRow, CoderRow.id == ClaimRow.coder_id)
            .join(linked, linked.id == ClaimValueRow.entity_span_id, isouter=True)
            .where(ClaimRow.document_id.in_(list(documents)), CoderRow.name.in_(list(coders)))
        ).all()
        values: dict[int, dict[str, object]] = {}
        for claim_id, name, kind, value, span_id, entity_text, span_text in value_rows:
            kind = FieldKind(kind)
            if kind is FieldKind.ENTITY:
                values.setdefault(claim_id, {})[name] = span_text if span_text is not None else entity_text
            else:
                values.setdefault(claim_id, {})[name] = decode_value(kind, value, span_id, entity_text)
        result: Layers = {}
        for claim_id, doc, coder, start, end in claim_rows:
            result.setdefault((DocumentId(doc), coder), []).append((start, end, values.get(claim_id, {})))
        return result
