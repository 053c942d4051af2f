"""The two kinds of copy target, prepared so that a failed copy leaves nothing behind.

A file is built under a hidden temporary name in its folder and linked into place only once
the copy is verified (as a new project is, see ``creation``); a server database must be empty,
and the copy runs in one transaction there (see ``copy``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy import Engine, inspect

from annotator.domain.errors import CopyError
from annotator.domain.location import ServerLocation
from annotator.storage.copy import Progress, TableCheck, copy_database
from annotator.storage.creation import SIDECARS, partial_name
from annotator.storage.db import make_engine
from annotator.storage.server import make_server_engine


def copy_to_server(
    source_engine: Engine, target: ServerLocation, progress: Progress | None = None
) -> dict[str, TableCheck]:
    engine = make_server_engine(target)
    try:
        with engine.connect() as connection:
            existing = inspect(connection).get_table_names()
        if existing:
            raise CopyError(
                f"{target}: the database is not empty ({len(existing)} table(s)); "
                "copy into a new, empty database"
            )
        return copy_database(source_engine, engine, progress)
    finally:
        engine.dispose()


def copy_to_file(
    source_engine: Engine, target: Path, progress: Progress | None = None
) -> dict[str, TableCheck]:
    target = Path(os.path.abspath(target))
    if target.exists():
        raise CopyError(f"{target}: a file of that name exists already; copy into a new file")
    if not target.parent.is_dir():
        raise CopyError(f"{target}: the folder {target.parent} does not exist")
    partial = target.with_name(partial_name(target))
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise CopyError(f"{target}: cannot create the file ({exc.strerror})") from None
    try:
        engine = make_engine(partial)
        try:
            checks = copy_database(source_engine, engine, progress)
            with engine.connect() as connection:  # the file complete on its own, no -wal beside it
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(partial, target)  # atomic, and never replaces a file that appeared meanwhile
        except FileExistsError:
            raise CopyError(
                f"{target}: a file of that name appeared meanwhile; nothing was replaced"
            ) from None
        return checks
    finally:
        for name in (partial, *(Path(f"{partial}{s}") for s in SIDECARS)):
            with contextlib.suppress(OSError):
                name.unlink(missing_ok=True)
