"""Before writing into a project: can this file be written, and is it intact?

Also turns SQLite's low-level errors about permissions and damage into the user's words.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.domain.errors import DamagedProjectError, ProjectError, ReadOnlyProjectError
from annotator.storage.db import connect, is_writable

FILE_READ_ONLY = "the file cannot be changed (check its permissions or lock, or work on a copy)"
OLD_AND_READ_ONLY = (
    "it was saved by an older version of Annotator and must be upgraded, which needs writing; "
    "copy it to a writable folder first"
)


def folder_read_only(path: Path) -> str:
    folder = Path(os.path.abspath(path)).parent
    return (
        f"its folder {folder} does not allow new files, which SQLite needs beside the project "
        "while it writes; move the project to a writable folder"
    )


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF  # primary code, without the extended bits


def check_writable(path: Path) -> None:
    """Raise ReadOnlyProjectError unless SQLite can write into the project at ``path``.

    ``os.access`` answers first (it sees permissions, read-only mounts and immutable files without
    touching anything); then a write that is rolled back asks SQLite itself, which also catches
    what ``os.access`` cannot see (network shares, root, ACLs).
    """
    if not is_writable(path):
        if not os.access(path, os.W_OK):
            raise ReadOnlyProjectError(path, FILE_READ_ONLY)
        raise ReadOnlyProjectError(path, folder_read_only(path))
    try:
        connection = connect(path)
    except sqlite3.Error as exc:
        raise _translated(path, exc, writing=True) from None
    try:
        connection.isolation_level = None
        connection.execute("PRAGMA busy_timeout = 0")  # a busy writer proves it is writable
        connection.execute("BEGIN")
        # changes nothing, yet SQLite must be able to journal a page to do it
        connection.execute("UPDATE project_info SET value = value WHERE key = 'application'")
        connection.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if _code(exc) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise _translated(path, exc, writing=True) from None
    finally:
        connection.close()


def check_integrity(path: Path) -> None:
    """Raise DamagedProjectError when ``PRAGMA quick_check`` finds damage (O(file size))."""
    try:
        connection = connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise _translated(path, exc, writing=False) from None
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
    except sqlite3.Error as exc:
        raise _translated(path, exc, writing=False) from None
    finally:
        connection.close()
    if rows != ["ok"]:
        found = " ".join("; ".join(rows).split())  # one line: a row may hold several
        raise DamagedProjectError(path, "SQLite's integrity check says: " + found[:200])


def _translated(path: Path, exc: sqlite3.Error, writing: bool) -> ProjectError:
    error = translate(path, exc, writing)
    return error if error is not None else ProjectError(f"{path}: cannot be opened ({exc})")


def translate(path: Path, exc: BaseException, writing: bool = True) -> ProjectError | None:
    """The user's words for a SQLite error about permissions or damage; None for the rest."""
    code = _code(exc)
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyProjectError(path, FILE_READ_ONLY)
    if code == sqlite3.SQLITE_CANTOPEN and writing:
        return ReadOnlyProjectError(path, folder_read_only(path))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedProjectError(path, str(exc))
    return None
