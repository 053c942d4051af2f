"""Writing a file all at once: into a temporary file beside it, then renamed over it.

A failed or cancelled export therefore never leaves half a file behind, and never destroys
the file an earlier export wrote.  Operating-system errors become ``ExportError`` messages
that name the file and say what went wrong in words a researcher understands.
"""

from __future__ import annotations

import errno
import os
import secrets
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
    if error.errno == errno.EROFS:
        return "the disk is read-only"
    return error.strerror or str(error)


def export_error(path: Path, error: OSError) -> ExportError:
    """An ``ExportError`` naming ``path`` and the reason ``error`` gives."""
    return ExportError(f"{path}: cannot write the export: {describe_os_error(error)}")


def _create_temporary(path: Path) -> Path:
    # Created with open(..., "x") rather than tempfile.mkstemp, so that the final file gets
    # the usual permissions (0o666 less the umask) instead of mkstemp's private 0o600.
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            with open(temporary, "xb"):
                return temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not find a free temporary file name", str(path))


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success rename it onto ``path``.

    On any error, including one raised by the caller inside the ``with`` block, the
    temporary file is removed and ``path`` keeps whatever it held before.  ``OSError`` is
    re-raised as ``ExportError`` naming ``path``; every other exception passes unchanged
    (so a cancellation raised from a progress callback reaches the caller as it is).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"{path}: cannot write the export: the folder {path.parent} does not exist")
    try:
        temporary = _create_temporary(path)
    except OSError as error:
        raise export_error(path, error) from error
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise export_error(path, error) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: Path) -> None:
    with suppress(OSError):
        os.remove(path)
