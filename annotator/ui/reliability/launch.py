"""Opening the Reliability view from the Team menu, and opening a document at a disagreement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.errors import AgreementError, LayerError
from annotator.domain.ids import DocumentId
from annotator.domain.model import CoderRole
from annotator.services.agreement.job import coders_with_work
from annotator.ui.reliability.reliability_dialog import ReliabilityDialog
from annotator.ui.shell.workspace import Workspace

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def show_reliability(window: MainWindow) -> ReliabilityDialog:
    """Show the view (the one already open for this project, or a new one computing at once)."""
    ws = window.workspace
    if ws.team is None or ws.agreement is None:
        raise AgreementError("reliability is not available here: it compares the work of a team's coders")
    if not ws.team.sees_everyone(ws.coder):
        raise LayerError("coding is blind in this project: only the PI can see how the coders agree")
    dialog: ReliabilityDialog | None = getattr(window, "reliability", None)
    if dialog is None or dialog.workspace is not ws:
        if dialog is not None:
            dialog.close()
        progress = [p for p in ws.team.progress() if p.name != FINAL_LAYER]
        work = [(p.name, p.role is CoderRole.PI, p.in_progress + p.done) for p in progress]
        chosen = coders_with_work(work)
        dialog = ReliabilityDialog(
            ws.agreement, window.runner, [p.name for p in progress], chosen,
            lambda doc, start, end, codings: open_at(window, ws, doc, start, end, codings), window,
        )
        dialog.workspace = ws  # the figures are this project's
        window.reliability = dialog  # type: ignore[attr-defined]  # kept alive; tests read it
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if dialog.result is None and not dialog.computing:
        dialog.compute()
    return dialog


def open_at(
    window: MainWindow, workspace: Workspace, document: DocumentId, start: int, end: int, codings: str = "",
) -> None:
    """Open the document in the main window with the disagreement's words selected, and say
    what each coder coded there (the window shows one layer: the PI's own, or one coder's)."""
    if window.workspace is not workspace:
        window.show_message("These figures belong to the project open before; Team → Reliability "
                            "computes them for this one")
        return
    window.open_document(document)
    window.article.select_text(start, end)
    window.article.ensureCursorVisible()
    if codings:
        window.show_message(f"Coded here: {codings} · Team → View Coder's Work shows one coder's coding")
    window.raise_()
    window.activateWindow()
