"""The Excel writer: streams :class:`~annotator.io.export.sheets.Sheet` rows into an .xlsx file.

Uses openpyxl's write-only workbook, so memory stays flat however many rows there are.
Each sheet gets a bold, frozen header row with an autofilter over all rows, and column
widths chosen from the header and the column type (the data is never measured: one pass).

Cell values follow :mod:`annotator.io.export.cells`.  Text cells are always stored as
strings: openpyxl on its own turns a string starting with ``=`` into a formula and
``"#N/A"`` into an error value, so such texts, and every text starting with one of
``= + - @`` tab or carriage return, are written as explicit inline-string cells that also
carry Excel's "quote prefix" flag (the cell shows the text and stays text when edited).
The text itself is written unchanged, without the ``'`` that the CSV writer adds.

Dates before 1900 cannot be Excel dates; they are written as ISO text (``"1899-12-31"``).
Whole numbers beyond ±2**53 would lose digits as Excel numbers; they are written as text.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import UTC, date, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from annotator.domain.errors import ExportError
from annotator.io.export.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FORMULA_TRIGGERS,
    bad_value_error,
    clean_text,
    to_boolean,
    to_date,
    to_datetime,
    to_integer,
    to_number,
    to_text,
)
from annotator.io.export.files import replacing
from annotator.io.export.sheets import Column, ColumnType, Sheet, unique_names
from annotator.io.export.xlsx_charts import add_charts

Progress = Callable[[str, int], None]
"""Called with the sheet's name and the number of rows written so far."""

PROGRESS_EVERY = 1000

DEFAULT_WIDTHS: dict[ColumnType, float] = {
    ColumnType.TEXT: 40,
    ColumnType.INTEGER: 10,
    ColumnType.NUMBER: 12,
    ColumnType.DATE: 12,
    ColumnType.DATETIME: 20,
    ColumnType.BOOLEAN: 8,
    ColumnType.VALUE: 12,
}
SWATCH_WIDTH = 10
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows, less the header
EXCEL_MAX_COLUMNS = 16_384
MAX_AUTO_WIDTH = 60
FILTER_BUTTON_WIDTH = 3  # room for the autofilter's drop-down arrow beside the header

_SHEET_TITLE_LIMIT = 31
_SHEET_TITLE_FORBIDDEN_RE = re.compile(r"[\\/?*:\[\]]")
_SWATCH_RE = re.compile(r"#[0-9A-Fa-f]{6}")
_SWATCH_CACHE_LIMIT = 4096
_EXACT_INTEGER_LIMIT = 2**53
_EXCEL_FIRST_YEAR = 1900
_NEEDS_STRING_CELL = FORMULA_TRIGGERS
_ERROR_CODES = frozenset(ERROR_CODES)


def write_workbook(path: Path, sheets: Iterable[Sheet], progress: Progress | None = None) -> dict[str, int]:
    """Write ``sheets`` into the workbook at ``path``, replacing it only once all is written.

    Returns the number of data rows written per sheet, keyed by :attr:`Sheet.name`.  Sheet
    names are made valid for Excel (at most 31 characters, none of ``\\ / ? * : [ ]``,
    unique regardless of case) for the tab titles; two sheets with the same ``name`` are an
    error.  ``progress(sheet_name, rows_written)`` is called every 1000 rows and once at the
    end of each sheet; an exception it raises (a cancellation) aborts the export and
    propagates unchanged.

    Raises ``ExportError`` naming ``path`` if the folder is missing, the file cannot be
    written (no permission, open and locked in Excel, disk full), no sheet was given, or a
    value does not fit its column.  In every failure ``path`` keeps what it held before and
    no temporary file is left behind.
    """
    path = Path(path)
    counts: dict[str, int] = {}
    with replacing(path) as temporary:
        scratch = temporary.parent  # our part folder: the sheets are streamed into it too
        workbook = Workbook(write_only=True)
        try:
            titles: set[str] = set()
            for sheet in sheets:
                if sheet.name in counts:
                    raise ExportError(f"{path}: two sheets are named {sheet.name!r}")
                worksheet = workbook.create_sheet(title=sheet_title(sheet.name, titles))
                scratch_file = scratch / f"sheet{len(counts) + 1}.xml"
                try:
                    counts[sheet.name] = _write_sheet(worksheet, sheet, progress, scratch_file)
                except ExportError as error:
                    raise ExportError(f"{path}: {error}") from error
            if not counts:
                raise ExportError(f"{path}: nothing to export: no sheets were given")
            _save(workbook, temporary)
        except BaseException as error:
            _discard(workbook)
            failure = _write_failure(error)
            if failure is not None:
                raise failure from error
            raise
    return counts


def _write_failure(error: BaseException) -> OSError | None:
    """The ``OSError`` behind ``error`` when lxml, which openpyxl streams sheets with, reports
    a failed write its own way (``SerialisationError: IO_ENOSPC``), so that the user reads
    "the disk is full" rather than an lxml error code."""
    if isinstance(error, OSError) or type(error).__name__ != "SerialisationError":
        return None
    code_name = str(error).strip()
    if not code_name.startswith("IO_"):
        return None
    code = getattr(errno, code_name[3:], errno.EIO)
    return OSError(code, os.strerror(code))


def _save(workbook: Workbook, target: Path) -> None:
    """``workbook.save(target)``, but closing the zip archive and the file on failure too.

    openpyxl leaves a failed archive open; its ``__del__`` then tries to finish it on a
    full disk and prints "Exception ignored in ZipFile.__del__". Here the archive is closed
    at once (its central directory is dropped with the part folder) and nothing is left for
    the garbage collector to complain about.
    """
    stream = open(target, "wb")  # noqa: SIM115 - closed below on every path
    try:
        archive = ZipFile(stream, "w", ZIP_DEFLATED, allowZip64=True)
        try:
            workbook.properties.modified = datetime.now(UTC).replace(tzinfo=None)
            ExcelWriter(workbook, archive).save()
        except BaseException:
            with suppress(Exception):
                archive.close()  # sets its file to None even when the final write fails
            raise
        stream.close()  # the last buffered bytes: a full disk may still show here
    except BaseException:
        with suppress(Exception):
            stream.close()
        raise


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel-valid tab title for ``name``, not in ``taken`` (compared case-blind); the
    title's case-folded form is added to ``taken``."""
    title = _SHEET_TITLE_FORBIDDEN_RE.sub("_", clean_text(name)).strip().strip("'").strip()
    title = title[:_SHEET_TITLE_LIMIT] or "Sheet"
    if title.casefold() == "history":  # reserved by Excel
        title = "History_"
    candidate, number = title, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = title[: _SHEET_TITLE_LIMIT - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def column_width(column: Column, swatch: bool = False) -> float:
    """The width of ``column``: its own, or one from its type widened for a long header."""
    if column.width is not None:
        return column.width
    base = SWATCH_WIDTH if swatch else DEFAULT_WIDTHS[column.type]
    header = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in column.name)
    return float(max(base, min(header + FILTER_BUTTON_WIDTH, MAX_AUTO_WIDTH)))


# ---------------------------------------------------------------------------- one sheet


def _write_sheet(worksheet, sheet: Sheet, progress: Progress | None, scratch_file: Path | None = None) -> int:
    columns = list(sheet.columns)
    if not columns:
        raise ExportError(f"sheet {sheet.name!r} has no columns")
    names = [column.name for column in columns]
    if sheet.swatch_column is not None and sheet.swatch_column not in names:
        raise ExportError(
            f"sheet {sheet.name!r}: the swatch column {sheet.swatch_column!r} is not one of its columns"
        )
    if len(columns) > EXCEL_MAX_COLUMNS:
        raise ExportError(
            f"sheet {sheet.name!r} has {len(columns):,} columns; Excel holds at most {EXCEL_MAX_COLUMNS:,}"
        )
    last_letter = get_column_letter(len(columns))

    # In a write-only sheet, column widths and panes go out with the first row: set them now.
    for index, column in enumerate(columns, 1):
        swatch = column.name == sheet.swatch_column
        worksheet.column_dimensions[get_column_letter(index)].width = column_width(column, swatch)
    worksheet.freeze_panes = "A2"
    if scratch_file is not None:
        _stream_into(worksheet, scratch_file)
    headers = unique_names(clean_text(column.name) for column in columns)  # never two alike
    worksheet.append([_header_cell(worksheet, name) for name in headers])

    makers = [
        _swatch_maker(worksheet) if column.name == sheet.swatch_column else _maker(worksheet, column)
        for column in columns
    ]
    width = len(makers)
    append = worksheet.append
    written = 0
    for written, row in enumerate(sheet.rows, 1):
        if len(row) > width:
            raise ExportError(f"sheet {sheet.name!r}, row {written}: {len(row)} values for {width} columns")
        if written > EXCEL_MAX_DATA_ROWS:
            raise ExportError(
                f"sheet {sheet.name!r} has more than {EXCEL_MAX_DATA_ROWS:,} rows, more than Excel "
                "can hold; export it as CSV instead"
            )
        try:
            cells = [make(value) for make, value in zip(makers, row, strict=False)]  # short rows end early
        except (TypeError, ValueError, OverflowError) as error:
            raise bad_value_error(sheet.name, written, columns, makers, row, error) from error
        append(cells)
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(sheet.name, written)

    # The autofilter is written after the rows, when the sheet is closed, so the final
    # row count can be set here, at the end of the stream.
    worksheet.auto_filter.ref = f"A1:{last_letter}{written + 1}"
    add_charts(worksheet, sheet, written)  # drawn when the sheet is closed, like the filter
    if progress is not None and (written == 0 or written % PROGRESS_EVERY):
        progress(sheet.name, written)
    return written


def _stream_into(worksheet, scratch_file: Path) -> None:
    """Stream a write-only sheet into ``scratch_file`` instead of the system's temp folder.

    openpyxl creates a sheet's stream on its first row, in a temporary file of its own
    (``tempfile`` in the system temp folder) that a killed export leaves behind. The stream
    is created here the same way, only on our file (it must come after the column widths
    and panes, which it writes first). openpyxl lists the file for removal at exit and
    takes it off that list when the sheet is saved.
    """
    out = str(scratch_file)
    ALL_TEMP_FILES.append(out)
    worksheet._writer = WorksheetWriter(worksheet, out=out)
    worksheet._writer.write_top()


def _discard(workbook: Workbook) -> None:
    """Close and delete the temporary files openpyxl streams each sheet into."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        if writer is None:
            continue
        with suppress(Exception):
            worksheet.close()
        with suppress(Exception):
            writer.close()
        with suppress(Exception):
            writer.cleanup()


# --------------------------------------------------------------------------------- cells
#
# A "maker" turns one raw value into what is appended to the row: a plain value when
# openpyxl's own typing is right (numbers, ordinary text: fastest), or one of a few
# WriteOnlyCell objects made once per column and reused for every row (styled cells:
# dates, forced strings, swatches).  Reuse is safe because openpyxl writes each row as it
# is appended and never binds other values into a styled cell; the value is stored with
# ``_value`` because the public setter re-infers the type (and would make "=..." a formula).

_BOLD = Font(bold=True)


def _string_cell(worksheet, quote_prefix: bool = True) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value="text")
    cell.data_type = "s"
    if quote_prefix:
        cell.quotePrefix = True
    return cell


def _header_cell(worksheet, name: str) -> WriteOnlyCell:
    text = clean_text(name)
    cell = _string_cell(worksheet, quote_prefix=text[:1] in _NEEDS_STRING_CELL)
    cell.font = _BOLD
    cell._value = text
    return cell


def _maker(worksheet, column: Column) -> Callable[[object], object]:
    kind = ColumnType(column.type)
    if kind is ColumnType.TEXT:
        return _text_maker(worksheet)
    if kind is ColumnType.INTEGER:
        return _integer
    if kind is ColumnType.NUMBER:
        return to_number
    if kind is ColumnType.BOOLEAN:
        return to_boolean
    if kind is ColumnType.DATE:
        return _date_maker(worksheet, to_date, date(2000, 1, 1), DATE_FORMAT)
    if kind is ColumnType.DATETIME:
        return _date_maker(worksheet, to_datetime, datetime(2000, 1, 1), DATETIME_FORMAT)
    if kind is ColumnType.VALUE:
        return _value_maker(worksheet)
    raise ExportError(f"column {column.name!r}: unknown column type {kind!r}")


def _integer(value: object) -> object:
    number = to_integer(value)
    if number is None or -_EXACT_INTEGER_LIMIT < number < _EXACT_INTEGER_LIMIT:
        return number
    return str(number)


def _text_maker(worksheet) -> Callable[[object], object]:
    guarded = _string_cell(worksheet)

    def make(value: object) -> object:
        text = to_text(value)
        if text is None:
            return None
        if text[0] in _NEEDS_STRING_CELL or text in _ERROR_CODES:
            guarded._value = text
            return guarded
        return text

    return make


def _value_maker(worksheet) -> Callable[[object], object]:
    """A VALUE cell: numbers as numbers, everything else as a guarded text."""
    text_maker = _text_maker(worksheet)

    def make(value: object) -> object:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return _integer(value)
        if isinstance(value, float):
            return to_number(value)
        return text_maker(value)

    return make


def _date_maker(worksheet, convert, sample, number_format) -> Callable[[object], object]:
    cell = WriteOnlyCell(worksheet, value=sample)  # data_type "d"
    cell.number_format = number_format

    def make(value: object) -> object:
        moment = convert(value)
        if moment is None:
            return None
        if moment.year < _EXCEL_FIRST_YEAR:
            return moment.isoformat(sep=" ") if isinstance(moment, datetime) else moment.isoformat()
        cell._value = moment
        return cell

    return make


def _swatch_maker(worksheet) -> Callable[[object], object]:
    text_maker = _text_maker(worksheet)
    swatches: dict[str, WriteOnlyCell] = {}

    def make(value: object) -> object:
        text = to_text(value)
        if text is None or not _SWATCH_RE.fullmatch(text):
            return text_maker(text)
        cell = swatches.get(text)
        if cell is None:
            cell = _string_cell(worksheet, quote_prefix=False)
            cell.fill = PatternFill(fill_type="solid", fgColor="FF" + text[1:].upper())
            if len(swatches) < _SWATCH_CACHE_LIMIT:
                swatches[text] = cell
        cell._value = text
        return cell

    return make
