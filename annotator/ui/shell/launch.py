"""Start the desktop app: pick the project, ask the coder's name once, show (or photograph) it.

``annotator`` with no arguments reopens the last project; the very first time it creates the
demo project in the user's data folder and pre-annotates it in the background.
``annotator PROJECT`` opens that project (offering to create it when it does not exist).
``--screenshot OUT.png`` renders the window offscreen and exits, writing no settings and
asking nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from annotator.domain.errors import AnnotatorError, ServerAuthenticationError, ServerUnreachableError
from annotator.domain.ids import DocumentId
from annotator.domain.location import ServerLocation
from annotator.services.project import Project
from annotator.ui.codings.wiring import attach_codes_panel
from annotator.ui.shell.dialogs import CannedPrompts, Prompts, default_coder_name
from annotator.ui.shell.display import missing_display, quiet_qt_noise
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.project_menu import open_or_offer_read_only
from annotator.ui.shell.server_open import open_with_password
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.workspace import AppServices, Workspace

#: Set it to skip the name question (tests, shared lab machines, scripted screenshots).
CODER_ENV = "ANNOTATOR_CODER"


def launch(
    project: Path | None = None,
    screenshot: Path | None = None,
    document: int | None = None,
    size: tuple[int, int] = (1400, 900),
    *,
    services: AppServices | None = None,
    settings: AppSettings | None = None,
    prompts: Prompts | None = None,
) -> int:
    if services is None:
        raise ValueError("launch() needs the services wired by annotator.app")
    if screenshot is not None and QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # never flash a window
    if QApplication.instance() is None and (reason := missing_display()):
        print(f"annotator: {reason}", file=sys.stderr)
        return 2
    quiet_qt_noise()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    if screenshot is not None:
        settings = AppSettings.in_memory()
        prompts = CannedPrompts(coder=os.environ.get(CODER_ENV) or "screenshot")
    settings = settings or AppSettings.for_user()
    prompts = prompts or Prompts()

    coder = coder_name(settings, prompts)
    workspace = open_workspace(project, services, settings, prompts, coder, interactive=screenshot is None)
    if workspace is None:
        return 2
    window = MainWindow(workspace, settings, prompts, services, DocumentId(document) if document else None)
    attach_codes_panel(window)  # the Codes tab (issue 13), wired from outside the window
    if screenshot is not None:
        return take_screenshot(window, screenshot, size)
    window.show()
    return int(app.exec())  # type: ignore[union-attr]


def coder_name(settings: AppSettings, prompts: Prompts) -> str:
    """The environment wins, then the remembered name; the first start asks once."""
    name = os.environ.get(CODER_ENV) or settings.coder_name()
    if not name:
        name = prompts.coder_name(None) or default_coder_name() or "coder"
        settings.set_coder_name(name)
    return name


def open_workspace(
    path: Path | None,
    services: AppServices,
    settings: AppSettings,
    prompts: Prompts,
    coder: str,
    interactive: bool = True,
) -> Workspace | None:
    fresh_demo = False
    try:
        if path is not None:
            if not path.exists():
                if not interactive or not prompts.confirm_create(path):
                    return _fail(prompts, f"{path}: no such project", interactive)
                project = services.create_project(path)
            else:
                project = open_or_offer_read_only(services.open_project, path, services, prompts)
        else:
            project = _open_last(services, settings, prompts, interactive)
            if project is _DECLINED:
                return None
            if project is None:
                if services.demo_path.exists():
                    project = open_or_offer_read_only(
                        services.open_project, services.demo_path, services, prompts
                    )
                else:
                    project = services.create_demo_project(services.demo_path)
                    fresh_demo = True
    except AnnotatorError as exc:
        return _fail(prompts, str(exc), interactive)
    if project is None:  # open elsewhere, and the reader chose not to open it read-only
        return None
    workspace = services.make_workspace(project, coder)
    workspace.preannotate_on_open = fresh_demo and interactive
    return workspace


#: The last project is open in another window and the reader chose Cancel: start nothing.
_DECLINED: Any = object()


def _open_last(
    services: AppServices, settings: AppSettings, prompts: Prompts, interactive: bool
) -> Project | None:
    """The last project, if it still opens; one that no longer does is dropped from the
    recent list (after saying why), so the next start does not stumble on it again."""
    last = settings.last_project()
    if last is None or not last.exists():
        return None
    try:
        if isinstance(last, ServerLocation) and interactive:  # the password is asked again
            project = open_with_password(services.open_project, str(last), prompts.server_password)
        else:
            project = open_or_offer_read_only(services.open_project, last, services, prompts)
        return _DECLINED if project is None else project
    except AnnotatorError as exc:
        _fail(prompts, str(exc), interactive)
        # a server that is down or a refused login today is no reason to forget the project
        if not isinstance(exc, ServerUnreachableError | ServerAuthenticationError):
            settings.forget_project(last)
        return None


def _fail(prompts: Prompts, message: str, interactive: bool) -> None:
    print(f"annotator: error: {message}", file=sys.stderr)
    if interactive:
        prompts.error("Cannot open the project", message)
    return None


def take_screenshot(window: MainWindow, out: Path, size: tuple[int, int]) -> int:
    """Lay the window out offscreen at ``size``, save it as a PNG and close it."""
    window.resize(*size)
    window.show()
    for _ in range(3):  # layout, then highlighting and painting
        QApplication.processEvents()
    saved = window.grab().save(str(out))
    window.close()
    if not saved:
        print(f"annotator: error: could not write {out}", file=sys.stderr)
        return 1
    return 0
