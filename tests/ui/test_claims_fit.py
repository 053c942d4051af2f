"""Issue 10.5: the claim editor fits the work on a laptop screen, with the default codebook.

The focused input is always in view, long values show in full under the form, ``note`` is a
multi-line memo, the label list gives the editor its room, the document list shows titles,
and the window fits 1366x768 with its status bar.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from annotator.app import app_services, make_workspace
from annotator.services.project import Project
from annotator.services.resources import default_codebook
from annotator.ui.claims.claim_typed_inputs import MemoInput
from annotator.ui.documents.document_model import DocumentListModel
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import first_size
from tests.ui.conftest import add_document
from tests.ui.helpers import click_text, key

TEXT = (
    "Operation Azm-e-Istehkam approved by the National Action Plan committee in Islamabad\n\n"
    "Prime Minister Shehbaz Sharif said the operation would be pivotal in countering terrorism. "
    "Khawaja Asif said the forces were ready."
)
LAPTOP = QRect(0, 0, 1366, 768 - 40)  # a 1366x768 screen less a task bar


@pytest.fixture
def laptop(qtbot, tmp_path, settings):
    project = Project(tmp_path / "study.annotator", create=True, codebook=default_codebook())
    document = add_document(project, TEXT, "Operation Azm-e-Istehkam approved by the National Action "
                                           "Plan committee in Islamabad")
    window = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts(), app_services(),
                        document=document)
    qtbot.addWidget(window)
    window.resize(first_size(LAPTOP))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    yield window
    window.close()
    project.close()


def visible_in_form(editor, widget) -> bool:
    viewport = editor.scroll.viewport()
    top = widget.mapTo(viewport, widget.rect().topLeft()).y()
    bottom = widget.mapTo(viewport, widget.rect().bottomLeft()).y()
    return top >= 0 and bottom <= viewport.height()


def new_claim(qtbot, window, word: str) -> None:
    click_text(qtbot, window.article, TEXT.index(word) + 1)
    key(qtbot, window.article, Qt.Key.Key_S)
    key(qtbot, window.article, Qt.Key.Key_C)


def test_the_window_fits_a_laptop_screen_with_its_status_bar(laptop) -> None:
    size = first_size(LAPTOP)
    assert size.width() <= 1366 and size.height() <= 728
    assert first_size(QRect(0, 0, 2560, 1400)).toTuple() == (1400, 900)  # room to spare
    hint = laptop.minimumSizeHint()
    assert hint.width() <= size.width() and hint.height() <= size.height()
    assert laptop.size() == size
    bar = laptop.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < laptop.height()


def test_coding_a_claim_keeps_the_window_within_the_laptop_screen(qtbot, laptop) -> None:
    new_claim(qtbot, laptop, "pivotal")
    assert laptop.side_tabs.currentWidget() is laptop.claims_tab
    size, hint = first_size(LAPTOP), laptop.minimumSizeHint()
    assert hint.width() <= size.width() and hint.height() <= size.height()
    assert laptop.size() == size and laptop.statusBar().isVisible()
    editor = laptop.claims_tab.editor
    row = editor.inputs["form"].height()
    qtbot.waitUntil(lambda: editor.scroll.viewport().height() >= 8 * row, timeout=2000)  # room to work


def test_the_document_list_gives_the_title_the_room(laptop) -> None:
    table = laptop.document_list.table
    title = table.columnWidth(DocumentListModel.TITLE)
    counts = sum(table.columnWidth(c) for c in (DocumentListModel.STATUS, *DocumentListModel.COUNTS))
    assert title > counts
    model = laptop.document_model
    tip = model.data(model.index(0, DocumentListModel.TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "suggestions left" in tip and "entities accepted" in tip and "claim" in tip


def test_a_new_claim_shows_the_input_that_has_the_keyboard(qtbot, laptop) -> None:
    editor = laptop.claims_tab.editor
    new_claim(qtbot, laptop, "pivotal")
    editor.scroll.verticalScrollBar().setValue(editor.scroll.verticalScrollBar().maximum())
    new_claim(qtbot, laptop, "ready")  # the form was scrolled to its end
    claimant = editor.inputs["claimant"]
    assert QApplication.focusWidget() is claimant
    qtbot.waitUntil(lambda: visible_in_form(editor, claimant), timeout=2000)
    key(qtbot, claimant, Qt.Key.Key_Tab)
    for _ in range(14):  # Tab down the sixteen variables: each one comes into view
        focused = QApplication.focusWidget()
        qtbot.waitUntil(lambda focused=focused: visible_in_form(editor, focused), timeout=2000)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.inputs["note"]
    qtbot.waitUntil(lambda: visible_in_form(editor, editor.inputs["note"]), timeout=2000)


def test_long_values_show_in_full_under_the_form_and_the_labels_give_way(qtbot, laptop) -> None:
    assert laptop.label_palette.isVisible()
    new_claim(qtbot, laptop, "pivotal")
    assert laptop.side_tabs.currentWidget() is laptop.claims_tab
    assert not laptop.label_palette.isVisible()  # the editor gets the room
    editor = laptop.claims_tab.editor
    kind = editor.inputs["claimant_type"]
    kind.setFocus()
    qtbot.keyClicks(kind, "v")  # civil society
    full = "Civil society: NGO, union, movement, religious group, citizens"
    assert full in editor.focus_note.text()
    laptop.side_tabs.setCurrentWidget(laptop.entity_panel)
    assert laptop.label_palette.isVisible()


def test_note_is_a_multi_line_memo(qtbot, laptop) -> None:
    new_claim(qtbot, laptop, "pivotal")
    editor = laptop.claims_tab.editor
    note = editor.inputs["note"]
    assert isinstance(note, MemoInput)
    note.setFocus()
    qtbot.keyClicks(note, "doubt: who said it?")
    qtbot.keyClick(note, Qt.Key.Key_Return)  # a new line, not "store" or "accept"
    qtbot.keyClicks(note, "check the video")
    qtbot.keyClick(note, Qt.Key.Key_Tab)  # leaving stores it
    claim = laptop.claim_controller.selected_claim()
    assert claim.values["note"] == "doubt: who said it?\ncheck the video"
    assert note.height() >= 3 * note.fontMetrics().lineSpacing()
