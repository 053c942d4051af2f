"""Issue 15.4 in the app: choosing "Most uncertain first" reorders the document list, keeps
the open document selected, and each row's tooltip gives its score."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.ordering import DocumentOrder
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.ui.documents.document_list import DocumentListPanel
from annotator.ui.documents.document_model import DocumentListModel
from tests.learning.test_active_ordering import _add, _score

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _titles(model: DocumentListModel) -> list[str]:
    return [model.data(model.index(row, DocumentListModel.TITLE)) for row in range(model.rowCount())]


def test_choosing_most_uncertain_first_reorders_the_list(qtbot, project: Project) -> None:
    first, _second, third = _add(project, "One.", "Two.", "Three.")
    _score(project, {first: 0.01, third: 0.2})  # second: never scored
    browser = Browser(project)
    panel = DocumentListPanel(DocumentListModel(browser))
    qtbot.addWidget(panel)
    panel.show()
    panel.select_document(first)
    chosen: list[object] = []
    panel.document_chosen.connect(chosen.append)
    assert _titles(panel.model) == ["Document 1", "Document 2", "Document 3"]

    panel.order_box.setCurrentIndex(panel.order_box.findData(DocumentOrder.UNCERTAIN.value))
    assert _titles(panel.model) == ["Document 3", "Document 1", "Document 2"]
    assert browser.order is DocumentOrder.UNCERTAIN  # "next unfinished" follows the list
    assert panel.table.currentIndex().row() == 1 and chosen == []  # the open one stays, quietly
    tip = panel.model.data(panel.model.index(0, DocumentListModel.TITLE), TOOLTIP)
    assert "Model uncertainty 0.200" in tip
    assert "uncertainty" not in panel.model.data(panel.model.index(2, DocumentListModel.TITLE), TOOLTIP)

    panel.set_order(DocumentOrder.IMPORTED)
    assert _titles(panel.model) == ["Document 1", "Document 2", "Document 3"]
    assert panel.table.currentIndex().row() == 0


def test_a_new_score_moves_its_row_in_the_uncertain_order(qtbot, project: Project) -> None:
    first, second = _add(project, "One.", "Two.")
    _score(project, {first: 0.1})
    model = DocumentListModel(Browser(project))
    model.set_order(DocumentOrder.UNCERTAIN)
    assert _titles(model) == ["Document 1", "Document 2"]
    _score(project, {second: 0.3})  # pre-annotation scored it (the window then refreshes its row)
    with qtbot.waitSignal(model.modelReset):
        model.refresh([second])
    assert _titles(model) == ["Document 2", "Document 1"]
