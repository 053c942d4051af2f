"""Engines and sessions for a project file, with the pragmas every connection needs.

Two promises live here (issue 9, points 1 and 2):

- **The main file is complete whenever no action runs.** The project stays in WAL mode, so
  readers (the GUI thread, the worker thread, a command-line export) never block writers or each
  other; but every connection, when it is handed back after a unit of work, copies the WAL into
  the main file (``PRAGMA wal_checkpoint(PASSIVE)``). The last unit of work to finish therefore
  leaves a main file that holds everything, and a copy of the ``.annotator`` file alone is
  complete. ``synchronous = FULL`` makes each commit durable before it returns, so a power cut
  cannot lose an action that was reported done (``fullfsync`` asks macOS disks for the same).
  ``benchmarks/bench_durability.py`` measured the choice against rollback journals.
- **Writers wait, they do not fail.** A write unit begins with ``BEGIN IMMEDIATE``: it takes the
  write lock at once, so it can wait for it (a deferred transaction that later needs the lock
  cannot wait: SQLite answers "database is locked" at once). The wait is our own short poll,
  not SQLite's busy handler, whose sleeps grow to 100 ms and so keep missing the short gaps a
  long import leaves between its transactions.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from annotator.domain.errors import ProjectBusyError

BUSY_TIMEOUT_MS = 10_000
#: How long a writer waits for its turn before giving up with a clear message.
WRITE_WAIT_S = 120.0
_POLL_S = 0.002
#: Long writers (import, pre-annotation) fold the WAL into the main file at most this often;
#: every connection does it once more when its unit of work ends.
CHECKPOINT_EVERY_S = 1.0
_WRITE_OPTION = "annotator_write"


def _set_pragmas(read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the module's
        # own implicit BEGIN breaks SAVEPOINTs (SQLAlchemy's documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA fullfsync = ON")
            cursor.execute("PRAGMA checkpoint_fullfsync = ON")
        cursor.close()

    return on_connect


def sqlite_uri(path: Path, mode: str = "rw") -> str:
    """The ``file:`` URI naming exactly ``path``, whatever characters its name holds.

    The absolute path is percent-encoded (``?``, ``#``, ``%``, spaces, unicode), so no part of a
    file name can be read as a URI query or as another file (``report?v2`` stays one name).
    ``mode``: ``ro``, ``rw`` (the file must exist), ``rwc`` (may create it) or ``immutable``.
    """
    uri = Path(os.path.abspath(path)).as_uri()
    return uri + ("?mode=ro&immutable=1" if mode == "immutable" else f"?mode={mode}")


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """One DB-API connection to the existing file ``path`` (never creates a file).

    A read-only connection to a file we may write is an ordinary one with ``query_only`` on, so
    that closing it still folds away the ``-wal``/``-shm`` files. Only a write-protected file is
    opened with ``mode=ro``; in a folder where no file can be created even that cannot read a
    WAL-mode database (it needs its ``-shm``), so it falls back to ``immutable=1`` — safe only
    because no ``-wal`` file exists there, i.e. the main file holds every committed change.
    """
    if not read_only:
        return sqlite3.connect(sqlite_uri(path, "rw"), uri=True, check_same_thread=False)
    if is_writable(path):
        connection = sqlite3.connect(sqlite_uri(path, "rw"), uri=True, check_same_thread=False)
        connection.execute("PRAGMA query_only = ON")
        if _can_read(connection):
            return connection
    connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, check_same_thread=False)
    if _can_read(connection):
        return connection
    # a -wal file holds changes the main file lacks: immutable=1 would ignore them
    mode = "ro" if Path(f"{path}-wal").exists() else "immutable"
    return sqlite3.connect(sqlite_uri(path, mode), uri=True, check_same_thread=False)


def _can_read(connection: sqlite3.Connection) -> bool:
    """False (and the connection closed) when SQLite cannot open the files reading needs."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_CANTOPEN:
            raise
        connection.close()
        return False


def is_writable(path: Path) -> bool:
    """What the system says about writing the file and creating files beside it.

    ``os.access`` sees permissions, read-only mounts and immutable files (even for root).
    """
    folder = Path(os.path.abspath(path)).parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def make_engine(path: Path, read_only: bool = False) -> Engine:
    # A `creator` opens exactly this file; QueuePool is what SQLAlchemy picks for a file
    # database (an empty URL alone would mean :memory:).
    engine = create_engine(
        "sqlite+pysqlite://", creator=lambda: connect(Path(path), read_only), poolclass=QueuePool
    )
    event.listen(engine, "connect", _set_pragmas(read_only))
    event.listen(engine, "begin", _begin)
    if not read_only:
        writers = _LongWriters()
        _LONG_WRITERS[engine] = writers
        event.listen(engine, "checkin", writers.checkpoint_on_checkin)
    return engine


def _begin(connection: Any) -> None:
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.connection.info["wrote"] = True  # checkpoint when it is handed back
        begin_immediate(connection.connection.driver_connection)
    else:
        connection.exec_driver_sql("BEGIN")


def begin_immediate(db: sqlite3.Connection, wait_s: float = WRITE_WAIT_S) -> None:
    """Begin a write transaction, waiting (polling every few ms) while another writer has it."""
    deadline = time.monotonic() + wait_s
    db.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if time.monotonic() > deadline:
                    raise ProjectBusyError(_database_name(db), wait_s) from None
                time.sleep(_POLL_S)
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, 261, 517) or (
        "locked" in str(exc)
    )


def _database_name(db: sqlite3.Connection) -> str:
    try:
        row = db.execute("PRAGMA database_list").fetchone()
        return str(row[2]) if row else "the project"
    except sqlite3.Error:
        return "the project"


def checkpoint(db: sqlite3.Connection) -> None:
    """Copy what the WAL holds into the main file, without waiting for anyone.

    PASSIVE never blocks; it copies everything no reader still needs. A reader on an older
    snapshot (an export) holds the rest back until its own unit of work ends and checkpoints.
    When another connection is checkpointing at this moment we wait for it briefly and try
    again, so our commit is not left out of the main file.
    """
    for _ in range(50):
        busy, _log, _copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy:
            return
        time.sleep(_POLL_S)


class Checkpointer:
    """For long writers on one connection: checkpoint after a commit, at most once a second."""

    def __init__(self, db: sqlite3.Connection, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self._db, self._every = db, every_s
        self._last = time.monotonic()

    def committed(self) -> None:
        if time.monotonic() - self._last >= self._every:
            checkpoint(self._db)
            self._last = time.monotonic()


class _LongWriters:
    """Whether an import or a model run of this process is writing, on its own connection.

    While one is, the units of work that only read (the GUI's refreshes) leave the WAL to it:
    it folds the WAL into the main file within a second and when it ends, so the GUI thread
    does not pay for copying the pages an import wrote. Every other unit of work checkpoints
    when its connection is handed back, so the last one to finish leaves the main file complete.
    """

    def __init__(self) -> None:
        self.active = 0
        self._lock = threading.Lock()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self.active += 1
        try:
            yield
        finally:
            with self._lock:
                self.active -= 1

    def checkpoint_on_checkin(self, dbapi_connection: Any, record: Any) -> None:
        wrote = record.info.pop("wrote", False) if record is not None else False
        if dbapi_connection is None or dbapi_connection.in_transaction:
            return
        if self.active and not wrote:
            return
        # A full disk or a vanished file: the commit itself has succeeded already.
        with contextlib.suppress(sqlite3.Error):
            checkpoint(dbapi_connection)


_LONG_WRITERS: weakref.WeakKeyDictionary[Engine, _LongWriters] = weakref.WeakKeyDictionary()


@contextmanager
def long_writer(engine: Engine) -> Iterator[None]:
    """Around an import or a model run: it checkpoints itself (see ``Checkpointer``)."""
    writers = _LONG_WRITERS.get(engine)
    if writers is None:
        yield
        return
    with writers.running():
        yield


def for_writing(engine: Engine) -> Engine:
    """The same engine, whose transactions begin by taking the write lock (waiting for it)."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def make_session_factory(engine: Engine, write: bool = True) -> sessionmaker[Session]:
    """Sessions for units of work: ``write`` ones take the write lock when they begin."""
    bind = for_writing(engine) if write else engine
    # expire_on_commit=False: repositories hand out plain values, never live ORM rows.
    return sessionmaker(bind, expire_on_commit=False)
