from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Row, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.domain.errors import CodebookError, NotFoundError
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.layers import layer_view
from annotator.domain.model import EntitySpan, SpanOrigin, SpanStatus
from annotator.storage.orm import ClaimValueRow, CoderRow, EntitySpanRow, LabelRow
from annotator.storage.repositories.coders import CoderRepository


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# The reads are Core statements on the tables (plain rows, not the ORM's execution path, about
# a third of a read's cost on a team server) and the hot ones are built once: the coder's view
# of a document is read on every edit, and building a statement costs about as much as running it.
_SPANS, _LABELS, _CODERS = EntitySpanRow.__table__, LabelRow.__table__, CoderRow.__table__
_COLUMNS = (
    _SPANS.c.id, _SPANS.c.document_id, _SPANS.c.start, _SPANS.c.end, _SPANS.c.text,
    _LABELS.c.name.label("label"), _SPANS.c.origin, _SPANS.c.status,
    _CODERS.c.name.label("annotator"), _SPANS.c.model_name, _SPANS.c.model_version,
    _SPANS.c.created_at, _SPANS.c.updated_at,
)


def _select():  # type: ignore[no-untyped-def]
    return (
        select(*_COLUMNS)
        .join(_LABELS, _LABELS.c.id == _SPANS.c.label_id)
        .join(_CODERS, _CODERS.c.id == _SPANS.c.coder_id, isouter=True)
    )


_OF_DOCUMENT = (
    _select().where(_SPANS.c.document_id == bindparam("document_id"))
    .order_by(_SPANS.c.start, _SPANS.c.end)
)
_OF_DOCUMENT_FOR_CODER = _OF_DOCUMENT.where(
    _SPANS.c.coder_id.is_(None) | (_CODERS.c.name == bindparam("coder"))
)
_BY_ID = _select().where(_SPANS.c.id == bindparam("span_id"))
_SPANS_OF_DOCUMENTS = _SPANS.alias("spans_of_documents")
_LINKS = ClaimValueRow.__table__
_AROUND_SPAN_FOR_CODER = (
    _select()
    .add_columns(  # computed once per statement (it names no row of the outer query)
        select(func.count()).where(_LINKS.c.entity_span_id == bindparam("span_id"))
        .scalar_subquery().label("links")
    )
    .where(
        _SPANS.c.document_id == select(_SPANS_OF_DOCUMENTS.c.document_id)
        .where(_SPANS_OF_DOCUMENTS.c.id == bindparam("span_id")).scalar_subquery(),
        _SPANS.c.coder_id.is_(None) | (_CODERS.c.name == bindparam("coder")),
    )
    .order_by(_SPANS.c.start, _SPANS.c.end)
)


def _insert_by_label_name(with_id: bool):  # type: ignore[no-untyped-def]
    """INSERT of one entity that looks its label's id up itself (no row: no such label)."""
    columns = EntitySpanRow.__table__.c
    names = [
        *(["id"] if with_id else []), "document_id", "start", "end", "text", "origin", "status",
        "coder_id", "model_name", "model_version", "created_at", "updated_at",
    ]
    source = select(
        *(bindparam(name, type_=columns[name].type).label(name) for name in names),
        LabelRow.id.label("label_id"),
    ).where(LabelRow.name == bindparam("label_name"))
    return insert(EntitySpanRow).from_select([*names, "label_id"], source).returning(EntitySpanRow.id)


_INSERT = _insert_by_label_name(with_id=False)
_INSERT_WITH_ID = _insert_by_label_name(with_id=True)


def _to_domain(r: Row) -> EntitySpan:  # type: ignore[type-arg]
    return EntitySpan(
        id=SpanId(r.id), document_id=DocumentId(r.document_id), start=r.start, end=r.end,
        text=r.text, label=r.label, origin=SpanOrigin(r.origin), status=SpanStatus(r.status),
        annotator=r.annotator, model_name=r.model_name, model_version=r.model_version,
        created_at=r.created_at, updated_at=r.updated_at,
    )


class SpanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_document(self, document_id: DocumentId, coder: str | None = None) -> list[EntitySpan]:
        """The document's entities: every row, or what ``coder`` sees (domain.layers)."""
        if coder is None:
            rows = self.session.execute(_OF_DOCUMENT, {"document_id": document_id})
        else:  # other coders' rows are never in this view: not even read
            rows = self.session.execute(
                _OF_DOCUMENT_FOR_CODER, {"document_id": document_id, "coder": coder}
            )
        spans = [_to_domain(r) for r in rows]
        return spans if coder is None else layer_view(spans, coder)

    def with_view(self, span_id: SpanId, coder: str) -> tuple[EntitySpan, list[EntitySpan], bool | None]:
        """The entity, ``coder``'s view of its document and whether any claim links the
        entity (None: not known), in one statement when the entity is shared or the coder's
        own (the entities a coder edits); another coder's is read apart (the caller refuses it)."""
        rows = self.session.execute(
            _AROUND_SPAN_FOR_CODER, {"span_id": span_id, "coder": coder}
        ).all()
        spans = [_to_domain(r) for r in rows]
        target = next((s for s in spans if s.id == span_id), None)
        if target is None:
            return self.get(span_id), layer_view(spans, coder), None
        return target, layer_view(spans, coder), bool(rows[0].links)

    def exists(self, span_id: SpanId) -> bool:
        return self.session.scalar(select(EntitySpanRow.id).where(EntitySpanRow.id == span_id)) is not None

    def get(self, span_id: SpanId) -> EntitySpan:
        row = self.session.execute(_BY_ID, {"span_id": span_id}).first()
        if row is None:
            raise NotFoundError(f"entity {span_id} does not exist (any more)")
        return _to_domain(row)

    def iter_all(self, statuses: Sequence[SpanStatus] | None = None, batch: int = 5000):  # type: ignore[no-untyped-def]
        """Every span in document and offset order, streamed in batches (for exports)."""
        query = _select().order_by(_SPANS.c.document_id, _SPANS.c.start)
        if statuses is not None:
            query = query.where(_SPANS.c.status.in_([s.value for s in statuses]))
        for row in self.session.execute(query.execution_options(yield_per=batch)):
            yield _to_domain(row)

    def add(self, span: EntitySpan) -> EntitySpan:
        """Insert ``span`` (keeping its id when it has one, as undo of a delete needs)."""
        now = _now()
        values: dict[str, object] = dict(
            document_id=span.document_id, start=span.start, end=span.end, text=span.text,
            origin=span.origin.value, status=span.status.value,
            coder_id=CoderRepository(self.session).id_for(span.annotator),
            model_name=span.model_name, model_version=span.model_version,
            created_at=span.created_at or now, updated_at=span.updated_at or now,
        )
        if span.id is not None:
            values["id"] = span.id
        # One round trip (on a team server, each is felt): the label's id is looked up by the
        # INSERT itself, and nothing is read back, as every stored value is known here.
        statement = _INSERT if span.id is None else _INSERT_WITH_ID
        # on the connection: given parameters, the session would take it for a bulk insert
        new_id = self.session.connection().execute(
            statement, {**values, "label_name": span.label}
        ).scalar()
        if new_id is None:
            raise CodebookError(f"there is no label {span.label!r} in this project")
        return replace(
            span, id=SpanId(new_id),
            created_at=values["created_at"], updated_at=values["updated_at"],  # type: ignore[arg-type]
        )

    def update(self, span: EntitySpan) -> EntitySpan:
        """Write the span's offsets, text, label, status and annotator; stamps updated_at."""
        return self._write(span, _now())

    def restore(self, span: EntitySpan) -> EntitySpan:
        """Put back exactly a span's earlier state, timestamps included (for undo)."""
        return self._write(span, span.updated_at or _now())

    def _write(self, span: EntitySpan, updated_at: datetime) -> EntitySpan:
        if span.id is None:
            raise ValueError("only a stored span can be updated")
        result = self.session.execute(
            update(EntitySpanRow)
            .where(EntitySpanRow.id == span.id)
            .values(
                start=span.start, end=span.end, text=span.text,
                label_id=self._label_id(span.label), origin=span.origin.value,
                status=span.status.value,
                coder_id=CoderRepository(self.session).id_for(span.annotator),
                updated_at=updated_at,
            )
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError(f"entity {span.id} does not exist (any more)")
        return self.get(span.id)

    def delete(self, span_id: SpanId) -> None:
        self.session.execute(delete(EntitySpanRow).where(EntitySpanRow.id == span_id))

    def counts(self) -> dict[str, dict[str, int]]:
        """{"by_label": {...}, "by_status": {...}} over the whole project."""
        by_label = dict(
            self.session.execute(
                select(LabelRow.name, func.count(EntitySpanRow.id))
                .join(EntitySpanRow, EntitySpanRow.label_id == LabelRow.id)
                .group_by(LabelRow.name)
            ).all()
        )
        by_status = {s.value: 0 for s in SpanStatus}
        by_status.update(
            self.session.execute(
                select(EntitySpanRow.status, func.count()).group_by(EntitySpanRow.status)
            ).all()
        )
        return {"by_label": by_label, "by_status": by_status}

    def _label_id(self, name: str) -> int:
        found = self.session.scalar(select(LabelRow.id).where(LabelRow.name == name))
        if found is None:
            raise CodebookError(f"there is no label {name!r} in this project")
        return found
