"""File -> New Project, Open Project and Open Recent: choose a file, open it, switch to it.

A project open in another Annotator window is not opened for writing a second time: the
reader is told who has it and may open it read-only instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu

from annotator.domain.errors import AnnotatorError, ProjectInUseError
from annotator.domain.location import LocationError, ServerLocation
from annotator.services.project import Project
from annotator.ui.shell.dialogs import Prompts
from annotator.ui.shell.server_open import open_with_password
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.workspace import AppServices, Workspace


class ProjectMenu:
    """Opens projects through the services and hands each new workspace to ``switch``."""

    def __init__(
        self,
        services: AppServices | None,
        settings: AppSettings,
        prompts: Prompts,
        recent_menu: QMenu,
        coder: Callable[[], str],
        switch: Callable[[Workspace], None],
        current: Callable[[], Path] | None = None,
    ) -> None:
        self.services, self.settings, self.prompts = services, settings, prompts
        self.recent_menu = recent_menu
        self._coder, self._switch, self._current = coder, switch, current
        recent_menu.aboutToShow.connect(self._fill_recent)

    def new_project(self) -> None:
        path = self.prompts.project_to_create()
        if path is not None and self.services is not None:
            self._open(self.services.create_project, path)

    def choose_project(self) -> None:
        path = self.prompts.project_to_open()
        if path is not None:
            self.open_project(path)

    def open_project(self, path: Path) -> None:
        if self.services is not None:
            if isinstance(path, ServerLocation):
                self._open_server(str(path))
                return
            self._open(self.services.open_project, path)

    def choose_server_project(self) -> None:
        """File -> Open Server Project: a URL; the password is asked when the server wants it."""
        last = next((str(p) for p in self.settings.recent_projects() if isinstance(p, ServerLocation)), "")
        text = self.prompts.server_url(last)
        if text is not None and self.services is not None:
            self._open_server(text)

    def _open_server(self, text: str) -> None:
        assert self.services is not None
        try:
            project = open_with_password(self.services.open_project, text, self.prompts.server_password)
        except (AnnotatorError, LocationError) as exc:
            self.prompts.error("Cannot open the project", str(exc))
            return
        if project is not None:
            self._switch(self.services.make_workspace(project, self._coder()))

    def _open(self, opener: Callable[[Path], Project], path: Path) -> None:
        assert self.services is not None
        if self._current is not None and _same(self._current(), path):
            self.prompts.inform("Already open", f"{path.name} is the project open in this window.")
            return
        try:
            project = open_or_offer_read_only(opener, path, self.services, self.prompts)
        except AnnotatorError as exc:
            self.prompts.error("Cannot open the project", str(exc))
            return
        if project is not None:
            self._switch(self.services.make_workspace(project, self._coder()))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_projects():
            action = self.recent_menu.addAction(str(path), lambda p=path: self.open_project(p))
            action.setEnabled(path.exists())
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent projects").setEnabled(False)


def open_or_offer_read_only(
    opener: Callable[[Path], Project], path: Path, services: AppServices, prompts: Prompts
) -> Project | None:
    """Open ``path``; if another window has it, offer read-only. None: the reader declined."""
    try:
        return opener(path)
    except ProjectInUseError as exc:
        if services.open_read_only is None or not prompts.open_read_only(str(exc)):
            return None
        return services.open_read_only(path)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
