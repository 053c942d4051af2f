"""Writing coders' entities and claims in bulk: the import of a study file.

The repositories write one row at a time and read it back, which suits the app's single
edits; an import of thousands of rows uses one Core ``insert()`` per document, or per group of
new documents, instead, with the labels', variables' and coders' ids looked up once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.domain.errors import CodebookError
from annotator.domain.ids import CoderId, DocumentId, SpanId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntitySpan,
    FieldKind,
    NewDocument,
    SpanOrigin,
    SpanStatus,
    word_count,
)
from annotator.storage.dialect import upsert
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderDocumentRow,
    DocumentRow,
    EntitySpanRow,
    LabelRow,
)
from annotator.storage.repositories.claims import encode_value  # the one value encoding
from annotator.storage.repositories.coders import CoderRepository
from annotator.storage.write_errors import writes_translated

_CHUNK = 500  # values per IN (...): well under SQLite's limit of bound parameters
_DOCUMENT_COLUMNS = ("title", "text", "sha256", "status", "source", "author", "url", "published",
                     "imported_at", "original_filename", "word_count", "metadata_json", "section")
_ENTITY_COLUMNS = ("document_id", "start", "end", "text", "label_id", "origin", "status", "coder_id",
                   "created_at", "updated_at")
EntityRow = tuple[DocumentId, int, int, str, str, SpanOrigin, SpanStatus, "str | None"]
"""An entity of ``add_entity_rows``: document, start, end, text, label, origin, status, coder."""


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

    # -- whole groups of new documents: an import of thousands ------------------------------
    def texts_present(self, sha256s: Sequence[str]) -> set[str]:
        """Which of these text digests the project has already."""
        found: set[str] = set()
        for at in range(0, len(sha256s), _CHUNK):
            chunk = list(sha256s[at:at + _CHUNK])
            found.update(self.session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(chunk))))
        return found

    def add_documents(self, documents: Sequence[NewDocument]) -> list[DocumentId]:
        """Insert new documents (texts not in the project, none twice); their ids, in order.

        One statement for all of them, then one query for the ids: asking for the ids back
        row by row (RETURNING in order) would cost a round trip per document.
        """
        if not documents:
            return []
        stamp, value = self._stamp(), self._value
        self._insert_many(DocumentRow.__table__, _DOCUMENT_COLUMNS, [
            (d.title, d.text, d.sha256, DocumentStatus.NEW.value, d.source, d.author, d.url,
             value(d.published), stamp, d.original_filename, word_count(d.text),
             value(dict(d.metadata)), d.section)
            for d in documents
        ])
        ids: dict[str, int] = {}
        digests = [d.sha256 for d in documents]
        for at in range(0, len(digests), _CHUNK):
            ids.update((sha, i) for sha, i in self.session.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(
                    DocumentRow.sha256.in_(digests[at:at + _CHUNK]))
            ))
        return [DocumentId(ids[digest]) for digest in digests]

    def add_entity_rows(self, rows: Sequence[EntityRow]) -> None:
        """Insert entities of any documents in one statement (their ids are not read back)."""
        if not rows:
            return
        stamp = self._stamp()
        labels = {name: self._label_id(name) for name in {r[4] for r in rows}}
        coders = {name: self.coder_id(name) for name in {r[7] for r in rows} if name}
        self._insert_many(EntitySpanRow.__table__, _ENTITY_COLUMNS, [
            (document_id, start, end, text, labels[label], origin, status,
             coders[coder] if coder else None, stamp, stamp)
            for document_id, start, end, text, label, origin, status, coder in rows
        ])

    def add_new_statuses(self, rows: Sequence[tuple[DocumentId, CoderId, DocumentStatus]]) -> None:
        """Coders' statuses of documents none of them had a status of before."""
        if rows:
            stamp = self._stamp()
            self._insert_many(CoderDocumentRow.__table__, ("document_id", "coder_id", "status", "updated_at"),
                              [(d, c, s.value, stamp) for d, c, s in rows])

    @property
    def _sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def _stamp(self) -> object:
        """Now, as the rows of ``_insert_many`` carry it."""
        return _sqlite_value(_now()) if self._sqlite else _now()

    def _value(self, value: object) -> object:
        return _sqlite_value(value) if self._sqlite else value

    def _insert_many(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """One INSERT of many rows. On SQLite straight to the driver, as the plain import does:
        SQLAlchemy's per-value processing would be most of an import's time; the rows then hold
        their values in the formats SQLAlchemy reads back (``_sqlite_value``)."""
        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            self.session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        driver = connection.connection.driver_connection
        assert driver is not None
        with writes_translated("the project"):
            driver.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)

    def _label_id(self, name: str) -> int:
        if name not in self._labels:
            raise CodebookError(f"there is no label {name!r} in this project")
        return self._labels[name]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
