"""Document details (F2): edit, undo, redo, several documents at once, reopen, export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from annotator.app import make_workspace
from annotator.domain.document_details import DocumentDetails
from annotator.services.browse import Browser
from annotator.services.export import ExportOptions, export_project
from annotator.ui.documents.details_dialog import DetailsRequest, DocumentDetailsDialog
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow


def answer(window: MainWindow, **edit: object) -> None:
    window.prompts.answers["document_details"] = edit  # type: ignore[attr-defined]


def meta(window: MainWindow) -> str:
    return window.header.meta.text()


def test_f2_edits_the_open_documents_details_and_undo_redo_walk_it(qtbot, window, project, article) -> None:
    assert "no outlet" in meta(window) and "no date" in meta(window)  # missing, and said so
    answer(window, title="Talks in Islamabad end", source="Dawn", published=date(2024, 3, 5),
           section="Politics", url="https://www.dawn.com/news/1")
    qtbot.keyClick(window.article, Qt.Key.Key_F2)

    stored = Browser(project).bundle(article).document
    assert (stored.title, stored.source, stored.published, stored.section, stored.url) == (
        "Talks in Islamabad end", "Dawn", date(2024, 3, 5), "Politics", "https://www.dawn.com/news/1",
    )
    assert window.header.title.text() == "Talks in Islamabad end"
    assert "Dawn" in meta(window) and "Politics" in meta(window) and "2024-03-05" in meta(window)
    assert window.document_model.summary_at(0).title == "Talks in Islamabad end"
    assert window.actions.undo.text() == "&Undo Edit details of 'Talks in Islamabad end'"
    assert "Ctrl+Z undoes it" in window.statusBar().currentMessage()

    window.undo_stack.undo()
    stored = Browser(project).bundle(article).document
    assert (stored.title, stored.source, stored.published) == ("Talks in Islamabad", None, None)
    assert window.header.title.text() == "Talks in Islamabad"
    assert "no outlet" in meta(window)
    assert window.document_model.summary_at(0).title == "Talks in Islamabad"

    window.undo_stack.redo()
    assert Browser(project).bundle(article).document.source == "Dawn"
    assert "Dawn" in meta(window)


def test_one_field_changed_names_the_undo_step_after_it(window, project, article) -> None:
    answer(window, source="The Express Tribune")
    window.actions["document_details"].trigger()
    assert window.undo_stack.undoText() == "Set outlet of 'Talks in Islamabad' to 'The Express Tribune'"
    request = window.prompts.details_asked[-1]  # type: ignore[attr-defined]
    assert [d.title for d in request.details] == ["Talks in Islamabad"]


def test_undo_of_a_document_not_open_goes_back_to_it(window, project, article) -> None:
    answer(window, source="Dawn")
    window.actions["document_details"].trigger()
    window.step_document(1)
    assert window.controller.document.title == "Floods in Sindh"
    window.undo_stack.undo()
    assert window.controller.document.id == article
    assert "no outlet" in meta(window)


def test_the_outlet_of_several_selected_documents_is_set_at_once(qtbot, window, project) -> None:
    table = window.document_list.table
    table.setFocus()
    answer(window, source="Dawn")
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # all rows shown
    assert len(table.selectionModel().selectedRows()) == 2
    qtbot.keyClick(table, Qt.Key.Key_F2)
    request = window.prompts.details_asked[-1]  # type: ignore[attr-defined]
    assert request.several and len(request.details) == 2
    browser = Browser(project)
    ids = [window.document_model.document_id_at(r) for r in range(2)]
    assert [browser.bundle(i).document.source for i in ids] == ["Dawn", "Dawn"]
    assert [browser.bundle(i).document.title for i in ids] == ["Talks in Islamabad", "Floods in Sindh"]
    assert window.undo_stack.undoText() == "Set outlet of 2 documents to 'Dawn'"

    window.undo_stack.undo()  # one step for all of them
    assert [browser.bundle(i).document.source for i in ids] == [None, None]


def test_details_survive_reopening_the_project_and_are_offered_again(
    qtbot, window, project, settings, article
) -> None:
    answer(window, source="Dawn", section="Opinion")
    window.actions["document_details"].trigger()
    window.close()
    again = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts(), document=article)
    qtbot.addWidget(again)
    assert "Dawn" in again.header.meta.text() and "Opinion" in again.header.meta.text()
    again.actions["document_details"].trigger()  # cancelled: nothing asked, nothing changed
    request = again.prompts.details_asked[-1]  # type: ignore[attr-defined]
    assert request.known["source"] == ["Dawn"] and request.known["section"] == ["Opinion"]
    assert again.undo_stack.count() == 0
    again.close()


def test_the_export_shows_every_edited_detail_with_a_real_date(window, project, article, tmp_path) -> None:
    answer(window, title="Talks end", source="Dawn", author="Staff Reporter",
           published=date(2024, 3, 5), section="Politics", url="https://www.dawn.com/news/1")
    window.actions["document_details"].trigger()
    out = tmp_path / "study.xlsx"
    export_project(project, out, ExportOptions())
    sheet = load_workbook(out)["Documents"]
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["title"], row["source"], row["author"], row["section"], row["url"]) == (
        "Talks end", "Dawn", "Staff Reporter", "Politics", "https://www.dawn.com/news/1",
    )
    assert row["published"] == datetime(2024, 3, 5)  # a date cell, not text
    column = rows[0].index("published") + 1
    assert sheet.cell(row=2, column=column).is_date


def test_the_form_checks_the_date_and_url_as_they_are_typed(qtbot) -> None:
    dialog = DocumentDetailsDialog(DetailsRequest([DocumentDetails(title="Floods", source="Dawn")]))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.focusWidget() in (None, dialog.inputs["published"])  # the first missing core field
    date_input, url_input = dialog.inputs["published"], dialog.inputs["url"]
    qtbot.keyClicks(date_input, "05/03/2024")
    assert not ok.isEnabled()
    assert dialog.problem.text().startswith("The date must be") and "YYYY-MM-DD" in dialog.problem.text()
    date_input.setText("2024-02-30")
    assert not ok.isEnabled()  # not a real day
    date_input.setText("2024-03-05")
    url_input.setText("www.dawn.com")
    assert not ok.isEnabled() and "http" in dialog.problem.text()
    url_input.setText("https://www.dawn.com/news/1")
    assert ok.isEnabled() and dialog.problem.isHidden()
    assert dialog.edit() == {"published": date(2024, 3, 5), "url": "https://www.dawn.com/news/1"}


def test_with_several_documents_only_typed_fields_change(qtbot) -> None:
    request = DetailsRequest(
        [DocumentDetails(title="A", source="Dawn", author="X"), DocumentDetails(title="B", source="Dawn")],
        known={"source": ["Dawn", "The News"]},
    )
    dialog = DocumentDetailsDialog(request)
    qtbot.addWidget(dialog)
    assert not dialog.inputs["title"].isEnabled()
    assert dialog.inputs["source"].text() == "Dawn"  # shared value shown
    assert dialog.inputs["author"].text() == "" and "several" in dialog.inputs["author"].placeholderText()
    assert dialog.edit() == {}
    dialog.inputs["section"].setText("  Opinion ")
    dialog.inputs["source"].clear()
    assert dialog.edit() == {"section": "Opinion", "source": None}
    assert dialog.inputs["source"].completer().model().rowCount() == 2


def test_a_date_the_importer_could_not_read_is_shown_beside_the_field(window, project, article) -> None:
    opened = Browser(project).bundle(article).document
    window.controller.document = replace(opened, metadata={"date_raw": "5 Mär 2024"})
    window.actions["document_details"].trigger()
    assert window.prompts.details_asked[-1].date_hint == "5 Mär 2024"  # type: ignore[attr-defined]

