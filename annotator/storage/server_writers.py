"""The import and pre-annotation fast paths on a PostgreSQL server.

Same interfaces as ``document_writer.DocumentWriter`` and ``suggestion_writer.SuggestionWriter``
(which talk to sqlite3 directly), written with Core statements on one SQLAlchemy connection:
each file is a SAVEPOINT, commits are grouped by time, a document's suggestions are swapped in
one short transaction. No write lock or checkpoint: the server runs writers side by side.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert

from annotator.domain.errors import CodebookError
from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    DocumentStatus,
    NewDocument,
    SpanOrigin,
    SpanStatus,
    text_sha256,
    word_count,
)
from annotator.storage import document_writer
from annotator.storage.orm import CoderRow, DocumentRow, EntitySpanRow, LabelRow, ModelRunRow

_DOCUMENTS = DocumentRow.__table__
_SPANS = EntitySpanRow.__table__


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ServerDocumentWriter:
    """Writes documents; the caller decides when to commit (see ``commit_due``)."""

    def __init__(self, connection: Connection, path: object = "the project") -> None:
        self._c = connection
        self._path = path
        self._last_commit = time.monotonic()

    def exists(self, sha256: str) -> bool:
        found = self._c.execute(select(_DOCUMENTS.c.id).where(_DOCUMENTS.c.sha256 == sha256)).first()
        return found is not None

    def add(self, new: NewDocument, sha256: str | None = None) -> DocumentId:
        row = {
            "title": new.title, "text": new.text, "sha256": sha256 or text_sha256(new.text),
            "status": DocumentStatus.NEW.value, "source": new.source, "author": new.author,
            "url": new.url, "published": new.published, "imported_at": _now(),
            "original_filename": new.original_filename, "word_count": word_count(new.text),
            "metadata_json": dict(new.metadata), "section": new.section, "in_sample": False,
        }
        added = self._c.execute(insert(_DOCUMENTS).returning(_DOCUMENTS.c.id), row).scalar_one()
        return DocumentId(int(added))

    @contextmanager
    def transaction(self) -> Iterator[ServerDocumentWriter]:
        """One file's documents: all of them land, or none."""
        if not self._c.in_transaction():
            self._c.begin()
            self._last_commit = time.monotonic()
        savepoint = self._c.begin_nested()
        try:
            yield self
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        savepoint.commit()

    @property
    def in_transaction(self) -> bool:
        return self._c.in_transaction()

    def commit_due(self) -> bool:
        # the same grouping as the SQLite writer (one setting, which tests may change)
        return time.monotonic() - self._last_commit > document_writer.COMMIT_EVERY_S

    def commit(self) -> None:
        if self._c.in_transaction():
            self._c.commit()
        self._last_commit = time.monotonic()

    def rollback(self) -> None:
        if self._c.in_transaction():
            self._c.rollback()


class ServerSuggestionWriter:
    def __init__(self, connection: Connection, path: object = "the project") -> None:
        self._c = connection
        self._path = path
        self._labels = {name: i for name, i in connection.execute(select(LabelRow.name, LabelRow.id))}
        connection.commit()

    def replace(
        self,
        document_id: DocumentId,
        guesses: Sequence[tuple[int, int, str, str]],
        keep: Any,
        model_name: str,
        model_version: str,
        config_hash: str,
        uncertainty: float | None = None,
    ) -> list[tuple[int, int, str, str]]:
        """As ``SuggestionWriter.replace``: one transaction per document, all or nothing."""
        now = _now()
        with self._c.begin():
            self._c.execute(delete(_SPANS).where(
                _SPANS.c.document_id == document_id, _SPANS.c.origin == SpanOrigin.MODEL.value,
                _SPANS.c.status == SpanStatus.SUGGESTED.value, _SPANS.c.coder_id.is_(None),
            ))
            decided = [tuple(row) for row in self._c.execute(
                select(_SPANS.c.start, _SPANS.c.end, _SPANS.c.coder_id)
                .where(_SPANS.c.document_id == document_id)
            )]
            coders = self._c.execute(select(func.count()).select_from(CoderRow.__table__)).scalar_one()
            stored = [g for g in guesses if keep(g, decided, coders)]
            rows = []
            for start, end, text, label in stored:
                label_id = self._labels.get(label)
                if label_id is None:
                    raise CodebookError(f"there is no label {label!r} in this project")
                rows.append({
                    "document_id": document_id, "start": start, "end": end, "text": text,
                    "label_id": label_id, "origin": SpanOrigin.MODEL.value,
                    "status": SpanStatus.SUGGESTED.value, "coder_id": None, "model_name": model_name,
                    "model_version": model_version, "created_at": now, "updated_at": now,
                })
            if rows:
                self._c.execute(insert(_SPANS), rows)
            record = postgresql_insert(ModelRunRow.__table__).values(
                document_id=document_id, model_name=model_name, model_version=model_version,
                config_hash=config_hash, suggestions=len(rows), processed_at=now, uncertainty=uncertainty,
            )
            self._c.execute(record.on_conflict_do_update(
                index_elements=["document_id"],
                set_={c: record.excluded[c] for c in
                      ("model_name", "model_version", "config_hash", "suggestions", "processed_at",
                       "uncertainty")},
            ))
        return stored
