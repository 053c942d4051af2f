"""A complete copy of a project file, made with SQLite's online backup while others use it.

The copy is one consistent snapshot (the WAL included), taken in a single step: a read
transaction, so in WAL mode the app and other writers carry on meanwhile and the copy never
has to restart because they wrote. It is written under a temporary name beside the target,
checked, and only then renamed into place, so a failed copy never leaves a half file named
like a project.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from annotator.domain.errors import BackupError
from annotator.storage.db import connect

T = TypeVar("T")


def copy_database(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` (replacing it); returns the copy's size in bytes."""
    try:
        checked_copy(source, target, lambda _copy: None)
    except CopyCheckFailed as exc:
        raise BackupError(f"{target}: the copy failed its integrity check ({exc})") from None
    except sqlite3.Error as exc:
        raise BackupError(f"{target}: could not copy the project ({exc})") from None
    except OSError as exc:
        raise BackupError(f"{target}: could not write the copy ({exc.strerror or exc})") from None
    return target.stat().st_size


def checked_copy(
    source: Path, target: Path, shape: Callable[[sqlite3.Connection], T], vacuum: bool = False
) -> T:
    """Back ``source`` up into a temporary file beside ``target``, let ``shape`` change the
    copy (in autocommit mode), optionally VACUUM it, check it, and only then rename it into
    place. Returns what ``shape`` returned; raises sqlite3.Error / OSError for the caller to
    name, and CopyCheckFailed if the copy fails SQLite's quick_check."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        reader = open_source(source)
        try:
            reader.execute("PRAGMA busy_timeout = 10000")
            writer = sqlite3.connect(partial, isolation_level=None)
            try:
                reader.backup(writer)
                reader.close()
                shaped = shape(writer)
                if vacuum:
                    writer.execute("VACUUM")
                checked = writer.execute("PRAGMA quick_check").fetchone()[0]
                if checked != "ok":
                    raise CopyCheckFailed(checked)
            finally:
                writer.close()
        finally:
            reader.close()
        fsync_file(partial)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return shaped


class CopyCheckFailed(Exception):
    """The copy failed SQLite's quick_check (the finding is the message)."""


def open_source(source: Path) -> sqlite3.Connection:
    """Read through an ordinary connection when we may: being the last to close it, it tidies
    away the ``-wal`` and ``-shm`` files a read-only one would leave; else read-only."""
    try:
        connection = connect(source)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.Error:
        return connect(source, read_only=True)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
