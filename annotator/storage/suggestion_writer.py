"""The pre-annotation fast path: one document's suggestions replaced in one short transaction.

A model run writes thousands of documents; doing each with a handful of statements straight
to the driver keeps the database side small next to spaCy (issue #3 asks for >= 0.85 of a
bare ``nlp.pipe``). Formats match what SQLAlchemy reads back (see ``orm``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from annotator.domain.errors import CodebookError
from annotator.domain.ids import DocumentId
from annotator.domain.model import SpanOrigin, SpanStatus
from annotator.storage.db import Checkpointer, begin_immediate, long_writer
from annotator.storage.write_errors import write_error

_DELETE_PENDING = (
    "DELETE FROM entity_spans WHERE document_id = ? AND origin = 'model' AND status = 'suggested'"
    " AND coder_id IS NULL"
)
_DECIDED = "SELECT start, \"end\", coder_id FROM entity_spans WHERE document_id = ?"
_INSERT = (
    "INSERT INTO entity_spans (document_id, start, \"end\", text, label_id, origin, status,"
    " coder_id, model_name, model_version, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)"
)
_RECORD = (
    "INSERT OR REPLACE INTO model_runs (document_id, model_name, model_version, config_hash,"
    " suggestions, processed_at, uncertainty) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class SuggestionWriter:
    def __init__(self, driver_connection: sqlite3.Connection, path: object = "the project") -> None:
        self._db = driver_connection
        self._path = path  # named in the ProjectWriteError a full disk raises
        self._labels = dict(self._db.execute("SELECT name, id FROM labels").fetchall())
        self._checkpointer = Checkpointer(driver_connection)

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
        """Swap the document's pending suggestions for ``guesses`` (start, end, text, label).

        ``keep(guess, decided, coders)`` says whether a guess may be stored next to the spans
        people decided (a list of (start, end, coder id)) in a project of ``coders`` coders.
        Returns the guesses stored. All or nothing: a full disk raises ProjectWriteError and
        leaves the document as it was. ``uncertainty`` (how unsure the model was, or None) is
        recorded with the run.
        """
        now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        db = self._db
        begin_immediate(db)  # waits its turn behind another writer (an import)
        try:
            db.execute(_DELETE_PENDING, (document_id,))
            decided = db.execute(_DECIDED, (document_id,)).fetchall()
            coders = db.execute("SELECT count(*) FROM coders").fetchone()[0]
            stored = [g for g in guesses if keep(g, decided, coders)]
            rows = []
            for start, end, text, label in stored:
                label_id = self._labels.get(label)
                if label_id is None:
                    raise CodebookError(f"there is no label {label!r} in this project")
                rows.append((
                    document_id, start, end, text, label_id, SpanOrigin.MODEL.value,
                    SpanStatus.SUGGESTED.value, model_name, model_version, now, now,
                ))
            db.executemany(_INSERT, rows)
            db.execute(_RECORD, (document_id, model_name, model_version, config_hash, len(rows), now,
                                 uncertainty))
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:  # SQLite itself rolls back on a full disk
                db.execute("ROLLBACK")
            mapped = write_error(exc, self._path)
            if mapped is not None:
                raise mapped from exc
            raise
        self._checkpointer.committed()
        return stored


@contextmanager
def suggestion_writer(engine: Engine, path: object = "the project") -> Iterator[SuggestionWriter]:
    # long_writer ends before the connection is handed back, which then checkpoints.
    with engine.connect() as connection, long_writer(engine):
        if engine.dialect.name == "postgresql":
            from annotator.storage.server_writers import ServerSuggestionWriter

            yield ServerSuggestionWriter(connection, path)  # type: ignore[misc]
            return
        yield SuggestionWriter(connection.connection.driver_connection, path)  # type: ignore[arg-type]
