"""Safety and conversion rules for single cell values, shared by the XLSX and CSV writers.

Pure functions, no I/O:

- :func:`clean_text` removes what XML 1.0 forbids and cuts text that would not fit in an
  Excel cell, leaving a visible marker;
- :func:`looks_like_formula` and :func:`csv_safe_text` guard against formula injection;
- :func:`to_text`, :func:`to_integer`, :func:`to_number`, :func:`to_date`,
  :func:`to_datetime` and :func:`to_boolean` convert a value for its
  :class:`~annotator.io.export.sheets.ColumnType`; :func:`converter` picks one.

The converters raise :class:`TypeError` or :class:`ValueError` for a value that does not fit
its column; the writers turn that into an ``ExportError`` naming the sheet, row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from annotator.domain.errors import ExportError
from annotator.io.export.sheets import Column, ColumnType

EXCEL_CELL_LIMIT = 32_767
"""The most characters (UTF-16 code units) an Excel cell holds."""

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
"""First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
(OWASP "CSV injection")."""

# XML 1.0 allows #x9 #xA #xD [#x20-#xD7FF] [#xE000-#xFFFD] [#x10000-#x10FFFF].  A Python
# string holds astral characters as single code points, so any surrogate in it is a lone one.
_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

def clean_text(value: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """Return ``value`` without the characters XML 1.0 forbids, cut to fit one Excel cell.

    Removed: control characters other than tab, line feed and carriage return, lone
    surrogates, U+FFFE and U+FFFF.  A text longer than ``limit`` (Excel's 32,767-character
    cell limit, counted, as Excel does, in UTF-16 code units: an emoji counts twice) is cut
    so that the result *including* a marker such as ``" […cut: 40,000 characters in all]"``
    fits.
    """
    if not (value.isascii() and value.isprintable()):
        value = _FORBIDDEN_RE.sub("", value)
    if len(value) > limit // 2:
        return _cut(value, limit)
    return value


def _cut(text: str, limit: int) -> str:
    units = text.encode("utf-16-le")
    if len(units) // 2 <= limit:
        return text
    marker = f" […cut: {len(text):,} characters in all]"
    keep = units[: 2 * (limit - len(marker))]  # the marker is all BMP characters
    if 0xD8 <= keep[-1] <= 0xDB:  # do not split a surrogate pair (little-endian high byte)
        keep = keep[:-2]
    return keep.decode("utf-16-le") + marker


def looks_like_formula(text: str) -> bool:
    """True if a spreadsheet could take ``text`` for a formula: it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return."""
    return text[:1] in FORMULA_TRIGGERS


def csv_safe_text(text: str) -> str:
    """``text`` for a CSV cell: prefixed with a single quote ``'`` if it looks like a formula.

    This is the OWASP recommendation for CSV injection: Excel and LibreOffice then show the
    text instead of evaluating it.  The quote is part of the data in the CSV file; a reader
    that wants the original text strips one leading ``'`` where the rest starts with one of
    :data:`FORMULA_TRIGGERS`.
    """
    if text[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def csv_text(value: str) -> str:
    """``value`` for a CSV cell: cleaned, cut and quote-prefixed (:func:`csv_safe_text`) so
    that the whole cell, quote and cut marker included, still fits one Excel cell."""
    if not (value.isascii() and value.isprintable()):
        value = _FORBIDDEN_RE.sub("", value)
    limit = EXCEL_CELL_LIMIT - 1 if looks_like_formula(value) else EXCEL_CELL_LIMIT
    return csv_safe_text(clean_text(value, limit))


def to_text(value: object) -> str | None:
    """A TEXT cell: the cleaned string, or ``None`` for ``None`` and the empty string.

    Non-strings are written with ``str()``.
    """
    if value is None:
        return None
    text = clean_text(value if type(value) is str else str(value))
    return text or None


def to_integer(value: object) -> int | None:
    """An INTEGER cell: an ``int`` from an int, a bool, a whole float/Decimal or a numeric
    string; ``None`` (also for NaN and an empty string) stays empty."""
    if value is None:
        return None
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if isinstance(value, int):  # bool, IntEnum
        return int(value)
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            return None
        if value != int(value):
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text else None
    raise TypeError(f"expected a whole number, got {kind.__name__} {value!r}")


def to_number(value: object) -> int | float | None:
    """A NUMBER cell: an ``int`` or ``float``; ``None``, NaN and infinities stay empty
    (Excel has no NaN); numeric strings are parsed."""
    if value is None:
        return None
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None  # type: ignore[arg-type,return-value]
    if kind is int:
        return value  # type: ignore[return-value]
    if isinstance(value, int):  # bool, IntEnum
        return int(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        number = float(text)
        return number if math.isfinite(number) else None
    raise TypeError(f"expected a number, got {kind.__name__} {value!r}")


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_datetime(value: object) -> datetime | None:
    """A DATETIME cell: a naive ``datetime``; aware values are converted to UTC and lose
    their zone (Excel has none); a ``date`` becomes midnight; ISO 8601 strings are parsed."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _naive_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        return _naive_utc(datetime.fromisoformat(text)) if text else None
    raise TypeError(f"expected a date and time, got {type(value).__name__} {value!r}")


def to_date(value: object) -> date | None:
    """A DATE cell: a ``date``; a ``datetime`` gives its date (in UTC if aware); ISO 8601
    strings are parsed."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _naive_utc(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return _naive_utc(datetime.fromisoformat(text)).date()
    raise TypeError(f"expected a date, got {type(value).__name__} {value!r}")


_TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
_FALSE_WORDS = frozenset({"0", "false", "no", "n"})


def to_boolean(value: object) -> int | None:
    """A BOOLEAN cell: ``1`` for true, ``0`` for false, ``None`` stays empty.

    Accepts bools, the numbers 0 and 1, and the words true/false, yes/no, y/n, 1/0.
    """
    if value is None:
        return None
    if value is True or value is False:
        return int(value)
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return int(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return 1
        if word in _FALSE_WORDS:
            return 0
        if not word:
            return None
    raise ValueError(f"expected true or false, got {type(value).__name__} {value!r}")


def to_value(value: object) -> object:
    """A VALUE cell: a number (a bool as 1/0) stays a number, anything else is TEXT."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return to_number(value)
    return to_text(value)


_CONVERTERS: dict[ColumnType, Callable[[object], object]] = {
    ColumnType.TEXT: to_text,
    ColumnType.INTEGER: to_integer,
    ColumnType.NUMBER: to_number,
    ColumnType.DATE: to_date,
    ColumnType.DATETIME: to_datetime,
    ColumnType.BOOLEAN: to_boolean,
    ColumnType.VALUE: to_value,
}


def converter(column_type: ColumnType) -> Callable[[object], object]:
    """The conversion function for ``column_type`` (pick it once per column, not per cell)."""
    return _CONVERTERS[ColumnType(column_type)]


def convert(column_type: ColumnType, value: object) -> object:
    """Convert one value for a column of ``column_type``."""
    return _CONVERTERS[ColumnType(column_type)](value)


def bad_value_error(
    sheet_name: str,
    number: int,
    columns: Sequence[Column],
    converters: Sequence[Callable[[object], object]],
    row: Sequence[object],
    error: BaseException,
) -> ExportError:
    """Name the sheet, row and column of a value that does not fit its column."""
    for column, convert_, value in zip(columns, converters, row, strict=False):
        try:
            convert_(value)
        except (TypeError, ValueError, OverflowError) as column_error:
            return ExportError(
                f"sheet {sheet_name!r}, row {number}, column {column.name!r} "
                f"({ColumnType(column.type).value}): {column_error}"
            )
    return ExportError(f"sheet {sheet_name!r}, row {number}: {error}")
