"""Writing the coded data out as spreadsheets a statistician opens in SPSS, Stata, R or Excel.

The service that gathers rows from a project describes each sheet as a :class:`Sheet`
(columns plus a stream of rows); :func:`write_workbook` writes them into one .xlsx file,
:func:`write_csv_folder` into one CSV file per sheet.  Both apply the same cell rules
(:mod:`annotator.io.export.cells`): characters XML forbids are removed, over-long text is
cut with a visible marker, text is never turned into a formula, dates are real dates.
Both write atomically and report failures as ``annotator.domain.errors.ExportError``.
"""

from annotator.io.export.cells import clean_text, csv_safe_text, looks_like_formula
from annotator.io.export.csv_export import write_csv_folder
from annotator.io.export.sheets import Chart, Column, ColumnType, Sheet, unique_names
from annotator.io.export.xlsx import write_workbook

__all__ = [
    "Chart",
    "Column",
    "ColumnType",
    "Sheet",
    "clean_text",
    "csv_safe_text",
    "looks_like_formula",
    "unique_names",
    "write_csv_folder",
    "write_workbook",
]
