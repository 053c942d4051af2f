"""SQLite's "disk is full" and disk I/O errors, turned into the domain's ProjectWriteError.

Services and the UI never look at SQLAlchemy or sqlite3 exceptions: every engine of a
project raises the domain errors (through SQLAlchemy's ``handle_error`` event, which also
names read-only and damaged files, see :mod:`annotator.storage.health`), and the fast paths
that talk to the driver directly translate with :func:`write_error`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from annotator.domain.errors import DiskFullError, ProjectWriteError
from annotator.storage.health import translate

#: Extended SQLITE_IOERR codes a full or vanished disk produces (the OS reports ENOSPC or EIO
#: from write, fsync, truncate or the shared-memory file that WAL needs).
_WRITE_IOERRS = frozenset(
    getattr(sqlite3, name, -1)
    for name in (
        "SQLITE_IOERR", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_DIR_FSYNC",
        "SQLITE_IOERR_TRUNCATE", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_SHMMAP",
    )
)


def write_error(error: BaseException, path: object) -> ProjectWriteError | None:
    """The domain error for a driver error that means the file could not be written, else None."""
    if isinstance(error, ProjectWriteError):
        return error
    if isinstance(error, DBAPIError):
        error = error.orig
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.Error) or code is None:
        return None
    if code & 0xFF == sqlite3.SQLITE_FULL:
        return DiskFullError(path)
    if code in _WRITE_IOERRS:
        return ProjectWriteError(
            path,
            f"the project file could not be written ({error}), so this change was not saved; "
            "check that the disk has space and is still connected, then try again",
        )
    return None


@contextmanager
def writes_translated(path: object) -> Iterator[None]:
    """Re-raise a driver's disk-full or I/O error inside the block as the domain error."""
    try:
        yield
    except (sqlite3.Error, DBAPIError) as exc:
        mapped = write_error(exc, path)
        if mapped is None:
            raise
        raise mapped from exc


def translate_errors(engine: Engine, path: Path, writing: bool = True) -> None:
    """Make every statement and commit on ``engine`` raise the domain's error for a full disk,
    a failed write, a read-only or a damaged file (``writing``: the engine may write)."""

    def on_error(context: Any) -> None:
        original = context.original_exception
        mapped = write_error(original, path) or translate(path, original, writing)
        if mapped is not None:
            raise mapped

    event.listen(engine, "handle_error", on_error)
