"""Issue 10.6: marking a document done with unfinished claims asks first, and a done
document whose claim is flagged later shows as needing attention (also after a restart)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.model import DocumentStatus
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.ui.documents.document_model import DocumentListModel
from annotator.ui.shell.dialogs import DoneAnswer
from tests.ui.conftest import ARTICLE
from tests.ui.helpers import click_text, drag_select, key
from tests.ui.test_claims import focused_name, new_claim_on_sentence

CTRL = Qt.KeyboardModifier.ControlModifier
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def proposed(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.claim_controller.proposing, timeout=5000)


def status_in_file(project_path, document) -> DocumentStatus:
    with Project.open(project_path) as other:
        return Browser(other).summary(document).status


def test_unfinished_claims_are_named_and_the_document_stays_in_progress(
    qtbot, window, article, project_path
) -> None:
    new_claim_on_sentence(qtbot, window, "met")  # claimant proposed: form and position missing
    new_claim_on_sentence(qtbot, window, "said")
    proposed(qtbot, window)
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_Return, CTRL)

    (question,) = window.prompts.done_questions
    assert question.startswith("2 claims are incomplete (claim 1: form, position; claim 2: ")
    assert window.controller.document.id == article  # not moved on
    assert status_in_file(project_path, article) is DocumentStatus.IN_PROGRESS
    assert window.statusBar().currentMessage().startswith("Left in progress: 2 claims are incomplete")


def test_go_to_the_first_one_opens_its_first_missing_variable(qtbot, window, article) -> None:
    first = new_claim_on_sentence(qtbot, window, "met")
    new_claim_on_sentence(qtbot, window, "said")  # selected now
    proposed(qtbot, window)
    window.prompts.answers["confirm_done"] = DoneAnswer.GO
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_Return, CTRL)

    assert window.claim_controller.selected == first.id
    assert window.side_tabs.currentWidget() is window.claims_tab
    assert focused_name() == "claimInput_form"
    assert window.statusBar().currentMessage() == "Claim 1: missing form, position"


def test_mark_done_anyway_then_a_flag_shows_in_the_list_and_survives_a_restart(
    qtbot, window, article, project_path
) -> None:
    sharif = ARTICLE.index("Shehbaz")
    drag_select(qtbot, window.article, sharif, sharif + len("Shehbaz Sharif"))
    key(qtbot, window.article, Qt.Key.Key_1)  # a manual entity: deleting it flags the claim
    claim = new_claim_on_sentence(qtbot, window, "met")
    proposed(qtbot, window)
    controller = window.claim_controller
    controller.confirm_proposal()
    controller.set_value(claim.id, "form", "statement")
    controller.set_value(claim.id, "position", 1)
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_Return, CTRL)  # complete: no question
    assert window.prompts.done_questions == []
    assert status_in_file(project_path, article) is DocumentStatus.DONE
    documents = window.document_model
    assert not documents.summary_at(0).needs_attention

    window.open_document(article)
    click_text(qtbot, window.article, sharif + 2)
    key(qtbot, window.article, Qt.Key.Key_Delete)  # the claimant goes: the claim is flagged
    summary = documents.summary_at(0)
    assert summary.status is DocumentStatus.DONE and summary.needs_attention
    tip = documents.data(documents.index(0, DocumentListModel.TITLE), TOOLTIP)
    assert "Done — needs attention: 1 claim flagged for review" in tip
    icon = documents.data(documents.index(0, DocumentListModel.STATUS), Qt.ItemDataRole.DecorationRole)
    plain = documents._icons[DocumentStatus.DONE]
    assert icon.pixmap(14, 14).toImage() != plain.pixmap(14, 14).toImage()

    with Project.open(project_path) as reopened:  # derived from the data: a restart keeps it
        restarted = DocumentListModel(Browser(reopened))
        assert restarted.summary_at(0).needs_attention
        assert "needs attention" in restarted.data(restarted.index(0, DocumentListModel.TITLE), TOOLTIP)

    window.prompts.answers["confirm_done"] = DoneAnswer.DONE
    window.article.setFocus()
    key(qtbot, window.article, Qt.Key.Key_Return, CTRL)  # asked; marked done anyway
    assert window.prompts.done_questions == ["1 claim is flagged for review (claim 1)"]


def test_the_real_question_offers_three_answers(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.shell.dialogs import Prompts

    seen: list[tuple[str, list[str]]] = []

    def answer(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == button_text).click()

    prompts = Prompts(None)
    for button, expected in (("Go to the First One", DoneAnswer.GO),
                             ("Mark Done Anyway", DoneAnswer.DONE), ("Cancel", DoneAnswer.CANCEL)):
        QTimer.singleShot(50, lambda button=button: answer(button))
        assert prompts.confirm_done("1 claim is flagged for review (claim 1)") is expected
    text, buttons = seen[0]
    assert text == "1 claim is flagged for review (claim 1).\n\nMark done anyway?"
    assert set(buttons) == {"Mark Done Anyway", "Go to the First One", "Cancel"}
