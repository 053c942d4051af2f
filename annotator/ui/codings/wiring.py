"""Adding the Codes tab to the window's side tabs, beside Entities and Claims.

Kept out of ``main_window.py``: the tab follows the controller's ``document_opened`` and
reads the code layer of whichever workspace the window has now. The tab shows only in
projects that have codings (an import of a REFI-QDA project gives them).
"""

from __future__ import annotations

from typing import Any

from annotator.services.codings import CodingList
from annotator.ui.codings.codes_panel import CodesPanel


def attach_codes_panel(window: Any) -> CodesPanel:
    """Add the Codes tab to ``window`` (a MainWindow) and keep it on the open document."""
    panel = CodesPanel()
    index = window.side_tabs.addTab(panel, "Codes")

    def on_document(document: Any, _spans: object) -> None:
        codings = CodingList(window.workspace.project)
        has_codings = codings.count() > 0
        window.side_tabs.setTabVisible(index, has_codings)
        panel.show_codings(codings.for_document(int(document.id)) if document is not None and has_codings
                           else [])

    def select(start: int, end: int) -> None:
        window.article.select_text(start, end)
        window.article.setFocus()

    window.controller.document_opened.connect(on_document)
    panel.range_chosen.connect(select)
    current = getattr(window.controller, "document", None)
    on_document(current, None)
    return panel
