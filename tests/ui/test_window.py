"""The window around the article: document list, settings, first start, screenshots."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.app import app_services, make_workspace
from annotator.domain.model import DocumentStatus
from annotator.services.browse import Browser
from annotator.services.preannotate import MODEL_SETTING
from annotator.services.project import Project
from annotator.ui.documents.document_model import DocumentListModel
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.launch import coder_name, open_workspace
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.shortcuts import reference_html
from tests.ui.conftest import add_document
from tests.ui.test_background import blank_model

ROOT = Path(__file__).resolve().parents[2]


def test_the_document_list_filters_by_text_and_status(qtbot, window) -> None:
    panel = window.document_list
    qtbot.keyClicks(panel.filter_edit, "flood")
    qtbot.waitUntil(lambda: window.document_model.rowCount() == 1, timeout=2000)
    assert window.document_model.summary_at(0).title == "Floods in Sindh"
    assert panel.count_label.text() == "1 document shown"
    panel.filter_edit.clear()
    qtbot.waitUntil(lambda: window.document_model.rowCount() == 2, timeout=2000)
    window.controller.mark_done_and_next()
    panel.status_box.setCurrentIndex(panel.status_box.findData(DocumentStatus.DONE.value))
    assert [window.document_model.summary_at(r).title for r in range(window.document_model.rowCount())] == [
        "Talks in Islamabad"
    ]


def test_the_list_reads_pages_only_as_they_are_shown(project: Project) -> None:
    for i in range(23):
        add_document(project, f"Article {i}\n\nSome words about {i}.", f"Article {i:02d}")
    model = DocumentListModel(Browser(project), page_size=5)
    assert model.rowCount() == 23
    assert model._pages == {}
    assert model.summary_at(22).title == "Article 22"
    assert list(model._pages) == [4]
    assert model.row_of(model.document_id_at(7)) == 7


def test_choosing_a_document_in_the_list_opens_it_and_it_is_remembered(
    qtbot, window, project, settings, project_path
) -> None:
    table = window.document_list.table
    rect = table.visualRect(window.document_model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.controller.document.title == "Floods in Sindh"
    window.resize(760, 560)
    window.close()

    again = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts())
    qtbot.addWidget(again)
    assert again.controller.document.title == "Floods in Sindh"
    assert (again.width(), again.height()) == (760, 560)
    assert settings.recent_projects() == [project_path.resolve()]
    again.close()


def test_the_coder_name_comes_from_the_environment_or_is_asked_once(monkeypatch, tmp_path) -> None:
    settings = AppSettings.in_memory()
    monkeypatch.setenv("ANNOTATOR_CODER", "ayesha")
    assert coder_name(settings, CannedPrompts(coder="never asked")) == "ayesha"
    monkeypatch.delenv("ANNOTATOR_CODER")
    assert coder_name(settings, CannedPrompts(coder="bilal")) == "bilal"
    assert coder_name(settings, CannedPrompts(coder="asked again?")) == "bilal"  # remembered


def test_coder_name_can_be_changed_and_is_recorded(qtbot, window, project_path, article) -> None:
    window.prompts.coder = "zainab"
    window.actions["coder_name"].trigger()
    assert window.coder_label.text() == "Coder: zainab"
    window.controller.select_next_pending()
    window.controller.accept_selected()
    accepted = [s for s in Browser(window.workspace.project).spans(article) if s.annotator]
    assert [s.annotator for s in accepted] == ["zainab"]


def test_first_start_creates_the_demo_and_preannotates_it_in_the_background(qtbot, tmp_path) -> None:
    services = dataclasses.replace(app_services(), demo_path=tmp_path / "data" / "Demo.annotator")
    settings = AppSettings.in_memory()
    workspace = open_workspace(None, services, settings, CannedPrompts(), "tester")
    assert workspace is not None and workspace.preannotate_on_open
    workspace.project.set_setting(MODEL_SETTING, str(blank_model(tmp_path / "model")))
    window = MainWindow(workspace, settings, CannedPrompts(), services)
    qtbot.addWidget(window)
    assert window.document_model.rowCount() == 4
    assert window.controller.document is not None
    qtbot.waitUntil(lambda: "Pre-annotated 4 documents" in window.statusBar().currentMessage(), timeout=30_000)
    window.close()
    # The next start opens the last project, which is now the demo.
    again = open_workspace(None, services, settings, CannedPrompts(), "tester")
    assert again is not None and not again.preannotate_on_open
    assert again.project.path == services.demo_path
    again.close()


def test_a_missing_project_is_created_only_when_the_reader_agrees(tmp_path) -> None:
    services = app_services()
    missing = tmp_path / "new.annotator"
    refused = CannedPrompts(confirm_create=False)
    assert open_workspace(missing, services, AppSettings.in_memory(), refused, "t") is None
    assert refused.errors and "no such project" in refused.errors[0][1]
    assert not missing.exists()
    created = open_workspace(missing, services, AppSettings.in_memory(), CannedPrompts(confirm_create=True), "t")
    assert created is not None and missing.exists()
    created.close()


def test_the_shortcut_reference_documents_the_resize_keys(window) -> None:
    html = reference_html(window.codebook)
    assert "Shift+Left</b> grows the entity at its start" in html
    assert "Ctrl+Shift+Left</b> shrinks it there" in html
    assert "<b>1</b>" in html and "PERSON" in html


def test_the_screenshot_command_writes_a_png(tmp_path, project_path, article, project) -> None:
    project.close()
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "gui", str(project_path), "--screenshot", str(out),
         "--document", str(article), "--size", "1366x768"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**_clean_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "propagateSizeHints" not in result.stderr
    assert int.from_bytes(out.read_bytes()[16:20], "big") == 1366  # the PNG's width
    missing = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "gui", str(tmp_path / "nope.annotator"), "--screenshot", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env=_clean_env(),
    )
    assert missing.returncode == 2 and "no such project" in missing.stderr


def _clean_env() -> dict[str, str]:
    import os

    # A throwaway HOME: screenshot mode must not read or write the user's settings anyway.
    return {k: v for k, v in os.environ.items() if k not in ("ANNOTATOR_CODER",)}


def test_file_open_switches_the_window_to_another_project(qtbot, window, tmp_path) -> None:
    other_path = tmp_path / "other.annotator"
    with Project(other_path, create=True) as other:
        add_document(other, "Elections in Manila\n\nVoters queued for hours.", "Elections in Manila")
    window.controller.select_next_pending()
    window.controller.accept_selected()
    assert window.undo_stack.count() == 1
    window.prompts.answers["project_to_open"] = other_path
    window.actions["open_project"].trigger()
    assert window.windowTitle() == "other — Annotator"
    assert window.document_model.rowCount() == 1
    assert window.controller.document.title == "Elections in Manila"
    assert window.undo_stack.count() == 0  # undo never reaches into the project left behind
    assert len(window.label_palette.buttons) == 9  # the default codebook's labels
    assert window.settings.recent_projects()[0] == other_path.resolve()
