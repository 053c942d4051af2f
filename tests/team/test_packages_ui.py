"""File -> Merge Coder's Work in the app: runs on the worker thread, reports, refreshes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.app import app_services, make_workspace
from annotator.services.packages import make_package
from annotator.services.project import Project
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from tests.team.packages_helpers import TEXTS, Study, entity, layer, make_study, table_rows


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return make_study(tmp_path / "study.annotator")


@pytest.fixture
def alice_package(study: Study) -> Path:
    out = study.path.with_name("alice.annotator")
    make_package(study.path, "alice", out)
    with Project(out) as package:
        entity(package, study.docs["one"], "Munir", "alice")
    return out


@pytest.fixture
def window(qtbot, study: Study, tmp_path: Path) -> Iterator[MainWindow]:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    project = Project.open(study.path)
    main = MainWindow(make_workspace(project, "paula"), settings, CannedPrompts("paula"), app_services(),
                      document=study.docs["one"])
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_merge_coders_work_from_the_file_menu(qtbot, window: MainWindow, study: Study,
                                              alice_package: Path) -> None:
    prompts = window.prompts
    assert isinstance(prompts, CannedPrompts)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.actions["merge_work"] in file_menu.actions()
    prompts.answers["packages_to_merge"] = [alice_package]
    window.actions["merge_work"].trigger()
    qtbot.waitUntil(lambda: bool(prompts.informed), timeout=10_000)
    title, text = prompts.informed[-1]
    assert title == "Coders' work merged"
    assert "alice.annotator (alice): 1 document(s) updated, 1 unchanged, 0 added" in text
    assert prompts.errors == []
    assert layer(study.path, "alice") == layer(alice_package, "alice")
    assert {e[:2] for e in layer(study.path, "alice")[TEXTS["one"]]["entities"]} == {(0, 6), (11, 16)}
    assert window.controller.document is not None and window.controller.document.id == study.docs["one"]


def test_a_refused_merge_shows_why_and_changes_nothing(qtbot, window: MainWindow, study: Study) -> None:
    prompts = window.prompts
    assert isinstance(prompts, CannedPrompts)
    copy = study.path.with_name("copy.annotator")
    copy.write_bytes(study.path.read_bytes())
    before = table_rows(study.path)
    prompts.answers["packages_to_merge"] = [copy]
    window.actions["merge_work"].trigger()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=10_000)
    title, text = prompts.errors[-1]
    assert title == "Nothing was merged"
    assert "copy.annotator: is a project, not a coder's package" in text
    assert prompts.informed == []
    assert table_rows(study.path) == before


def test_cancelling_the_file_dialog_merges_nothing(qtbot, window: MainWindow, study: Study) -> None:
    before = table_rows(study.path)
    window.actions["merge_work"].trigger()  # no packages chosen
    assert not window.runner.is_busy()
    assert table_rows(study.path) == before


def test_a_codebook_refusal_lists_each_difference_on_its_own_line() -> None:
    from annotator.domain.errors import CodebookMismatchError
    from annotator.ui.shell.merge_action import readable

    message = str(CodebookMismatchError("alice.annotator", "study.annotator",
                                        ["value neutral of form added", "variable tone added (single)"]))
    assert readable(message).splitlines()[1:3] == ["• value neutral of form added", "• variable tone added (single)"]
    assert "File → Export Codebook…" in readable(message)
