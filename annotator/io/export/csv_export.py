"""The CSV writer: one UTF-8 CSV file per :class:`~annotator.io.export.sheets.Sheet`.

Files are UTF-8 with a byte-order mark (``utf-8-sig``) so that Excel on Windows recognises
the encoding (Urdu, Chinese and emoji survive), comma-separated, quoted only where needed
by Python's :mod:`csv` module (texts with commas, quotes or line breaks), lines ending in
CRLF.  Values follow :mod:`annotator.io.export.cells`, as in the workbook:

- TEXT: forbidden characters removed, cut at Excel's cell limit with a marker, and, if it
  starts with ``= + - @`` tab or carriage return, prefixed with a single quote ``'`` (the
  OWASP rule against CSV injection; the quote is then part of the value, and the cut
  leaves room for it: a cell never exceeds 32,767 characters);
- INTEGER and NUMBER: plain numbers (``-5`` stays ``-5``); NaN and infinity are empty;
- DATE: ``2024-03-01``; DATETIME: ``2024-03-01 14:05:09`` (UTC if the value had a zone,
  whole seconds, the same as the workbook shows);
- BOOLEAN: ``1`` / ``0``; missing values: empty.

Each file is written to a temporary file beside it and renamed into place, so a file is
either the old one or the complete new one; when an export fails part-way, the sheets
before the failing one have already been replaced.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from annotator.domain.errors import ExportError
from annotator.io.export.cells import (
    bad_value_error,
    clean_text,
    csv_text,
    to_boolean,
    to_date,
    to_datetime,
    to_integer,
    to_number,
    to_value,
)
from annotator.io.export.files import export_error, replacing
from annotator.io.export.sheets import Column, ColumnType, Sheet, unique_names

Progress = Callable[[str, int], None]
PROGRESS_EVERY = 1000

_FILE_NAME_LIMIT = 100
_FILE_NAME_FORBIDDEN_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(1, 10)} | {f"lpt{n}" for n in range(1, 10)}
)


def write_csv_folder(
    folder: Path, sheets: Iterable[Sheet], progress: Progress | None = None
) -> dict[str, Path]:
    """Write one CSV file per sheet into ``folder`` (created if missing).

    Returns the path written per sheet, keyed by :attr:`Sheet.name`.  File names come from
    the sheet names, made safe for Windows, macOS and Linux and unique regardless of case;
    two sheets with the same ``name`` are an error.  ``progress(sheet_name, rows_written)``
    is called every 1000 rows and once at the end of each sheet.

    Raises ``ExportError`` naming the folder or file if it cannot be created or written, if
    no sheet was given, or if a value does not fit its column.  A file that fails keeps its
    previous content and leaves no temporary file behind.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise export_error(folder, error) from error
    written: dict[str, Path] = {}
    taken: set[str] = set()
    for sheet in sheets:
        if sheet.name in written:
            raise ExportError(f"{folder}: two sheets are named {sheet.name!r}")
        path = folder / csv_file_name(sheet.name, taken)
        with (
            replacing(path) as temporary,
            open(temporary, "w", encoding="utf-8-sig", newline="") as stream,
        ):
            try:
                _write_sheet(stream, sheet, progress)
            except ExportError as error:
                raise ExportError(f"{path}: {error}") from error
        written[sheet.name] = path
    if not written:
        raise ExportError(f"{folder}: nothing to export: no sheets were given")
    return written


def csv_file_name(name: str, taken: set[str]) -> str:
    """A safe ``.csv`` file name for sheet ``name``, not in ``taken`` (compared case-blind);
    the name's case-folded form is added to ``taken``."""
    stem = _FILE_NAME_FORBIDDEN_RE.sub("_", clean_text(name)).strip().rstrip(". ")
    stem = stem[:_FILE_NAME_LIMIT].rstrip(". ") or "sheet"
    if stem.split(".")[0].casefold() in _WINDOWS_RESERVED:
        stem = "_" + stem
    candidate, number = f"{stem}.csv", 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}).csv"
    taken.add(candidate.casefold())
    return candidate


def _write_sheet(stream, sheet: Sheet, progress: Progress | None) -> int:
    columns = list(sheet.columns)
    if not columns:
        raise ExportError(f"sheet {sheet.name!r} has no columns")
    writer = csv.writer(stream)
    writer.writerow([csv_text(name) for name in unique_names(clean_text(c.name) for c in columns)])
    formatters = [_formatter(column) for column in columns]
    width = len(formatters)
    writerow = writer.writerow
    written = 0
    for written, row in enumerate(sheet.rows, 1):
        if len(row) > width:
            raise ExportError(f"sheet {sheet.name!r}, row {written}: {len(row)} values for {width} columns")
        try:
            values = [
                format_(value) for format_, value in zip(formatters, row, strict=False)
            ]  # short rows end early
        except (TypeError, ValueError, OverflowError) as error:
            raise bad_value_error(sheet.name, written, columns, formatters, row, error) from error
        writerow(values)
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(sheet.name, written)
    if progress is not None and (written == 0 or written % PROGRESS_EVERY):
        progress(sheet.name, written)
    return written


def _formatter(column: Column) -> Callable[[object], object]:
    kind = ColumnType(column.type)
    if kind is ColumnType.TEXT:
        return _text
    if kind is ColumnType.INTEGER:
        return to_integer
    if kind is ColumnType.NUMBER:
        return to_number
    if kind is ColumnType.BOOLEAN:
        return to_boolean
    if kind is ColumnType.DATE:
        return _date
    if kind is ColumnType.DATETIME:
        return _datetime
    if kind is ColumnType.VALUE:
        return _value
    raise ExportError(f"column {column.name!r}: unknown column type {kind!r}")


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = csv_text(value if type(value) is str else str(value))
    return text or None


def _value(value: object) -> object:
    """A VALUE cell: numbers as numbers, everything else as TEXT."""
    converted = to_value(value)
    return _text(converted) if isinstance(converted, str) else converted


def _date(value: object) -> str | None:
    day: date | None = to_date(value)
    return None if day is None else day.isoformat()


def _datetime(value: object) -> str | None:
    moment: datetime | None = to_datetime(value)
    return None if moment is None else moment.isoformat(sep=" ", timespec="seconds")
