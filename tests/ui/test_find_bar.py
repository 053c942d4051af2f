"""Find in the open article (Ctrl+F), and the document filter that moved to Ctrl+Shift+F."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from annotator.domain.model import SpanStatus
from tests.ui.conftest import ARTICLE, add_document
from tests.ui.helpers import key, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
FIRST = ARTICLE.index("Islamabad")
SECOND = ARTICLE.index("Islamabad", FIRST + 1)


def open_find(qtbot, window, query: str):
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, query)
    return bar


def test_typing_marks_every_match_and_selects_the_first(qtbot, window) -> None:
    bar = open_find(qtbot, window, "islamABAD")  # any case
    assert bar.count.text() == "1 of 2"
    assert window.article.selected_range() == (FIRST, FIRST + len("Islamabad"))
    assert len(window.article.extraSelections()) == 2
    assert bar.field.hasFocus()  # still typing

    qtbot.keyClick(bar.field, Qt.Key.Key_F3)  # F3: next, the keyboard stays in the field
    assert bar.count.text() == "2 of 2"
    assert window.article.selected_range() == (SECOND, SECOND + len("Islamabad"))
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)  # wraps around
    assert bar.count.text() == "1 of 2"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3, SHIFT)  # previous, wrapping back
    assert bar.count.text() == "2 of 2"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)  # Shift+Enter: previous too
    assert bar.count.text() == "1 of 2"

    qtbot.keyClicks(bar.field, "x")
    assert bar.count.text() == "No match"
    assert window.article.extraSelections() == []
    assert window.article.selected_range() is None  # "Islamabad" is no longer selected


def test_enter_goes_to_the_match_and_a_label_key_labels_it(qtbot, window, article, project_path) -> None:
    bar = open_find(qtbot, window, "finance ministry")
    assert bar.count.text() == "1 of 2"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # the first match, and the keyboard to the article
    assert window.article.hasFocus()
    assert bar.count.text() == "1 of 2"
    key(qtbot, window.article, Qt.Key.Key_Return)  # Enter in the article walks on (no entity selected)
    assert bar.count.text() == "2 of 2"
    key(qtbot, window.article, Qt.Key.Key_2)  # ORG
    entity = window.controller.selected_span()
    second = ARTICLE.rindex("Finance Ministry")
    assert (entity.text, entity.start, entity.label) == ("Finance Ministry", second, "ORG")
    assert bar.isVisible() and bar.count.text() == "2 of 2"  # an entity edit keeps the search

    key(qtbot, window.article, Qt.Key.Key_F3, SHIFT)
    key(qtbot, window.article, Qt.Key.Key_2)
    saved = [(s.text, s.label, s.status) for s in stored_spans(project_path, article) if s.text == "Finance Ministry"]
    assert saved == [("Finance Ministry", "ORG", SpanStatus.ACCEPTED)] * 2


def test_escape_closes_the_bar_and_keeps_the_found_text_selected(qtbot, window) -> None:
    bar = open_find(qtbot, window, "lahore")
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.article.hasFocus()
    assert window.article.extraSelections() == []
    assert window.article.textCursor().selectedText() == "Lahore"
    key(qtbot, window.article, Qt.Key.Key_3)
    assert window.controller.selected_span().label == "LOCATION"
    key(qtbot, window.article, Qt.Key.Key_Escape)  # deselect the new entity
    key(qtbot, window.article, Qt.Key.Key_F3)  # reopens the bar on the next match, keys stay here
    assert bar.isVisible() and window.article.hasFocus()
    assert bar.count.text() == "1 of 1"


def test_marks_are_no_edit_of_the_document(qtbot, window) -> None:
    steps = window.undo_stack.count()
    open_find(qtbot, window, "the")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_F3)
    document = window.article.document()
    assert not document.isModified()
    assert document.availableUndoSteps() == 0
    assert window.undo_stack.count() == steps


def test_matches_after_an_emoji_and_a_windows_line_break_land_on_the_right_words(
    qtbot, window, project
) -> None:
    text = "Relief 😀 camps\r\nThe 🌊 floods reached Karachi; 😀😀 Karachi waits."
    document_id = add_document(project, text, "Emoji")
    window.open_document(document_id)
    bar = open_find(qtbot, window, "karachi")
    assert bar.count.text() == "1 of 2"
    first = text.index("Karachi")
    assert window.article.selected_range() == (first, first + 7)
    assert window.article.textCursor().selectedText() == "Karachi"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)
    second = text.rindex("Karachi")
    assert window.article.selected_range() == (second, second + 7)
    assert window.article.textCursor().selectedText() == "Karachi"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    key(qtbot, window.article, Qt.Key.Key_3)
    assert (window.controller.selected_span().start, window.controller.selected_span().text) == (second, "Karachi")


def test_another_document_is_searched_as_it_opens(qtbot, window) -> None:
    bar = open_find(qtbot, window, "karachi")
    assert bar.count.text() == "No match"
    window.step_document(1)  # "Floods in Sindh"
    assert bar.count.text() == "1 match"
    assert len(window.article.extraSelections()) == 1
    key(qtbot, window.article, Qt.Key.Key_F3)
    assert bar.count.text() == "1 of 1"
    assert window.article.textCursor().selectedText() == "Karachi"


def test_ctrl_f_with_words_selected_searches_them(qtbot, window) -> None:
    window.article.select_text(FIRST, FIRST + len("Islamabad"))
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.field.text() == "Islamabad"
    assert bar.count.text() == "1 of 2"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # on to the next one
    assert bar.count.text() == "2 of 2"


def test_the_document_filter_moved_to_ctrl_shift_f_and_enter_in_it_opens_a_match(
    qtbot, window, article, project_path
) -> None:
    view, controller = window.article, window.controller
    view.setFocus()
    key(qtbot, view, Qt.Key.Key_N)
    assert controller.selected_span().text == "Shehbaz Sharif"
    key(qtbot, view, Qt.Key.Key_F, CTRL | SHIFT)
    field = window.document_list.filter_edit
    assert field.hasFocus()
    qtbot.keyClicks(field, "flood")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # opens the first document shown, never accepts an entity
    assert controller.document.title == "Floods in Sindh"
    assert view.hasFocus()
    assert all(s.status is SpanStatus.SUGGESTED for s in stored_spans(project_path, article))

    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # back to the article; the filter stays
    assert view.hasFocus()
    assert field.text() == "flood"


def test_window_commands_on_ctrl_keys_reach_the_window_from_the_filter(qtbot, window) -> None:
    """On X11 a line edit claims Ctrl+E (end of line): File → Export must still work from the
    filter, while the field keeps its editing keys and keys no command owns."""
    keys = window.document_list.filter_keys

    def override(key_code: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> tuple[bool, bool]:
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key_code, modifiers, "")
        event.ignore()
        stopped = keys.eventFilter(keys.field, event)
        return stopped, event.isAccepted()

    assert override(Qt.Key.Key_E, CTRL) == (True, False)  # Export: not claimed, the window's
    assert override(Qt.Key.Key_F, CTRL) == (True, False)  # Find in the article
    assert override(Qt.Key.Key_Z, CTRL) == (False, False)  # undo typing: the field decides
    assert override(Qt.Key.Key_K, CTRL) == (False, False)  # no command: the field decides
    assert override(Qt.Key.Key_Return) == (True, True)  # Enter and Esc: the field's own
    assert override(Qt.Key.Key_Escape) == (True, True)


def test_the_shortcut_reference_and_the_edit_menu_list_the_find_keys(window) -> None:
    from annotator.ui.shell.shortcuts import reference_html

    html = reference_html(window.codebook)
    find = html.index("<h3 style='margin-bottom:4px'>Find</h3>")
    for keys in ("<b>Ctrl+F</b>", "<b>F3</b>", "<b>Shift+F3</b>", "<b>Ctrl+Shift+F</b>"):
        assert keys in html[find:]
    assert "Filter the document list" in html
    assert window.actions["find"].shortcut().toString() == "Ctrl+F"
    assert window.actions["find_document"].shortcut().toString() == "Ctrl+Shift+F"


def test_only_the_matches_near_the_visible_text_are_marked(qtbot, window, project, monkeypatch) -> None:
    from annotator.ui.article import find_bar

    monkeypatch.setattr(find_bar, "MAX_MARKED", 5)
    monkeypatch.setattr(find_bar, "_MARKED_ABOVE", 1)
    document_id = add_document(project, "\n\n".join(f"Paragraph {i} about Quetta." for i in range(300)), "Long")
    window.open_document(document_id)
    bar = open_find(qtbot, window, "quetta")
    assert bar.count.text() == "1 of 300" and len(window.article.extraSelections()) == 5
    for _ in range(3):
        qtbot.keyClick(bar.field, Qt.Key.Key_F3, SHIFT)  # around to the last ones
    assert bar.count.text() == "298 of 300"
    selections = window.article.extraSelections()
    assert len(selections) <= 5 and all(s.cursor.selectedText() == "Quetta" for s in selections)
    first_marked = window.article.offsets.to_code_point(selections[0].cursor.selectionStart())
    assert first_marked > window.article.text.index("Paragraph 250")
