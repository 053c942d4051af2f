"""File → Export from the window: options, progress in the task bar, Cancel writes nothing."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from annotator.domain.model import DocumentStatus
from annotator.services.export import ExportOptions
from annotator.ui.export.export_dialog import ExportChoice, ExportDialog
from tests.ui.conftest import ARTICLE


def code_one_claim(window) -> None:
    controller = window.claim_controller
    start = ARTICLE.index("Sharif said")
    controller.create((start, start + len("Sharif said")))
    claim = controller.selected_claim()
    controller.set_value(claim.id, "form", "demand")


def test_export_runs_on_the_worker_with_progress_and_the_chosen_options(
    qtbot, window, tmp_path: Path
) -> None:
    code_one_claim(window)
    target = tmp_path / "coding.xlsx"
    window.prompts.answers["export_choice"] = ExportChoice(
        target, ExportOptions(include_suggestions=True, include_text=True)
    )
    shown: list[str] = []
    window.runner.progressed.connect(lambda _step: shown.append(window.task_bar.name_label.text()))
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["export"].trigger()

    assert "Exporting Entities: 4 rows" in shown
    assert "Exporting Claims: 1 row" in shown
    assert window.statusBar().currentMessage() == (
        f"Exported to {target} (Documents 2, Entities 4, Claims 1 rows)"
    )
    book = load_workbook(target)
    entities = [row[5] for row in book["Entities"].iter_rows(min_row=2, values_only=True)]
    assert sorted(entities) == ["Asim Munir", "Islamabad", "Lahore", "Shehbaz Sharif"]  # suggestions too
    headers = [cell.value for cell in book["Documents"][1]]
    assert headers[-1] == "text"
    claims = list(book["Claims"].iter_rows(min_row=2, values_only=True))
    assert len(claims) == 1 and claims[0][5] == "Sharif said"


def test_export_of_done_documents_to_a_csv_folder(qtbot, window, tmp_path: Path) -> None:
    window.controller.mark_done_and_next()  # the first article is done, the second is not
    folder = tmp_path / "csv"
    window.prompts.answers["export_choice"] = ExportChoice(
        folder, ExportOptions(status=DocumentStatus.DONE, format="csv")
    )
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["export"].trigger()
    assert window.statusBar().currentMessage().startswith(f"Exported to {folder}: 6 CSV files")
    documents = (folder / "Documents.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(documents) == 2 and "Talks in Islamabad" in documents[1]


def test_cancelling_an_export_writes_nothing(qtbot, window, tmp_path: Path) -> None:
    target = tmp_path / "out" / "coding.xlsx"
    target.parent.mkdir()
    window.prompts.answers["export_choice"] = ExportChoice(target, ExportOptions())
    cancel = []
    window.runner.started.connect(lambda _name: cancel.append(window.runner.current.cancel))
    # The reader presses Cancel as the first step is reported: set on the worker thread,
    # at the very moment the step is announced, so the test does not race the export.
    window.runner._worker.progress.connect(
        lambda _number, _step: cancel[0].set(), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["export"].trigger()
    assert window.statusBar().currentMessage() == "Export cancelled; nothing was written"
    assert list(target.parent.iterdir()) == []


def test_the_export_dialog_offers_the_options(qtbot, project_path: Path) -> None:
    dialog = ExportDialog(project_path)
    qtbot.addWidget(dialog)
    assert dialog.target.text() == str(project_path.with_name("study.xlsx"))
    assert dialog.choice() == ExportChoice(project_path.with_name("study.xlsx"), ExportOptions())
    dialog.suggestions.setChecked(True)
    dialog.texts.setChecked(True)
    dialog.only_done.setChecked(True)
    dialog.csv.setChecked(True)
    assert dialog.target.text() == str(project_path.with_name("study-export"))
    assert dialog.choice() == ExportChoice(
        project_path.with_name("study-export"),
        ExportOptions(include_suggestions=True, include_text=True, status=DocumentStatus.DONE, format="csv"),
    )
    dialog.xlsx.setChecked(True)
    dialog.target.setText(str(project_path.with_name("coding")))
    assert dialog.choice().target == project_path.with_name("coding.xlsx")  # type: ignore[union-attr]
    dialog.target.clear()
    assert dialog.choice() is None


def test_the_export_dialog_names_a_full_path_for_a_project_opened_by_a_relative_one(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dialog = ExportDialog(Path("study.annotator"))  # as after `annotator study.annotator`
    qtbot.addWidget(dialog)
    assert dialog.target.text() == str(tmp_path / "study.xlsx")
