"""Walking the paths a user named for an import, and saying why a file cannot be read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path


def files_in(paths: Iterable[Path], suffixes: set[str]) -> Iterator[Path]:
    """Named files as they are; folders searched recursively for files with these suffixes."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
        else:
            yield path


def why(exc: Exception) -> str:
    """An OSError or a decoding error as a short reason."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 at byte {exc.start}"
    return getattr(exc, "strerror", None) or str(exc)
