"""A real main window on a small two-coder study, for the Reliability view's tests: alice
and bob coded the same two documents and marked them done; the window's coder is the PI."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.app import app_services, make_workspace
from annotator.domain.ids import DocumentId
from annotator.domain.model import CoderRole, DocumentStatus
from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from tests.reliability.study import add_claim, add_document, add_entities, set_status

FIRST = "Sharif said the army will leave Lahore. Khan demanded new elections in Karachi today."
SECOND = "Bilawal warned of floods in Sindh. Aurat March asked for a new law in Islamabad."
# alice and bob agree on three claims' form and differ on the fourth (the second of SECOND)
FORMS = {"alice": ("statement", "demand", "statement", "demand"),
         "bob": ("statement", "demand", "statement", "statement")}


def sentences(text: str) -> list[tuple[int, int]]:
    first_end = text.index(".") + 1
    return [(0, first_end), (first_end + 1, len(text))]


def build_study(project: Project) -> tuple[DocumentId, DocumentId]:
    with project.session() as session:
        people = CoderRepository(session)
        people.id_for("tester", CoderRole.PI)
        people.id_for("alice")
        people.id_for("bob")
    first, second = add_document(project, FIRST, "Talks in Lahore"), add_document(project, SECOND, "Floods")
    lahore = FIRST.index("Lahore")
    for coder in ("alice", "bob"):
        places = [(d, s, e) for d, text in ((first, FIRST), (second, SECOND)) for s, e in sentences(text)]
        for (doc, start, end), form in zip(places, FORMS[coder], strict=True):
            add_claim(project, doc, coder, start, end, {"form": form})
        where = "LOCATION" if coder == "alice" else "ORG"
        add_entities(project, first, coder, [(0, 6, "PERSON"), (lahore, lahore + 6, where)])
        add_entities(project, second, coder, [(0, 7, "PERSON")])
        for doc in (first, second):
            set_status(project, doc, coder, DocumentStatus.DONE)
    return first, second


def open_window(qtbot, project: Project, settings_file: Path, coder: str = "tester") -> MainWindow:  # type: ignore[no-untyped-def]
    settings = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    workspace = make_workspace(project, coder)
    workspace.propose_claimant = None
    window = MainWindow(workspace, settings, CannedPrompts(coder), app_services())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window
