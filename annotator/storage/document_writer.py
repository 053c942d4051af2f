"""The import fast path: documents written on one long-lived connection, files as savepoints.

An import of thousands of files spends most of its time in per-statement and per-commit
overhead, not in SQLite. So each file is a SAVEPOINT (it lands whole or not at all), commits
to disk are grouped by time (the caller reports files only once their commit succeeded), and
the few statements go straight to the driver. The column
formats are those SQLAlchemy reads back (see ``annotator.storage.orm``).

Other writers (a second import, the app) get their turn between the groups: each group takes
the write lock when it begins and the writer pauses briefly after each commit, long enough for
a waiting writer's poll to get in (see ``annotator.storage.db``).
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

from annotator.domain.errors import ProjectWriteError
from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, NewDocument, text_sha256, word_count
from annotator.storage.db import Checkpointer, begin_immediate, long_writer
from annotator.storage.write_errors import writes_translated

COMMIT_EVERY_S = 0.25
#: After a commit, leave the write lock free this long: a waiting writer polls every 2 ms.
YIELD_S = 0.005
_INSERT = (
    "INSERT INTO documents (title, text, sha256, status, source, author, url, published,"
    " imported_at, original_filename, word_count, metadata_json, section)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_FIND = "SELECT 1 FROM documents WHERE sha256 = ?"


class DocumentWriter:
    """Writes documents; the caller decides when to commit (see ``commit_due``).

    SQLite undoes the whole open transaction on a full disk or an I/O error, not just the
    failing statement: such errors surface as ProjectWriteError, and everything since the last
    ``commit`` is then gone, so a caller reports a file saved only once ``commit`` returned.
    """

    def __init__(self, driver_connection: sqlite3.Connection, path: object = "the project") -> None:
        self._db = driver_connection
        self._path = path
        self._last_commit = time.monotonic()
        self._checkpointer = Checkpointer(driver_connection)

    def exists(self, sha256: str) -> bool:
        with writes_translated(self._path):
            return self._db.execute(_FIND, (sha256,)).fetchone() is not None

    def add(self, new: NewDocument, sha256: str | None = None) -> DocumentId:
        published = new.published.isoformat() if new.published else None
        imported = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        with writes_translated(self._path):
            cursor = self._db.execute(
                _INSERT,
                (
                    new.title, new.text, sha256 or text_sha256(new.text), DocumentStatus.NEW.value,
                    new.source, new.author, new.url, published, imported, new.original_filename,
                    word_count(new.text), json.dumps(dict(new.metadata), ensure_ascii=False),
                    new.section,
                ),
            )
        return DocumentId(int(cursor.lastrowid or 0))

    @contextmanager
    def transaction(self) -> Iterator[DocumentWriter]:
        """One file's documents: all of them land, or none."""
        with writes_translated(self._path):
            if not self._db.in_transaction:
                begin_immediate(self._db)  # waits its turn behind another writer
                self._last_commit = time.monotonic()
            self._db.execute("SAVEPOINT import_file")
        try:
            yield self
        except BaseException as exc:
            if not self._db.in_transaction:  # SQLite gave up the whole transaction
                if isinstance(exc, Exception) and not isinstance(exc, ProjectWriteError):
                    raise ProjectWriteError(self._path, f"could not be written ({exc})") from exc
                raise
            self._db.execute("ROLLBACK TO import_file")
            self._db.execute("RELEASE import_file")
            raise
        with writes_translated(self._path):
            self._db.execute("RELEASE import_file")

    @property
    def in_transaction(self) -> bool:
        """Whether documents are written but not committed yet."""
        return self._db.in_transaction

    def commit_due(self) -> bool:
        """Commits to disk are grouped by time: per file they would cost more than the import."""
        return time.monotonic() - self._last_commit > COMMIT_EVERY_S

    def commit(self) -> None:
        if self._db.in_transaction:
            with writes_translated(self._path):
                self._db.execute("COMMIT")
            self._checkpointer.committed()
            time.sleep(YIELD_S)
        self._last_commit = time.monotonic()

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")


@contextmanager
def document_writer(engine: Engine, path: object = "the project") -> Iterator[DocumentWriter]:
    """A writer whose finished files are committed when the block ends, even if it ends early.

    ``path`` names the project file in error messages.
    """
    # long_writer ends before the connection is handed back, which then checkpoints.
    with engine.connect() as connection, long_writer(engine):
        writer: Any
        if engine.dialect.name == "postgresql":
            from annotator.storage.server_writers import ServerDocumentWriter

            writer = ServerDocumentWriter(connection, path)
        else:
            writer = DocumentWriter(connection.connection.driver_connection, path)  # type: ignore[arg-type]
        try:
            yield writer
        except BaseException:
            try:
                writer.commit()  # files finished before the error are kept
            except ProjectWriteError:
                writer.rollback()  # the error that ended the block says why
            raise
        else:
            writer.commit()
