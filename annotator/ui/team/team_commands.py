"""The Team menu: whose work the window shows, and how far each coder has got."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.domain.errors import LayerError
from annotator.ui.adjudication.launch import open_adjudication
from annotator.ui.shell.read_only import OPEN_ELSEWHERE
from annotator.ui.team.live_refresh import LiveRefresh
from annotator.ui.team.progress_dialog import TeamProgressDialog

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


class TeamCommands:
    def __init__(self, window: MainWindow, rebind: Callable[[], None]) -> None:
        self.window = window
        self._rebind = rebind  # show the workspace again, on the document that is open
        self.live = LiveRefresh(self._change_token, parent=window)
        self.live.changed.connect(self._others_changed)
        self.live.unreachable.connect(lambda why: window.show_message(
            f"Cannot reach the project ({why}); what you did before is saved. Retrying…"))
        self.live.reachable.connect(lambda: window.show_message("The project answers again"))

    def _change_token(self) -> Callable[[], object] | None:
        team = self.window.workspace.team
        return None if team is None else team.change_token

    def _others_changed(self) -> None:
        """Someone's status or assignment changed (here or in another app): show it."""
        self.window.document_model.reload()
        ws = self.window.workspace
        dialog = getattr(self.window, "team_progress", None)
        if ws.team is not None and dialog is not None and dialog.isVisible():
            dialog.refresh(ws.team.progress(), ws.team.blind())

    def view_coder(self) -> None:
        """Show another coder's work read-only (the PI, or anyone when coding is not blind)."""
        ws = self.window.workspace
        if ws.team is None:
            return
        names = [c.name for c in ws.team.coders()]
        if ws.coder and ws.coder not in names:
            names.insert(0, ws.coder)
        chosen = self.window.prompts.coder_to_view(names, ws.viewing or ws.coder)
        if chosen is None:
            return
        if not ws.team.may_view(ws.coder, chosen):
            raise LayerError(
                f"coding is blind in this project: only the PI can look at {chosen}'s work"
            )
        ws.view(chosen)
        self._rebind()
        badge = self.window.read_only_label
        badge.setToolTip(OPEN_ELSEWHERE)
        if ws.viewing and not ws.project.read_only:
            badge.setToolTip(f"You are looking at {ws.viewing}'s coding, which only they can change. "
                             "Team → View Coder's Work… with your own name returns to your coding.")

    def change_coder(self) -> None:
        """Edit -> Coder Name: who is coding; in a team project, that coder's layer."""
        ws = self.window.workspace
        name = self.window.prompts.coder_name(ws.coder)
        if not name:
            return
        ws.set_coder(name)
        self.window.settings.set_coder_name(name)
        if ws.team is not None and len(ws.team.coders()) > 1:
            self.window.settings.set_project_coder(ws.project.path, name)
        self._rebind()

    def adjudicate(self) -> None:
        open_adjudication(self.window)

    def show_progress(self) -> None:
        ws = self.window.workspace
        if ws.team is None:
            return
        dialog = TeamProgressDialog(ws.team.progress(), ws.team.blind(), self.window)
        dialog.show()
        self.window.team_progress = dialog  # keep it alive; tests read it

    def show_reliability(self) -> None:
        """Team -> Reliability (numpy and the statistics load with the view, not at start)."""
        from annotator.ui.reliability.launch import show_reliability

        show_reliability(self.window)
