"""Who is coding this project: asked once per project when it has several coders.

A one-person project works as it always did (the name from Edit -> Coder Name). Once a project
knows other coders, the app asks which of them is at the keyboard (or a new name), and
remembers the answer for that project file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.domain.adjudication import FINAL_LAYER
from annotator.ui.shell.settings import AppSettings

if TYPE_CHECKING:
    from annotator.ui.shell.dialogs import Prompts
    from annotator.ui.shell.workspace import Workspace


def settle_coder(workspace: Workspace, settings: AppSettings, prompts: Prompts) -> None:
    """Set the workspace's coder for its project (asking when that is not clear)."""
    if workspace.team is None or workspace.viewing is not None or workspace.coder == FINAL_LAYER:
        return  # settled already: the PI is looking at another coder's work, or adjudicating
    names = [c.name for c in workspace.team.coders() if c.name != FINAL_LAYER]  # not a person
    current = workspace.coder
    remembered = settings.project_coder(workspace.project.path)
    packaged_for = workspace.team.package_coder()
    if packaged_for in names:
        chosen = packaged_for  # a coder's package: its work is theirs, whoever's laptop it is
    elif remembered in names:
        chosen = remembered
    elif not names or names == [current]:
        chosen = current  # a one-person project, as ever
    else:
        chosen = prompts.choose_coder(names, current if current in names else names[0], current)
        chosen = chosen or current
    if chosen is None:
        return
    if chosen != current:
        workspace.set_coder(chosen)
    if len(names) > 1 or chosen != current:
        settings.set_project_coder(workspace.project.path, chosen)


def coder_caption(workspace: Workspace) -> str:
    """The status bar's words for whose work is on screen."""
    me = workspace.coder or "—"
    if workspace.viewing:
        return f"Viewing {workspace.viewing}'s coding (read-only) · you are {me}"
    return f"Coder: {me}"
