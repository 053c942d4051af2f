"""The Codes tab: the open document's QDA codings (overlapping, several coders); a click
selects the coding's range in the article, emoji before it or not."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.codings import Coding
from annotator.domain.ids import DocumentId
from annotator.services.project import Project
from annotator.storage.repositories.codings import CodingRepository
from annotator.ui.codings.wiring import attach_codes_panel
from annotator.ui.shell.main_window import MainWindow
from tests.ui.conftest import add_document

TEXT = "Budget 😀 day 🇵🇰.\r\nImran Khan said the economy had failed."


def _code(project: Project, document_id: int, part: str, code: str, coder: str, memo: str = "") -> None:
    start = TEXT.index(part)
    with project.session() as session:
        CodingRepository(session).add([Coding(document_id, start, start + len(part), part, code, coder, memo)])


def test_the_tab_shows_only_in_projects_with_codings(qtbot, window: MainWindow) -> None:
    attach_codes_panel(window)
    index = window.side_tabs.count() - 1
    assert window.side_tabs.tabText(index) == "Codes"
    assert not window.side_tabs.isTabVisible(index)


def test_codings_are_listed_and_a_click_selects_their_text(
    qtbot, window: MainWindow, project: Project, article: DocumentId
) -> None:
    document_id = add_document(project, TEXT, "Budget day")
    _code(project, document_id, "Imran Khan said the economy had failed.", "economy", "ayesha", "a memo")
    _code(project, document_id, "Imran Khan said the economy had failed.", "blame", "bilal")
    _code(project, document_id, "Imran Khan", "politician", "ayesha")
    panel = attach_codes_panel(window)
    window.open_document(document_id)
    index = window.side_tabs.indexOf(panel)
    assert window.side_tabs.isTabVisible(index)
    window.side_tabs.setCurrentIndex(index)
    tree = panel.tree
    rows = [[tree.topLevelItem(i).text(c) for c in range(4)] for i in range(tree.topLevelItemCount())]
    assert rows == [
        ["politician", "ayesha", "Imran Khan", ""],
        ["blame", "bilal", "Imran Khan said the economy had failed.", ""],
        ["economy", "ayesha", "Imran Khan said the economy had failed.", "a memo"],
    ]
    assert panel.summary.text().startswith("3 coding(s) by 2 coder(s)")
    item = tree.topLevelItem(1)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    start = TEXT.index("Imran")
    assert window.article.selected_range() == (start, len(TEXT))
    assert window.article.textCursor().selectedText() == "Imran Khan said the economy had failed."
    window.open_document(article)  # another document: its own (no) codings
    assert tree.topLevelItemCount() == 0
