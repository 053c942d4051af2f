"""Opening the adjudication panel from the Team menu, and what the main window shows meanwhile:
the final layer (read-only), or, after E in the panel, the final layer to edit as the coder
``final``. Closing the panel gives the window back to the PI's own coding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.errors import LayerError, ReadOnlyProjectError
from annotator.domain.ids import DocumentId
from annotator.ui.adjudication.panel import AdjudicationPanel

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def open_adjudication(window: MainWindow) -> AdjudicationPanel | None:
    ws = window.workspace
    if ws.team is None or ws.adjudication is None:
        window.show_message("Adjudication needs a project with several coders")
        return None
    if ws.project.read_only:
        raise ReadOnlyProjectError(ws.project.path, "adjudication cannot write the final layer")
    me = ws.coder
    if me != FINAL_LAYER and not ws.team.sees_everyone(me):
        raise LayerError("coding is blind in this project: only the PI can adjudicate")
    panel = AdjudicationPanel(ws.adjudication, window, report=window.show_message)
    returning_to = me if me != FINAL_LAYER else None

    def show_final(document_id: int) -> None:
        if window.workspace is ws:
            window.open_document(DocumentId(document_id))  # reads the layer again

    def edit_final(document_id: int) -> None:
        if window.workspace is not ws:
            return
        ws.set_coder(FINAL_LAYER)
        window.rebind()
        window.open_document(DocumentId(document_id))
        window.coder_label.setText("Coder: final (adjudicating)")
        window.activateWindow()

    def back_to_own(_result: int) -> None:
        if window.workspace is not ws:
            return
        if returning_to is not None and ws.coder == FINAL_LAYER:
            ws.set_coder(returning_to)
        ws.view(None)
        window.rebind()

    panel.final_changed.connect(show_final)
    panel.edit_wanted.connect(edit_final)
    # after the dialog has closed: rebinding rebuilds widgets that closing hands focus to
    panel.finished.connect(lambda result: QTimer.singleShot(0, lambda: back_to_own(result)))
    if me != FINAL_LAYER:
        ws.view(FINAL_LAYER)  # the window shows the final layer while the PI adjudicates
        window.rebind()
    if panel.document_id is not None:
        window.open_document(panel.document_id)
    panel.show()
    window.adjudication_panel = panel  # type: ignore[attr-defined]  # kept alive; tests read it
    return panel
