"""Excel .xlsx workbooks: the first worksheet, one article per row under a header row."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.columns import Columns, article, find_columns, no_text_reason
from annotator.io.importers.fields import to_text
from annotator.io.importers.options import ImportOptions

_CANNOT_READ = (
    "cannot read this Excel workbook (it may be damaged, password-protected or an old .xls "
    "file); save it again as .xlsx"
)


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportFileError(path, _CANNOT_READ)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on odd packages
        raise ImportFileError(path, _CANNOT_READ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(path, "has no worksheet")
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return _articles(path, rows, options)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(path, _CANNOT_READ) from exc
    finally:
        workbook.close()


def _articles(path: Path, rows: Iterator[Sequence[object]], options: ImportOptions) -> list[NewDocument]:
    columns: Columns | None = None
    articles: list[NewDocument] = []
    number = 0
    for row in rows:
        if columns is None:
            if any(to_text(cell).strip() for cell in row):
                names = [to_text(cell) for cell in row]
                columns = find_columns(names, options, path)
                if not columns.has_text():
                    raise ImportFileError(path, no_text_reason(names, options))
            continue
        number += 1
        found = article(path, columns, row, "row", number)
        if found is not None:
            articles.append(found)
    if columns is None:
        raise ImportFileError(path, "has no header row (the first worksheet is empty)")
    if not articles:
        name = columns.names[columns.roles["text"]].strip()
        raise ImportFileError(path, f"has no article: every row's '{name}' is empty")
    return articles
