"""Creating a project file atomically: it appears complete (schema + codebook) or not at all.

The project is built under a hidden temporary name in the same folder and only then linked into
place, so a creation killed at any moment leaves either nothing or a leftover temporary file —
never a file with the project's name and no codebook. The temporary file only receives the
'application' mark in the same transaction as the codebook, so even renamed by hand a killed
creation is "not an Annotator project". Leftovers are removed by the next creation in that folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.domain.errors import ProjectError, ReadOnlyProjectError
from annotator.domain.model import Codebook
from annotator.storage.db import make_engine
from annotator.storage.health import folder_read_only
from annotator.storage.repositories import CodebookRepository, ProjectInfoRepository
from annotator.storage.schema import APPLICATION, upgrade

PARTIAL_SUFFIX = ".creating"
SIDECARS = ("-wal", "-shm", "-journal")
STALE_AFTER_S = 600  # a creation takes well under a second; older leftovers are dead for sure


def partial_name(path: Path) -> str:
    """A hidden name that no file dialog filtering on .annotator shows and no one mistakes."""
    return f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{PARTIAL_SUFFIX}"


def create_database(path: Path, codebook: Codebook) -> bool:
    """Create the complete project at ``path``; False if another process created it first."""
    path = Path(os.path.abspath(path))
    if not path.parent.is_dir():
        raise ProjectError(f"{path}: the folder {path.parent} does not exist")
    remove_stale_partials(path)
    partial = path.with_name(partial_name(path))
    try:
        # O_EXCL: our own empty file (an empty file is an empty SQLite database)
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except PermissionError:
        raise ReadOnlyProjectError(path, folder_read_only(path)) from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot create the project ({exc.strerror})") from None
    try:
        _build(partial, codebook)
        return _publish(partial, path)
    finally:
        _remove_with_sidecars(partial)


def _build(partial: Path, codebook: Codebook) -> None:
    engine = make_engine(partial)
    try:
        upgrade(engine)
        with Session(engine) as session, session.begin():
            CodebookRepository(session).save(codebook)
            info = ProjectInfoRepository(session)
            info.set("created_at", datetime.now().isoformat(timespec="seconds"))
            info.set("application", APPLICATION)  # the mark of a complete project, committed last
        with engine.connect() as connection:
            # fold the WAL back in so the published file is complete on its own
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())


def _publish(partial: Path, path: Path) -> bool:
    """Give the built file its name without ever replacing a file that appeared meanwhile."""
    try:
        os.link(partial, path)  # atomic, and fails if the name exists
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (FAT, some network shares)
        if path.exists():
            return False
        os.replace(partial, path)
    _sync_folder(path.parent)
    return True


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_with_sidecars(partial: Path) -> None:
    for name in (partial, *(Path(f"{partial}{suffix}") for suffix in SIDECARS)):
        with contextlib.suppress(OSError):
            name.unlink(missing_ok=True)


def remove_stale_partials(path: Path) -> list[Path]:
    """Delete what killed creations of ``path`` left behind; returns what was removed."""
    prefix = f".{path.name}."
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(PARTIAL_SUFFIX)):
            continue
        middle = entry.name[len(prefix):-len(PARTIAL_SUFFIX)]
        if _is_stale(Path(entry.path), middle.split("-", 1)[0]):
            _remove_with_sidecars(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def _is_stale(partial: Path, pid_text: str) -> bool:
    try:
        age = time.time() - partial.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER_S:
        return True
    if sys.platform == "win32" or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
