"""The export as progress steps: reports as it goes, stops at a step with nothing written."""

from __future__ import annotations

from pathlib import Path
from threading import Event

import pytest
from openpyxl import load_workbook

from annotator.domain.errors import ExportError
from annotator.domain.model import NewDocument
from annotator.services.export import ExportCancelled, ExportOptions
from annotator.services.export_progress import ExportProgress, export_steps
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository


@pytest.fixture
def documents(project: Project) -> Project:
    with project.session() as session:
        repo = DocumentRepository(session)
        for n in range(1200):  # over 1,000 rows: a report in the middle of a sheet too
            repo.add(NewDocument(text=f"Article {n}. Sharif spoke.", title=f"Article {n}"))
    return project


def drive(steps):  # type: ignore[no-untyped-def]
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as stop:
            return seen, stop.value


def test_every_report_is_yielded_and_the_summary_returned(documents: Project, tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    seen, summary = drive(export_steps(documents, out, ExportOptions()))
    assert ExportProgress("Documents", 1000) in seen
    assert ExportProgress("Documents", 1200) in seen
    assert ExportProgress("Documents", 1000).text == "Exporting Documents: 1,000 rows"
    assert summary.rows["Documents"] == 1200
    assert load_workbook(out)["Documents"].max_row == 1201


def test_closing_at_a_step_stops_the_export_and_writes_nothing(documents: Project, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "stopped.xlsx"
    cancel = Event()
    steps = export_steps(documents, out, ExportOptions(), cancel)
    assert next(steps) == ExportProgress("Documents", 1000)
    cancel.set()
    steps.close()  # what the worker does with a cancelled job
    assert list(out.parent.iterdir()) == []  # no workbook, no temporary file


def test_a_cancel_seen_by_the_export_itself_is_raised(documents: Project, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "stopped.xlsx"
    cancel = Event()
    steps = export_steps(documents, out, ExportOptions(), cancel)
    next(steps)
    cancel.set()
    with pytest.raises(ExportCancelled, match="nothing was written"):
        drive(steps)
    assert list(out.parent.iterdir()) == []  # no workbook, no temporary file


def test_an_export_error_reaches_the_caller(documents: Project, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"needs a file name ending in \.xlsx"):
        drive(export_steps(documents, tmp_path / "coding.txt", ExportOptions()))
