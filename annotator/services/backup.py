"""Save a copy of a project: `annotator backup` and File -> Save a Copy, safe while it is open.

The copy is SQLite's online backup of one consistent moment, checked and then renamed into
place; the app and other commands may go on reading and writing the project meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from annotator.domain.errors import BackupError
from annotator.domain.location import ServerLocation, display_location, is_server_url
from annotator.storage.backup import copy_database
from annotator.storage.schema import read_revision


@dataclass(frozen=True)
class BackupSummary:
    source: str
    target: str
    size: int  # bytes
    seconds: float


def backup_project(source: Path | str, out: Path | str, force: bool = False) -> BackupSummary:
    """Copy the project ``source`` to ``out``; an existing ``out`` is replaced only if ``force``."""
    if is_server_url(str(source)) or isinstance(source, ServerLocation):
        raise BackupError(
            f"{display_location(str(source))}: a project on a server is backed up by the server "
            "(pg_dump); to save it as a file, use `annotator copy` with a new .annotator file as TARGET"
        )
    source, out = Path(source), Path(out)
    started = time.perf_counter()
    read_revision(source)  # a clear refusal for anything that is not a project
    if out.is_dir():
        raise BackupError(f"{out}: is a folder; give the name of the copy to make")
    if out.exists() and out.resolve() == source.resolve():
        raise BackupError(f"{out}: a copy cannot replace the project itself")
    if out.exists() and not force:
        raise BackupError(f"{out}: a file of that name exists already (use --force to replace it)")
    if Path(f"{out}-wal").exists():
        raise BackupError(f"{out}: is open in a program (its -wal file is beside it); close it first")
    if not out.parent.is_dir():
        raise BackupError(f"{out}: the folder {out.parent} does not exist")
    size = copy_database(source, out)
    return BackupSummary(str(source), str(out), size, time.perf_counter() - started)


def backup_steps(
    source: Path, out: Path, cancel: Event | None = None
) -> Generator[str, None, BackupSummary | None]:
    """File -> Save a Copy on the app's worker thread (the dialog already asked to replace)."""
    yield f"Saving a copy as {Path(out).name}"
    if cancel is not None and cancel.is_set():
        return None
    return backup_project(source, out, force=True)
