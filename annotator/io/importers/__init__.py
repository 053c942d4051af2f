"""Importers: files (.txt .md .html .htm .docx .pdf .csv .xlsx .jsonl) to ``NewDocument``s.

Each format lives in its own module with a ``read(path, data, options)`` function; they are
imported only when a file of that kind is read, so heavy libraries (trafilatura, pypdf,
openpyxl) do not slow down the application's start.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path

from annotator.domain.model import NewDocument
from annotator.io.importers.files import (
    READER_MODULES,
    SUPPORTED_SUFFIXES,
    FileScan,
    PathProblem,
    check_text_size,
    collect_files,
    read_checked_bytes,
    scan_paths,
)
from annotator.io.importers.options import ImportOptions
from annotator.io.importers.zip_limits import check_package

__all__ = [
    "SUPPORTED_SUFFIXES", "FileScan", "ImportOptions", "PathProblem", "collect_files",
    "read_articles", "scan_paths",
]

Reader = Callable[[Path, bytes, ImportOptions], list[NewDocument]]


def read_articles(path: Path, options: ImportOptions = ImportOptions()) -> list[NewDocument]:
    """Read one file into one or more articles (csv/xlsx/jsonl give one per row/line).

    Raises ImportFileError(path, reason) with a reason a researcher can act on when the file
    is missing, of an unknown type, empty, too big, binary, unreadable, or holds no text.
    """
    path = Path(path)
    data = read_checked_bytes(path, options)
    check_package(path, data)  # zip bombs are refused before any parser sees them
    articles = _reader(path.suffix.lower())(path, data, options)
    check_text_size(path, articles, options)
    return articles


@functools.cache
def _reader(suffix: str) -> Reader:
    module = importlib.import_module(f"{__name__}.{READER_MODULES[suffix]}")
    reader: Reader = module.read
    return reader
