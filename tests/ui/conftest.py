"""UI fixtures: a real main window on a small project, with settings in a temp file and no
dialogs (canned prompts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.app import app_services, make_workspace
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings

ARTICLE = (
    "Talks in Islamabad\n"
    "\n"
    "Prime Minister Shehbaz Sharif met Asim Munir in Islamabad on Monday. "
    "Sharif said the Finance Ministry would publish the budget.\n"
    "\n"
    "Later, Munir travelled to Lahore with officials of the Finance Ministry."
)
SECOND = "Floods in Sindh\n\nThe Red Crescent sent teams to Karachi and Hyderabad."


def add_document(project: Project, text: str, title: str) -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=text, title=title))


def suggest(project: Project, document_id: DocumentId, text: str, label: str, occurrence: int = 1) -> EntitySpan:
    """Store a model suggestion on the ``occurrence``-th appearance of ``text``."""
    with project.session() as session:
        full = DocumentRepository(session).get(document_id).text
        start = -1
        for _ in range(occurrence):
            start = full.index(text, start + 1)
        return SpanRepository(session).add(
            EntitySpan(document_id=document_id, start=start, end=start + len(text), text=text, label=label,
                       origin=SpanOrigin.MODEL, status=SpanStatus.SUGGESTED, model_name="test_model",
                       model_version="1.0")
        )


class FakeProposer:
    """Stands in for spaCy's claimant proposal: the persons and organisations of the claim,
    in text order. Called on the worker thread, like the real one."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.calls: list[tuple[DocumentId, int, int]] = []

    def __call__(self, document_id: DocumentId, start: int, end: int) -> list[SpanId]:
        self.calls.append((document_id, start, end))
        spans = sorted(Browser(self.project, coder="tester").spans(document_id), key=lambda s: s.start)
        return [
            s.id for s in spans
            if s.id is not None and s.label in ("PERSON", "ORG") and s.status is not SpanStatus.REJECTED
            and start <= s.start < end
        ]


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def article(project: Project) -> DocumentId:
    document_id = add_document(project, ARTICLE, "Talks in Islamabad")
    add_document(project, SECOND, "Floods in Sindh")
    suggest(project, document_id, "Shehbaz Sharif", "PERSON")
    suggest(project, document_id, "Asim Munir", "PERSON")
    suggest(project, document_id, "Islamabad", "LOCATION", occurrence=2)
    suggest(project, document_id, "Lahore", "LOCATION")
    return document_id


@pytest.fixture
def window(qtbot, project: Project, article: DocumentId, settings: AppSettings) -> Iterator[MainWindow]:
    workspace = make_workspace(project, "tester")
    workspace.propose_claimant = FakeProposer(project)  # spaCy stays out of the fast tests
    main = MainWindow(workspace, settings, CannedPrompts(), app_services(), document=article)
    qtbot.addWidget(main)
    main.resize(1200, 800)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()  # window shortcuts need the active window (as on a real desktop)
    qtbot.waitUntil(main.isActiveWindow, timeout=3000)
    yield main
    main.close()
