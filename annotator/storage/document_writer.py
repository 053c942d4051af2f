"""The import fast path: documents written on one long-lived connection, files as savepoints.

An import of thousands of files spends most of its time in per-statement and per-commit
overhead, not in SQLite. So each file is a SAVEPOINT (it lands whole or not at all), commits
to disk are grouped by time, and the few statements go straight to the driver. The column
formats are those SQLAlchemy reads back (see ``annotator.storage.orm``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, NewDocument, text_sha256, word_count

COMMIT_EVERY_S = 0.25
_INSERT = (
    "INSERT INTO documents (title, text, sha256, status, source, author, url, published,"
    " imported_at, original_filename, word_count, metadata_json, section)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_FIND = "SELECT 1 FROM documents WHERE sha256 = ?"


class DocumentWriter:
    def __init__(self, driver_connection: sqlite3.Connection) -> None:
        self._db = driver_connection
        self._last_commit = time.monotonic()
        self._open = False

    def exists(self, sha256: str) -> bool:
        return self._db.execute(_FIND, (sha256,)).fetchone() is not None

    def add(self, new: NewDocument, sha256: str | None = None) -> DocumentId:
        published = new.published.isoformat() if new.published else None
        imported = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        cursor = self._db.execute(
            _INSERT,
            (
                new.title, new.text, sha256 or text_sha256(new.text), DocumentStatus.NEW.value,
                new.source, new.author, new.url, published, imported, new.original_filename,
                word_count(new.text), json.dumps(dict(new.metadata), ensure_ascii=False), new.section,
            ),
        )
        return DocumentId(int(cursor.lastrowid or 0))

    @contextmanager
    def transaction(self) -> Iterator[DocumentWriter]:
        """One file's documents: all of them land, or none."""
        if not self._open:
            self._db.execute("BEGIN")
            self._open = True
        self._db.execute("SAVEPOINT import_file")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK TO import_file")
            self._db.execute("RELEASE import_file")
            raise
        self._db.execute("RELEASE import_file")
        if time.monotonic() - self._last_commit > COMMIT_EVERY_S:
            self.commit()

    def commit(self) -> None:
        if self._open:
            self._db.execute("COMMIT")
            self._open = False
        self._last_commit = time.monotonic()

    def rollback(self) -> None:
        if self._open:
            self._db.execute("ROLLBACK")
            self._open = False


@contextmanager
def document_writer(engine: Engine) -> Iterator[DocumentWriter]:
    """A writer whose finished files are committed when the block ends, even if it ends early."""
    with engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        writer = DocumentWriter(driver)
        try:
            yield writer
        except BaseException:
            writer.commit()  # files finished before the error are kept
            raise
        else:
            writer.commit()
