"""Writing a file all at once: into a temporary part folder beside it, then renamed over it.

A failed or cancelled export therefore never leaves half a file behind, and never destroys
the file an earlier export wrote; a killed one leaves one recognisable part folder
(``.OUT.xlsx.part-1a2b3c4d``) that the next export removes.  Operating-system errors become
``ExportError`` messages that name the file and say what went wrong in words a researcher
understands.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from annotator.domain.errors import ExportError


def describe_os_error(error: OSError) -> str:
    """A short reason for ``error``, for an ``ExportError`` message."""
    if isinstance(error, FileNotFoundError):
        return "the folder does not exist"
    if isinstance(error, IsADirectoryError):
        return "a folder with that name is in the way"
    if isinstance(error, NotADirectoryError):
        return "part of the path is a file, not a folder"
    if isinstance(error, PermissionError) or getattr(error, "winerror", None) in (5, 32, 33):
        return (
            "permission denied: the file may be open in another program (close it in "
            "Excel and try again), or the folder is read-only"
        )
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.EFBIG:
        return "the file is larger than this disk or the system allows"
    if error.errno == getattr(errno, "EDQUOT", None):
        return "the disk quota is used up"
    if error.errno == errno.EROFS:
        return "the disk is read-only"
    return error.strerror or str(error)


def export_error(path: Path, error: OSError) -> ExportError:
    """An ``ExportError`` naming ``path`` and the reason ``error`` gives."""
    return ExportError(f"{path}: cannot write the export: {describe_os_error(error)}; it was not written")


#: A part folder is named ``.OUT.xlsx.part-1a2b3c4d``; it holds this lock file while in use.
PART_MARK = ".part-"
LOCK_NAME = "annotator-export.lock"
#: A part folder without its lock file is being set up, or was left by a kill at that very
#: moment: it is only removed once it is this old.
UNLOCKED_GRACE_SECONDS = 60


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path for ``path``; on success rename it onto ``path``.

    The temporary file lies in a *part folder* beside ``path``, ``.NAME.part-XXXXXXXX``,
    which the writer may also use for its own scratch files (the workbook's sheets), so a
    killed export leaves at most that one recognisable folder behind; the next export into
    the same folder removes it (:func:`remove_stale_parts`). The part folder holds a lock
    while in use, so an export running at the same moment is never disturbed.

    On any error, including one raised by the caller inside the ``with`` block, the part
    folder is removed and ``path`` keeps whatever it held before.  ``OSError`` is re-raised
    as ``ExportError`` naming ``path``; every other exception passes unchanged (so a
    cancellation raised from a progress callback reaches the caller as it is).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"{path}: cannot write the export: the folder {path.parent} does not exist")
    remove_stale_parts(path.parent)
    try:
        folder, lock = _create_part_folder(path)
    except OSError as error:
        raise export_error(path, error) from error
    try:
        yield folder / path.name
        os.replace(folder / path.name, path)
    except OSError as error:
        raise export_error(path, error) from error
    finally:
        _release(lock)
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the part folders in ``folder`` that killed exports left behind; returns them.

    Only folders of our own are touched (named ``.NAME.part-XXXXXXXX`` with our lock file
    inside), and only when no running export holds their lock.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and PART_MARK in entry.name):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            part = Path(entry.path)
            lock_path = part / LOCK_NAME
            if lock_path.exists():
                lock = os.open(lock_path, os.O_RDWR)
                if not _try_lock(lock):
                    os.close(lock)
                    continue  # in use by a running export
                _release(lock)
            elif time.time() - entry.stat(follow_symlinks=False).st_mtime < UNLOCKED_GRACE_SECONDS:
                continue
        except OSError:
            continue
        shutil.rmtree(part, ignore_errors=True)
        removed.append(part)
    return removed


def _create_part_folder(path: Path) -> tuple[Path, int]:
    """A new part folder for ``path``, and the open, locked descriptor of its lock file."""
    for _ in range(100):
        folder = path.with_name(f".{path.name}{PART_MARK}{secrets.token_hex(4)}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        try:
            lock = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            _try_lock(lock)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder, lock
    raise FileExistsError(errno.EEXIST, "could not find a free temporary folder name", str(path))


def _try_lock(descriptor: int) -> bool:
    """Take the lock on an open lock file without waiting; False if another process has it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _release(descriptor: int) -> None:
    """Closing the file releases its lock (on Windows too)."""
    with suppress(OSError):
        os.close(descriptor)
