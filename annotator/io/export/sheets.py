"""A plain description of one sheet of an export: its columns and a stream of rows.

The service that gathers rows from the project builds :class:`Sheet` objects; the writers
(:mod:`annotator.io.export.xlsx`, :mod:`annotator.io.export.csv_export`) turn them into files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    """What a column holds, which decides how each value is converted and shown.

    - ``TEXT``: a string; cleaned and protected against formula injection.
    - ``INTEGER``: a whole number (ids, counts, offsets).
    - ``NUMBER``: any number; NaN and infinity are written as empty cells.
    - ``DATE``: a calendar date, a real date cell shown as ``yyyy-mm-dd``.
    - ``DATETIME``: a moment, a real date-time cell shown as ``yyyy-mm-dd hh:mm:ss``;
      time-zone-aware values are converted to UTC first (Excel has no time zones).
    - ``BOOLEAN``: written as the numbers 1 (true) and 0 (false), not as text or as
      Excel's TRUE/FALSE: SPSS, Stata and R all read a 1/0 column as a numeric dummy
      without recoding, and a mean of the column is the share of "true".
    """

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    VALUE = "value"


@dataclass(frozen=True)
class Column:
    """One column: its header, its type and, optionally, its width in Excel character units.

    ``width=None`` lets the writer choose a width from the header and the type; the data
    itself is never measured (rows are streamed and read only once).
    """

    name: str
    type: ColumnType = ColumnType.TEXT
    width: float | None = None


@dataclass
class Sheet:
    """One sheet (one CSV file): a name, its columns and its rows.

    ``rows`` is consumed exactly once and may be a generator, so a sheet of a million rows
    never sits in memory.  Each row holds at most one value per column, in column order; a
    shorter row leaves the last cells empty, a longer one is an error.

    ``swatch_column`` names a column whose values are colours written as ``#RRGGBB``: in
    the workbook each such cell is also filled with its colour, a visible swatch (the
    text stays in the cell).  Values that are not ``#RRGGBB`` are written as plain text.
    CSV files keep just the text. ``charts`` are drawn in the workbook only.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    swatch_column: str | None = None
    charts: Sequence[Chart] = ()


@dataclass(frozen=True)
class Chart:
    """A native bar chart over a block of a sheet's rows, drawn by the workbook writer below
    the table (CSV files have no charts).

    ``categories`` names the column labelling the bars; ``bars`` the columns drawn as bars
    (side by side, or ``stacked``), ``lines`` columns drawn as lines over them (thresholds).
    ``first_row`` and ``last_row`` count data rows from 1 (the row after the header), both
    included; a block that is empty draws no chart.
    """

    title: str
    categories: str
    bars: Sequence[str]
    first_row: int
    last_row: int
    lines: Sequence[str] = ()
    stacked: bool = False
    y_title: str = ""
    y_max: float | None = None
    y_format: str | None = None  # the value axis's number format, e.g. "0.0"
    y_step: float | None = None  # the distance between its gridlines


def unique_names(names: Iterable[str], reserved: Iterable[str] = ()) -> Iterator[str]:
    """``names`` made unique for a header row, in order: a name already used (compared
    case-blind, as SPSS and Excel's filters do), or one of ``reserved``, gets the first free
    suffix ``_2``, ``_3``, ... (``document_id`` -> ``document_id_2``). Names that clash with
    nothing are unchanged, so existing exports keep their headers."""
    taken = {name.casefold() for name in reserved}
    for name in names:
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{name}_{number}"
        taken.add(candidate.casefold())
        yield candidate

