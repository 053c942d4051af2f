"""Opening a project made by an older Annotator says it was upgraded and where the copy is."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from annotator.app import make_workspace
from annotator.services.project import Project
from annotator.storage.db import make_engine
from annotator.storage.schema import upgrade
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings


def test_the_window_names_the_backup_of_an_upgraded_project(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    path.touch()  # make_engine opens existing files only
    engine = make_engine(path)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO project_info VALUES ('application', 'annotator')"))
        connection.execute(  # an old project always had its codebook
            text("INSERT INTO labels (name, color, shortcut, description, spacy_labels, position)"
                 " VALUES ('PERSON', '#0072B2', NULL, '', '[]', 0)")
        )
    engine.dispose()
    project = Project.open(path)
    assert project.backup is not None
    window = MainWindow(make_workspace(project, "tester"), AppSettings.in_memory(), CannedPrompts())
    qtbot.addWidget(window)
    message = window.statusBar().currentMessage()
    assert "Upgraded this project" in message and project.backup.name in message
