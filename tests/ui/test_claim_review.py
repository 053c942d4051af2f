"""Seeing claims: the article's claim layer, the claims panel, incomplete and review marks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from annotator.domain.model import EntityRef
from annotator.ui.claims.claim_marks import ClaimState, claim_state
from annotator.ui.claims.claim_panel import ClaimTableModel
from annotator.ui.documents.document_model import DocumentListModel
from tests.ui.conftest import ARTICLE
from tests.ui.helpers import click_text, drag_select, key
from tests.ui.test_claims import FIRST, SECOND, new_claim_on_sentence, stored_claims

CTRL = Qt.KeyboardModifier.ControlModifier
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def proposed(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.claim_controller.proposing, timeout=5000)


def test_incomplete_claims_are_marked_in_the_panel_and_the_document_list(qtbot, window, article) -> None:
    new_claim_on_sentence(qtbot, window, "met")
    proposed(qtbot, window)
    model = window.claims_tab.model
    assert model.data(model.index(0, ClaimTableModel.STATE), TOOLTIP) == "Missing: form, position"
    assert claim_state(model.rows[0], window.claim_controller.missing(model.rows[0])) is ClaimState.INCOMPLETE
    assert model.data(model.index(0, ClaimTableModel.STATE), Qt.ItemDataRole.DecorationRole) is not None
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["", "Claim", "Claimant", "Form", "Pos."]  # the key variables this codebook has
    assert model.data(model.index(0, 2)) == "Shehbaz Sharif"

    documents = window.document_model
    assert documents.data(documents.index(0, DocumentListModel.CLAIMS)) == 1
    assert documents.data(documents.index(0, DocumentListModel.CLAIMS), Qt.ItemDataRole.DecorationRole)
    assert documents.data(documents.index(0, DocumentListModel.CLAIMS), TOOLTIP).startswith("1 claim(s), 1 incomplete")

    controller = window.claim_controller
    claim = controller.selected_claim()
    controller.set_value(claim.id, "form", "statement")
    controller.set_value(claim.id, "position", 1)
    assert model.data(model.index(0, ClaimTableModel.STATE), TOOLTIP) == "Complete"
    assert model.data(model.index(0, 3)) == "statement"
    assert model.data(model.index(0, 4)) == "+1"
    assert documents.summary_at(0).incomplete_claims == 0
    assert not documents.data(documents.index(0, DocumentListModel.CLAIMS), Qt.ItemDataRole.DecorationRole)
    assert window.claims_tab.editor.state.text().endswith("Complete</span>")


def test_deleting_the_claimant_entity_flags_the_claim_for_review(qtbot, window, article, project_path) -> None:
    sharif = ARTICLE.index("Shehbaz")
    drag_select(qtbot, window.article, sharif, sharif + len("Shehbaz Sharif"))
    key(qtbot, window.article, Qt.Key.Key_1)  # a manual entity is deleted (a suggestion would be rejected)
    new_claim_on_sentence(qtbot, window, "met")
    proposed(qtbot, window)
    claim_id = window.claim_controller.selected
    view = window.article
    view.setFocus()
    click_text(qtbot, view, ARTICLE.index("Shehbaz") + 2)  # select the claimant entity
    assert window.controller.selected_span().text == "Shehbaz Sharif"
    assert window.claim_controller.selected == claim_id  # the claim stays open beside it
    key(qtbot, view, Qt.Key.Key_Delete)  # Delete acts on the entity, not the claim

    (claim,) = stored_claims(project_path, article)  # the claim is kept ...
    assert claim.needs_review
    assert claim.values["claimant"] == EntityRef(None, "Shehbaz Sharif")  # ... with the name
    model = window.claims_tab.model
    assert "Needs review" in model.data(model.index(0, ClaimTableModel.STATE), TOOLTIP)
    editor = window.claims_tab.editor
    assert "Needs review" in editor.state.text() and editor.review_button.isVisible()
    assert editor.inputs["claimant"].currentText() == "Shehbaz Sharif  (entity deleted)"
    assert window.document_model.summary_at(0).incomplete_claims == 1

    editor.review_button.click()  # Mark reviewed
    assert not stored_claims(project_path, article)[0].needs_review
    assert window.undo_stack.undoText() == f"Mark claim '{FIRST[:31]}…' reviewed"
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored_claims(project_path, article)[0].needs_review
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # the entity comes back, and the link with it
    restored = stored_claims(project_path, article)[0]
    assert restored.values["claimant"].span_id is not None and not restored.needs_review


def test_a_row_selects_the_claim_in_the_text_and_a_click_in_the_text_selects_the_row(
    qtbot, window, article
) -> None:
    first = new_claim_on_sentence(qtbot, window, "met")
    second = new_claim_on_sentence(qtbot, window, "said")
    proposed(qtbot, window)
    view, panel, controller = window.article, window.claims_tab.panel, window.claim_controller
    assert [c.text for c in window.claims_tab.model.rows] == [FIRST, SECOND]

    panel.setFocus()
    panel.selectRow(0)
    assert controller.selected == first.id
    assert view.selected_claim == first.id
    sharif = next(s for s in window.controller.spans.values() if s.text == "Shehbaz Sharif")
    assert view.claimant == sharif.id  # its claimant entity is framed

    click_text(qtbot, view, ARTICLE.index("budget"))  # inside the second claim, off any entity
    assert controller.selected == second.id
    assert panel.currentIndex().row() == 1
    click_text(qtbot, view, ARTICLE.index("Asim") + 1)  # an entity inside a claim: the entity
    assert window.controller.selected_span().text == "Asim Munir"
    assert controller.selected == second.id
    click_text(qtbot, view, ARTICLE.index("Asim") + 1, Qt.KeyboardModifier.AltModifier)  # Alt: the claim
    assert controller.selected == first.id and window.controller.selected is None

    key(qtbot, view, Qt.Key.Key_Escape)  # deselects the claim
    assert controller.selected is None and view.selected_claim is None
    assert panel.currentIndex().row() == -1


def test_claims_are_underlined_without_hiding_entity_fills(qtbot, window, article) -> None:
    window.controller.accept_all()
    new_claim_on_sentence(qtbot, window, "met")
    proposed(qtbot, window)
    block = window.article.document().findBlockByNumber(2)
    formats = block.layout().formats()
    underlined = [f for f in formats if f.format.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline]
    assert sum(f.length for f in underlined) == len(FIRST)
    filled = [f for f in underlined if f.format.background().style() != Qt.BrushStyle.NoBrush]
    assert {block.text()[f.start : f.start + f.length] for f in filled} == {
        "Shehbaz Sharif", "Asim Munir", "Islamabad"
    }
    # Incomplete: dashed; complete: solid.
    assert {f.format.underlineStyle() for f in underlined} == {QTextCharFormat.UnderlineStyle.DashUnderline}


def test_an_entity_edit_beside_claims_repaints_only_its_paragraph(qtbot, window, article) -> None:
    new_claim_on_sentence(qtbot, window, "met")
    proposed(qtbot, window)
    highlighter = window.article.highlighter
    highlighter.blocks_highlighted = 0
    window.controller.select_next_pending()
    window.controller.accept_selected()  # the claims did not change: no whole-document repaint
    assert highlighter.blocks_highlighted == 1
