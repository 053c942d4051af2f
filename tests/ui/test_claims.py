"""Tagging and coding claims on the real window, from the keyboard, checked in the project file."""

from __future__ import annotations

import threading
import time
from datetime import date
from itertools import pairwise

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.domain.model import Claim, EntityRef
from annotator.services.claimant import ClaimantProposer
from annotator.services.claims import ClaimCoding
from annotator.services.project import Project
from annotator.ui.shell.shortcuts import reference_html
from tests.ui.conftest import ARTICLE, add_document, suggest
from tests.ui.helpers import click_text, drag_select, key

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
FIRST = "Prime Minister Shehbaz Sharif met Asim Munir in Islamabad on Monday."
SECOND = "Sharif said the Finance Ministry would publish the budget."


def stored_claims(project_path, document_id) -> list[Claim]:
    """What is in the file, read through a separate connection (as after a restart)."""
    with Project.open(project_path) as other:
        return ClaimCoding(other).claims(document_id)


def focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def press(qtbot, keys: Qt.Key | str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key (or typed text) to whatever has the keyboard focus, as a reader types."""
    target = QApplication.focusWidget()
    if isinstance(keys, str):
        qtbot.keyClicks(target, keys)
    else:
        qtbot.keyClick(target, keys, modifier)


def new_claim_on_sentence(qtbot, window, word: str) -> Claim:
    view = window.article
    click_text(qtbot, view, ARTICLE.index(word) + 1)
    key(qtbot, view, Qt.Key.Key_S)
    key(qtbot, view, Qt.Key.Key_C)
    return window.claim_controller.selected_claim()


def test_s_selects_the_sentence_and_c_makes_it_a_claim(qtbot, window, article, project_path) -> None:
    view = window.article
    click_text(qtbot, view, ARTICLE.index("said") + 1)
    key(qtbot, view, Qt.Key.Key_S)
    start = ARTICLE.index(SECOND)
    assert view.selected_range() == (start, start + len(SECOND))
    key(qtbot, view, Qt.Key.Key_S)  # again: the next sentence joins
    assert view.textCursor().selectedText().endswith("Finance Ministry.")

    drag_select(qtbot, view, start + 2, start + 14)  # "arif said th": widened to whole words
    key(qtbot, view, Qt.Key.Key_C)
    (claim,) = stored_claims(project_path, article)
    assert claim.text == "Sharif said the"
    assert window.undo_stack.undoText() == "New claim 'Sharif said the'"
    assert window.claim_controller.selected == claim.id
    assert window.side_tabs.currentWidget() is window.claims_tab
    assert focused_name() == "claimInput_claimant"  # coding starts at once
    assert window.claims_tab.model.rowCount() == 1
    assert window.document_model.summary_at(0).claims == 1
    assert window.document_model.summary_at(0).incomplete_claims == 1


def test_c_without_a_selection_explains_itself(qtbot, window) -> None:
    key(qtbot, window.article, Qt.Key.Key_C)
    assert "Select the words of the claim first" in window.statusBar().currentMessage()


def test_every_kind_of_variable_is_coded_from_the_keyboard(qtbot, window, article, project_path) -> None:
    claim = new_claim_on_sentence(qtbot, window, "met")
    assert claim.text == FIRST
    controller = window.claim_controller
    qtbot.waitUntil(lambda: controller.selected_claim().values.get("claimant") is not None, timeout=5000)
    assert focused_name() == "claimInput_claimant"

    press(qtbot, "asi")  # the claimant: typed to by name, Asim Munir
    assert controller.selected_claim().values["claimant"].text == "Asim Munir"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused_name() == "claimInput_form"
    press(qtbot, "x")  # no value has the key x: nothing happens
    press(qtbot, "d")  # form: d is demand's key
    assert window.actions.undo.text() == "&Undo Code form = demand"
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)  # frames: toggle the first (security)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)  # ... and the third (rights)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, "talks go on")  # note: stored when the focus leaves
    press(qtbot, Qt.Key.Key_Tab)
    assert focused_name() == "claimInput_position"
    press(qtbot, "-1")  # position: a scale from -1 to 1
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, "2.5")  # amount: a number
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, "n")  # anonymous: no
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, "2024-13-40")  # claim_date: not a date
    press(qtbot, Qt.Key.Key_Return)
    assert "claim date: '2024-13-40' is not a date (YYYY-MM-DD)" in window.statusBar().currentMessage()
    date_input = window.claims_tab.editor.inputs["claim_date"]
    assert date_input.styleSheet()  # marked invalid, text kept for correcting
    press(qtbot, Qt.Key.Key_A, CTRL)
    press(qtbot, "2024-06-22")
    press(qtbot, Qt.Key.Key_Return)
    assert not date_input.styleSheet()

    (stored,) = stored_claims(project_path, article)
    munir = next(s for s in window.controller.spans.values() if s.text == "Asim Munir")
    assert stored.values == {
        "claimant": EntityRef(munir.id, "Asim Munir"), "form": "demand", "frames": ("security", "rights"),
        "note": "talks go on", "position": -1.0, "amount": 2.5, "anonymous": False,
        "claim_date": date(2024, 6, 22),
    }
    assert stored.annotator == "tester"
    assert window.undo_stack.undoText() == "Code claim date = 2024-06-22"
    assert window.claims_tab.model.data(window.claims_tab.model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == (
        "Complete"
    )

    # Shortcut letters act only inside the focused input: "d" in the form box was not a
    # label key or anything else, and back in the article keys mean what they always did.
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.article
    key(qtbot, window.article, Qt.Key.Key_Z, CTRL)
    assert stored_claims(project_path, article)[0].values.get("claim_date") is None
    key(qtbot, window.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_claims(project_path, article)[0].values["claim_date"] == date(2024, 6, 22)

    # Clearing from the keyboard: Delete in a choice, in a list, in a spin box.
    key(qtbot, window.article, Qt.Key.Key_E)  # back into the editor
    assert focused_name() == "claimInput_claimant"
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Delete)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Delete)
    cleared = stored_claims(project_path, article)[0].values
    assert "form" not in cleared and "frames" not in cleared and "amount" not in cleared
    assert window.undo_stack.undoText() == "Clear amount"


def test_the_claimant_is_proposed_on_the_worker_and_confirmed_with_enter(
    qtbot, window, article, project_path
) -> None:
    proposer = window.workspace.propose_claimant
    claim = new_claim_on_sentence(qtbot, window, "met")
    editor, controller = window.claims_tab.editor, window.claim_controller
    assert editor.proposal.text() == "<i>proposing…</i>"  # asked, not answered yet
    qtbot.waitUntil(lambda: controller.selected_claim().values.get("claimant") is not None, timeout=5000)
    assert proposer.calls == [(article, claim.start, claim.end)]
    assert controller.selected_claim().values["claimant"].text == "Shehbaz Sharif"
    assert window.undo_stack.undoText() == "Propose claimant 'Shehbaz Sharif'"
    assert editor.confirm_button.isVisible() and "proposed" in editor.proposal.text()
    assert editor.inputs["claimant"].currentText().startswith("Shehbaz Sharif")
    stored = stored_claims(project_path, article)[0].values["claimant"]
    assert stored.text == "Shehbaz Sharif"  # written at once: undoable like any edit

    press(qtbot, Qt.Key.Key_Return)  # Enter in the claimant box confirms
    assert not editor.confirm_button.isVisible()
    assert "confirmed" in window.statusBar().currentMessage()

    new_claim_on_sentence(qtbot, window, "travelled")  # "Munir" alone is no entity
    qtbot.waitUntil(lambda: not controller.proposing, timeout=5000)
    assert "No claimant candidate" in window.statusBar().currentMessage()


def test_a_proposal_that_arrives_after_the_researcher_chose_leaves_the_choice_alone(
    qtbot, window, article
) -> None:
    gate = threading.Event()
    fake = window.workspace.propose_claimant

    def slow(document_id, start, end):  # type: ignore[no-untyped-def]
        gate.wait(5)  # the model is still loading on the worker
        return fake(document_id, start, end)

    window.workspace.propose_claimant = slow
    new_claim_on_sentence(qtbot, window, "met")
    controller = window.claim_controller
    assert controller.proposing
    press(qtbot, Qt.Key.Key_Down)  # the first entity: Shehbaz Sharif
    gate.set()
    qtbot.waitUntil(lambda: not controller.proposing, timeout=5000)
    claim = controller.selected_claim()
    assert claim.values["claimant"].text == "Shehbaz Sharif"
    assert not controller.is_proposed(claim)
    assert window.undo_stack.undoText() == "Code claimant = 'Shehbaz Sharif'"


def test_typing_survives_a_proposal_arriving_meanwhile(qtbot, window, article) -> None:
    gate = threading.Event()
    fake = window.workspace.propose_claimant
    window.workspace.propose_claimant = lambda *where: gate.wait(5) and fake(*where)
    new_claim_on_sentence(qtbot, window, "met")
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    assert focused_name() == "claimInput_note"
    press(qtbot, "half")  # typed, not yet stored, when the proposal is written
    gate.set()
    controller = window.claim_controller
    qtbot.waitUntil(lambda: not controller.proposing, timeout=5000)
    assert controller.is_proposed(controller.selected_claim())
    press(qtbot, " done")
    press(qtbot, Qt.Key.Key_Tab)
    assert controller.selected_claim().values["note"] == "half done"


def test_the_claimant_proposal_can_be_undone_and_a_changed_one_is_no_longer_proposed(
    qtbot, window, article
) -> None:
    new_claim_on_sentence(qtbot, window, "met")
    controller = window.claim_controller
    qtbot.waitUntil(lambda: controller.selected_claim().values.get("claimant") is not None, timeout=5000)
    assert controller.is_proposed(controller.selected_claim())
    press(qtbot, Qt.Key.Key_Down)  # another entity: the researcher decided
    assert not controller.is_proposed(controller.selected_claim())
    assert window.undo_stack.undoText() == "Code claimant = 'Asim Munir'"
    window.actions.undo.trigger()
    window.actions.undo.trigger()
    assert controller.selected_claim().values.get("claimant") is None


def test_claim_creation_span_change_and_deletion_undo_and_redo(qtbot, window, article, project_path) -> None:
    view = window.article
    claim = new_claim_on_sentence(qtbot, window, "said")
    qtbot.waitUntil(lambda: not window.claim_controller.proposing, timeout=5000)
    press(qtbot, Qt.Key.Key_Escape)

    later = ARTICLE.index("Later, Munir")
    drag_select(qtbot, view, later, later + len("Later, Munir travelled"))
    key(qtbot, view, Qt.Key.Key_C, SHIFT)  # set the selected claim's span
    assert stored_claims(project_path, article)[0].text == "Later, Munir travelled"
    assert window.undo_stack.undoText() == "Set claim span to 'Later, Munir travelled'"

    view.setFocus()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored_claims(project_path, article)[0].text == SECOND
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_claims(project_path, article)[0].text == "Later, Munir travelled"

    window.claim_controller.select(claim.id)
    key(qtbot, view, Qt.Key.Key_Delete)  # no entity selected: Delete removes the claim
    assert stored_claims(project_path, article) == []
    assert window.undo_stack.undoText() == "Delete claim 'Later, Munir travelled'"
    assert window.claims_tab.model.rowCount() == 0
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert [c.id for c in stored_claims(project_path, article)] == [claim.id]
    assert window.claim_controller.selected == claim.id  # undo selects what it restored
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # the span change
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # the creation
    assert stored_claims(project_path, article) == []
    assert window.actions.undo.text() == "Nothing to &Undo"
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [c.text for c in stored_claims(project_path, article)] == [SECOND]


def test_claims_are_saved_as_they_go_and_reopen_in_a_new_window(
    qtbot, window, article, project_path, settings
) -> None:
    from annotator.app import app_services, make_workspace
    from annotator.ui.shell.dialogs import CannedPrompts
    from annotator.ui.shell.main_window import MainWindow

    new_claim_on_sentence(qtbot, window, "met")
    qtbot.waitUntil(lambda: not window.claim_controller.proposing, timeout=5000)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, "s")
    window.close()

    with Project.open(project_path) as reopened:
        again = MainWindow(make_workspace(reopened, "tester"), settings, CannedPrompts(), app_services(),
                           document=article)
        qtbot.addWidget(again)
        again.show()
        (claim,) = again.claim_controller.ordered()
        assert claim.values["form"] == "statement"
        assert claim.values["claimant"].text == "Shehbaz Sharif"
        assert again.claims_tab.model.rowCount() == 1
        assert len(again.article.highlighter.claims) == 1
        again.close()


@pytest.mark.slow
def test_the_real_parser_proposes_the_speaker_without_blocking_the_window(qtbot, window, project) -> None:
    text = (
        "Operation talks\n\nPrime Minister Shehbaz Sharif emphasized that the operation would be "
        "pivotal in countering terrorism. Asim Munir agreed."
    )
    document = add_document(project, text, "Operation talks")
    suggest(project, document, "Shehbaz Sharif", "PERSON")
    suggest(project, document, "Asim Munir", "PERSON")
    window.workspace.propose_claimant = ClaimantProposer(project).propose  # spaCy's parser
    window.open_document(document)
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    view = window.article
    click_text(qtbot, view, text.index("pivotal"))
    key(qtbot, view, Qt.Key.Key_S)
    key(qtbot, view, Qt.Key.Key_C)  # the parser loads on the worker thread meanwhile
    controller = window.claim_controller
    qtbot.waitUntil(lambda: not controller.proposing, timeout=120_000)
    timer.stop()

    assert controller.selected_claim().values["claimant"].text == "Shehbaz Sharif"  # the speaker
    gaps = [b - a for a, b in pairwise(ticks)]
    assert max(gaps) < 0.25, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms"


def test_the_shortcut_reference_lists_the_claim_keys(window) -> None:
    html = reference_html(window.codebook)
    for text in ("<b>C</b>", "<b>S</b>", "<b>Shift+C</b>", "<b>E</b>", "Make a claim of the selected words",
                 "a value's letter (shown in brackets) picks it", "Alt+click"):
        assert text in html


def test_the_proposed_claimant_note_fits_the_editor(qtbot, window, article) -> None:
    """The note under a proposed claimant wraps: no sideways scrolling, Confirm stays visible."""
    new_claim_on_sentence(qtbot, window, "met")
    editor = window.claims_tab.editor
    qtbot.waitUntil(editor.confirm_button.isVisible, timeout=5000)
    qtbot.wait(50)  # let the form lay out
    scroll = editor.form_host.parentWidget().parentWidget()
    assert not scroll.horizontalScrollBar().isVisible()
    assert editor.form_host.minimumSizeHint().width() <= scroll.viewport().width()
    right = editor.confirm_button.mapTo(scroll.viewport(), editor.confirm_button.rect().topRight()).x()
    assert right <= scroll.viewport().width()


def test_free_text_is_stored_after_a_pause_in_typing(qtbot, window, article, project_path, monkeypatch) -> None:
    """A crash right after typing a memo loses no more than the last moment of it."""
    from annotator.ui.claims import claim_typed_inputs

    monkeypatch.setattr(claim_typed_inputs, "TEXT_PAUSE_MS", 50)
    claim = new_claim_on_sentence(qtbot, window, "travelled")
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    assert focused_name() == "claimInput_note"
    press(qtbot, "officials")
    qtbot.waitUntil(lambda: stored_claims(project_path, article)[0].values.get("note") == "officials", timeout=3000)
    assert claim.id == stored_claims(project_path, article)[0].id
    press(qtbot, " too")
    press(qtbot, Qt.Key.Key_Return)  # stored at once on Enter, one undo step with the pause's
    assert stored_claims(project_path, article)[0].values["note"] == "officials too"
    assert window.undo_stack.undoText() == "Code note = officials too"
    window.actions.undo.trigger()
    assert window.claim_controller.selected_claim().values.get("note") is None
    # a date is never stored half-typed
    window.actions.redo.trigger()
    date_input = window.claims_tab.editor.inputs["claim_date"]
    date_input.setFocus()
    press(qtbot, "2024-0")
    qtbot.wait(150)
    assert "claim_date" not in stored_claims(project_path, article)[0].values
    assert date_input.styleSheet() == ""


def test_a_claim_on_a_new_document_puts_it_in_progress_and_undo_puts_it_back(qtbot, window, article) -> None:
    from annotator.domain.model import DocumentStatus

    assert window.controller.document.status is DocumentStatus.NEW
    new_claim_on_sentence(qtbot, window, "travelled")
    assert window.controller.document.status is DocumentStatus.IN_PROGRESS  # the header follows
    assert window.document_model.summary_at(0).status is DocumentStatus.IN_PROGRESS
    while window.undo_stack.canUndo():
        window.actions.undo.trigger()
    assert window.claim_controller.claims == {}
    assert window.controller.document.status is DocumentStatus.NEW
    assert window.document_model.summary_at(0).status is DocumentStatus.NEW
