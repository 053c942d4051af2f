"""Exporting a project to one Excel workbook (or a folder of CSV files), off the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from threading import Event

from annotator.domain.errors import AnnotatorError, ExportError
from annotator.io.export import write_csv_folder, write_workbook
from annotator.services.export_agreement import agreement_sheets
from annotator.services.export_codings import codings_sheets
from annotator.services.export_sheets import ExportOptions, SheetBuilder
from annotator.services.project import Project
from annotator.storage.repositories.reports import ReportQueries

__all__ = ["ExportCancelled", "ExportOptions", "ExportSummary", "export_coders", "export_project"]


class ExportCancelled(AnnotatorError):
    def __init__(self) -> None:
        super().__init__("export cancelled; nothing was written")


@dataclass
class ExportSummary:
    path: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # CSV: sheet -> file
    seconds: float = 0.0


def export_project(
    project: Project,
    out: Path,
    options: ExportOptions | None = None,
    progress: Callable[[str, int], None] | None = None,
    cancel: Event | None = None,
) -> ExportSummary:
    """Write the project to ``out`` (.xlsx, or a folder with format="csv").

    Reads one consistent snapshot; the target is replaced only when everything is written.
    ``progress(sheet, rows)`` is called as rows go out; ``cancel`` stops it, leaving nothing.
    """
    options = options or ExportOptions()
    out = Path(out)
    if options.format not in ("xlsx", "csv"):
        raise ExportError(f"{out}: unknown export format {options.format!r} (xlsx or csv)")
    if options.format == "xlsx" and out.suffix.lower() != ".xlsx":
        raise ExportError(f"{out}: an Excel export needs a file name ending in .xlsx")

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise ExportCancelled()

    started = time.perf_counter()
    with project.read_session() as session:
        sheets = chain(  # the reliability sheets last, computed once the others are out
            SheetBuilder(session, options, check, where=str(project.path)).sheets(),
            codings_sheets(session, options, check),  # the code layer, when there is one
            agreement_sheets(project, options, check, progress),
        )
        if options.format == "xlsx":
            rows = write_workbook(out, sheets, progress)
        else:
            files = {name: str(path) for name, path in write_csv_folder(out, sheets, progress).items()}
            return ExportSummary(str(out), {}, files, time.perf_counter() - started)
    return ExportSummary(str(out), rows, {}, time.perf_counter() - started)


def export_coders(project: Project) -> list[str]:
    """The coders whose layers an export can show, in the order they joined (a PI who has
    not coded anything is left out): File -> Export offers a choice once there are two."""
    with project.read_session() as session:
        return [name for _id, name in ReportQueries(session).working_coders()]
