"""Which files an import covers, and reading one file's bytes with the size checks."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.io.importers.options import ImportOptions

READER_MODULES: dict[str, str] = {
    ".txt": "plain",
    ".md": "plain",
    ".html": "html",
    ".htm": "html",
    ".docx": "word",
    ".pdf": "pdf",
    ".csv": "csv_table",
    ".xlsx": "excel",
    ".jsonl": "jsonl",
}
"""File suffix -> module of this package whose ``read`` imports it."""

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READER_MODULES)

_ORDERED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".csv", ".xlsx", ".jsonl")

_HINTS: dict[str, str] = {
    ".doc": "save it as .docx in Word and import that",
    ".rtf": "save it as .docx in Word and import that",
    ".odt": "save it as .docx and import that",
    ".pages": "export it as .docx and import that",
    ".xls": "save it as .xlsx in Excel and import that",
    ".ods": "save it as .xlsx and import that",
    ".json": "write one JSON object per line and name the file .jsonl",
    ".ndjson": "rename it to .jsonl",
    ".xhtml": "rename it to .html",
}
"""Document-like files a folder import lists so they are refused with advice, not skipped."""

_FOLDER_SUFFIXES = SUPPORTED_SUFFIXES | frozenset(_HINTS)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders recursively (sorted, skipping hidden files/dirs like .git and ~$ lock files).

    Files given directly are kept as given, even with unknown suffixes or missing, so the
    import can refuse them with a reason. In folders only importable files (and a few
    document types that get advice, such as .doc) are picked up.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            # one resolve per folder, not per file: a folder import of thousands stays fast
            root = _identity(path)
            candidates = [(file, root / file.relative_to(path)) for file in _walk(path)]
        else:
            candidates = [(path, _identity(path))]
        for file, key in candidates:
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        files.extend(
            Path(root, name)
            for name in names
            if not _hidden(name) and Path(name).suffix.lower() in _FOLDER_SUFFIXES
        )
    return sorted(files, key=lambda f: _sort_key(f.relative_to(folder)))


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _sort_key(relative: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(p.casefold() for p in relative.parts), relative.parts


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def unsupported_reason(suffix: str) -> str:
    kind = suffix.lower() if suffix else "(no extension)"
    reason = f"unsupported file type {kind}; Annotator imports " + ", ".join(_ORDERED_SUFFIXES)
    hint = _HINTS.get(suffix.lower())
    return f"{reason}; {hint}" if hint else reason


def read_checked_bytes(path: Path, options: ImportOptions) -> bytes:
    """The file's bytes, or ImportFileError when it is missing, unknown, empty or too big."""
    try:
        with path.open("rb") as stream:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise ImportFileError(path, unsupported_reason(path.suffix))
            size = os.fstat(stream.fileno()).st_size
            if size > options.max_bytes:
                raise ImportFileError(path, _too_big(size, options.max_bytes))
            data = stream.read(options.max_bytes + 1)
    except FileNotFoundError:
        raise ImportFileError(path, "file not found") from None
    except IsADirectoryError:
        raise ImportFileError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise ImportFileError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise ImportFileError(path, "the file is empty")
    if len(data) > options.max_bytes:  # it grew while we looked
        raise ImportFileError(path, _too_big(len(data), options.max_bytes))
    return data


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {human_size(size)}, over the import limit of {human_size(limit)}; "
        "split it into smaller files"
    )


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    unit = "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"
