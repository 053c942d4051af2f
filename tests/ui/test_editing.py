"""The reader's keyboard and mouse work on the real window, checked in the project file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.model import DocumentStatus, SpanOrigin, SpanStatus
from annotator.services.browse import Browser
from annotator.services.project import Project
from tests.ui.conftest import ARTICLE
from tests.ui.helpers import click_text, drag_select, key, point_of, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def by_text(spans):
    return {s.text: s for s in spans}


def test_a_document_reviewed_from_the_keyboard_and_mouse_is_saved_as_it_goes(
    qtbot, window, article, project_path
) -> None:
    view, controller = window.article, window.controller
    view.setFocus()

    key(qtbot, view, Qt.Key.Key_N)
    assert controller.selected_span().text == "Shehbaz Sharif"
    key(qtbot, view, Qt.Key.Key_Return)  # accept, and move on
    assert controller.selected_span().text == "Asim Munir"
    key(qtbot, view, Qt.Key.Key_X)  # reject, and move on
    assert controller.selected_span().text == "Islamabad"
    key(qtbot, view, Qt.Key.Key_2)  # relabel as ORG
    assert window.undo_stack.undoText() == "Relabel 'Islamabad' as ORG"
    assert window.actions.undo.text() == "&Undo Relabel 'Islamabad' as ORG"

    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    islamabad = controller.selected_span()
    assert (islamabad.label, islamabad.status) == ("LOCATION", SpanStatus.SUGGESTED)
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert (controller.selected_span().label, controller.selected_span().status) == ("ORG", SpanStatus.ACCEPTED)

    lahore = ARTICLE.index("Lahore")
    click_text(qtbot, view, lahore + 2)  # a click on an entity selects it
    assert controller.selected_span().text == "Lahore"
    key(qtbot, view, Qt.Key.Key_Delete)  # a model suggestion is rejected, not erased
    assert controller.selected is None

    finance = ARTICLE.index("Finance Ministry")
    drag_select(qtbot, view, finance + 2, finance + 12)  # "nance Minis": snapped to the words
    key(qtbot, view, Qt.Key.Key_2)
    assert controller.selected_span().text == "Finance Ministry"
    key(qtbot, view, Qt.Key.Key_Left, SHIFT)  # grow at the start
    assert controller.selected_span().text == "the Finance Ministry"
    key(qtbot, view, Qt.Key.Key_Left, CTRL | SHIFT)  # shrink at the end
    assert controller.selected_span().text == "the Finance"
    key(qtbot, view, Qt.Key.Key_Right, SHIFT)  # shrink at the start
    assert controller.selected_span().text == "Finance"
    key(qtbot, view, Qt.Key.Key_Right, CTRL | SHIFT)  # grow at the end
    assert controller.selected_span().text == "Finance Ministry"

    munir = ARTICLE.index("Munir travelled")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, munir + 1))
    key(qtbot, view, Qt.Key.Key_1)
    assert controller.selected_span().text == "Munir"

    # Saved as it went: another connection sees every decision before the window closes.
    saved = by_text(stored_spans(project_path, article))
    assert saved["Shehbaz Sharif"].status is SpanStatus.ACCEPTED
    assert saved["Shehbaz Sharif"].annotator == "tester"
    assert saved["Asim Munir"].status is SpanStatus.REJECTED
    assert (saved["Islamabad"].label, saved["Islamabad"].status) == ("ORG", SpanStatus.ACCEPTED)
    assert saved["Lahore"].status is SpanStatus.REJECTED
    assert saved["Finance Ministry"].origin is SpanOrigin.MANUAL
    assert (saved["Munir"].label, saved["Munir"].start) == ("PERSON", munir)

    key(qtbot, view, Qt.Key.Key_Return, CTRL)  # done, and on to the next unfinished document
    assert controller.document.title == "Floods in Sindh"
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # undo brings the reader back
    assert controller.document.id == article
    assert controller.document.status is DocumentStatus.IN_PROGRESS
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.document_model.summary_at(0).status is DocumentStatus.DONE

    window.close()
    with Project.open(project_path) as reopened:
        browser = Browser(reopened, coder="tester")
        bundle = browser.bundle(article)
        assert bundle.document.status is DocumentStatus.DONE
        final = by_text(bundle.spans)
        assert set(final) == {"Shehbaz Sharif", "Asim Munir", "Islamabad", "Lahore", "Finance Ministry", "Munir"}
        assert final["Finance Ministry"].label == "ORG"
        assert all(s.annotator == "tester" for s in bundle.spans)


def test_an_overlap_with_a_decided_entity_is_refused_in_the_status_bar(
    qtbot, window, article, project_path
) -> None:
    view = window.article
    key(qtbot, view, Qt.Key.Key_N)
    key(qtbot, view, Qt.Key.Key_Return)  # "Shehbaz Sharif" is decided now
    start = ARTICLE.index("Sharif met")
    drag_select(qtbot, view, start, start + len("Sharif met"))
    key(qtbot, view, Qt.Key.Key_1)
    assert "overlaps" in window.statusBar().currentMessage()
    assert len(stored_spans(project_path, article)) == 4


def test_drawing_over_a_suggestion_replaces_it_and_undo_brings_it_back(
    qtbot, window, article, project_path
) -> None:
    view = window.article
    start = ARTICLE.index("Minister Shehbaz")
    drag_select(qtbot, view, start, start + len("Minister Shehbaz Sharif"))
    key(qtbot, view, Qt.Key.Key_1)
    saved = by_text(stored_spans(project_path, article))
    assert saved["Minister Shehbaz Sharif"].status is SpanStatus.ACCEPTED
    assert saved["Shehbaz Sharif"].status is SpanStatus.REJECTED
    assert "Shehbaz Sharif" not in [s.text for s in window.entity_model.rows]
    assert "Replaced the suggestion" in window.statusBar().currentMessage()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    saved = by_text(stored_spans(project_path, article))
    assert "Minister Shehbaz Sharif" not in saved
    assert saved["Shehbaz Sharif"].status is SpanStatus.SUGGESTED
    assert "Shehbaz Sharif" in [s.text for s in window.entity_model.rows]
    assert len(view.index) == 4


def test_a_label_key_without_a_selection_explains_itself(qtbot, window) -> None:
    key(qtbot, window.article, Qt.Key.Key_1)
    assert "Select some words" in window.statusBar().currentMessage()


def test_accept_all_and_its_undo(qtbot, window, article, project_path) -> None:
    view = window.article
    key(qtbot, view, Qt.Key.Key_A, CTRL | SHIFT)
    assert window.undo_stack.undoText() == "Accept 4 suggestions"
    assert {s.status for s in stored_spans(project_path, article)} == {SpanStatus.ACCEPTED}
    assert window.document_model.summary_at(0).accepted == 4
    assert window.header.meta.text().count("0 pending · 4 accepted") == 1
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert {s.status for s in stored_spans(project_path, article)} == {SpanStatus.SUGGESTED}
    assert window.document_model.summary_at(0).suggested == 4


def test_label_every_occurrence_and_add_a_pattern(qtbot, window, article, project, project_path) -> None:
    view = window.article
    finance = ARTICLE.index("Finance Ministry")
    drag_select(qtbot, view, finance, finance + len("Finance Ministry"))
    key(qtbot, view, Qt.Key.Key_2)
    key(qtbot, view, Qt.Key.Key_L, CTRL)  # every other "Finance Ministry" in the project
    texts = [s.text for s in stored_spans(project_path, article)]
    assert texts.count("Finance Ministry") == 2
    assert window.undo_stack.undoText() == "Label every 'Finance Ministry' as ORG (1)"

    window.actions["add_pattern"].trigger()
    assert ("ORG", "Finance Ministry") in {(p.label, p.pattern) for p in project.codebook().patterns}
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert project.codebook().patterns == ()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert [s.text for s in stored_spans(project_path, article)].count("Finance Ministry") == 1


def test_the_entity_list_and_the_article_select_together(qtbot, window) -> None:
    panel, view, controller = window.entity_panel, window.article, window.controller
    assert [s.text for s in window.entity_model.rows] == ["Shehbaz Sharif", "Asim Munir", "Islamabad", "Lahore"]
    rect = panel.visualRect(window.entity_model.index(2, 0))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert controller.selected_span().text == "Islamabad"
    assert view.selected == controller.selected
    click_text(qtbot, view, ARTICLE.index("Asim") + 1)
    assert panel.currentIndex().row() == 1


def test_rejected_suggestions_are_hidden_unless_asked_for(qtbot, window) -> None:
    view = window.article
    key(qtbot, view, Qt.Key.Key_N)
    key(qtbot, view, Qt.Key.Key_X)
    assert "Shehbaz Sharif" not in [s.text for s in window.entity_model.rows]
    assert len(view.index) == 3
    key(qtbot, view, Qt.Key.Key_H, CTRL)  # View -> Show Rejected Suggestions
    assert "Shehbaz Sharif" in [s.text for s in window.entity_model.rows]
    assert len(view.index) == 4
    key(qtbot, view, Qt.Key.Key_H, CTRL)
    assert len(view.index) == 3


def test_hovering_an_entity_explains_it(qtbot, window) -> None:
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    view = window.article
    point = point_of(view, ARTICLE.index("Lahore") + 1)
    event = QHelpEvent(QHelpEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    assert "Lahore" in text and "LOCATION" in text and "suggestion" in text
    assert "model (test_model 1.0)" in text and "Annotator: —" in text
