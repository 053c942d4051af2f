"""Engines and sessions for a project file, with the pragmas every connection needs."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


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


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the module's own
    # implicit BEGIN breaks SAVEPOINTs (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL survives any crash of the app; only a power cut may lose the last commit.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _set_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # A read-only connection cannot (and need not) change the journal mode.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def _creator(path: Path, read_only: bool) -> Callable[[], sqlite3.Connection]:
    return lambda: connect(path, read_only)


def make_engine(path: Path, read_only: bool = False) -> Engine:
    # No URL is built from the path: a `creator` opens exactly this file through a proper URI.
    # QueuePool is what SQLAlchemy picks for a file database (an empty URL would mean :memory:).
    engine = create_engine(
        "sqlite+pysqlite://", creator=_creator(Path(path), read_only), poolclass=QueuePool
    )
    event.listen(engine, "connect", _set_read_only_pragmas if read_only else _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: repositories hand out plain values, never live ORM rows.
    return sessionmaker(engine, expire_on_commit=False)
