"""Pre-annotation on the worker thread: a real Preannotator run on 200 documents, with a
blank spaCy pipeline saved to disk (fast), while the GUI thread keeps ticking."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest
import spacy
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from annotator.app import make_workspace
from annotator.domain.model import SpanStatus
from annotator.services.browse import Browser
from annotator.services.preannotate import MODEL_SETTING
from annotator.services.project import Project
from annotator.services.ui_support import add_pattern
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from tests.ui.conftest import add_document

DOCUMENTS = 200


def blank_model(folder: Path) -> Path:
    """A blank English pipeline with an (untrained) recognizer: loads and runs in a blink."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")
    nlp.initialize()
    nlp.to_disk(folder)
    return folder


@pytest.fixture
def busy_project(project: Project, tmp_path: Path) -> Project:
    project.set_setting(MODEL_SETTING, str(blank_model(tmp_path / "model")))
    add_pattern(project, "PERSON", "Alice Smith")  # the ruler's suggestions
    add_pattern(project, "LOCATION", "Paris")
    for i in range(DOCUMENTS):
        add_document(
            project,
            f"Report {i}\n\nAlice Smith met officials in Paris on day {i}. The talks on trade "
            "went on for hours and ended without an agreement, officials said.",
            f"Report {i}",
        )
    return project


@pytest.fixture
def busy_window(qtbot, busy_project: Project, settings):  # type: ignore[no-untyped-def]
    window = MainWindow(make_workspace(busy_project, "tester"), settings, CannedPrompts())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_the_window_stays_responsive_while_200_documents_are_preannotated(qtbot, busy_window) -> None:
    window = busy_window
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(50)
    with qtbot.waitSignal(window.runner.idle, timeout=60_000):
        window.actions["preannotate_unprocessed"].trigger()
        assert window.task_bar.isVisible()
    timer.stop()

    gaps = [b - a for a, b in pairwise(ticks)]
    print(f"max gap {max(gaps) * 1000:.1f} ms over {len(ticks)} ticks")
    assert len(ticks) > 20
    assert max(gaps) < 0.100, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms"
    assert not window.task_bar.isVisible()
    assert "Pre-annotated 200 documents" in window.statusBar().currentMessage()

    # The open document and its list row were refreshed as the run went.
    assert sorted(s.text for s in window.controller.spans.values()) == ["Alice Smith", "Paris"]
    assert len(window.article.index) == 2
    assert window.document_model.summary_at(0).suggested == 2
    assert window.document_model.summary_at(DOCUMENTS - 1).suggested == 2
    browser = Browser(window.workspace.project)
    assert all(s.suggested == 2 for s in browser.page(limit=DOCUMENTS))
    assert {s.status for s in browser.spans(browser.first_document())} == {SpanStatus.SUGGESTED}


def test_quitting_during_a_run_stops_it_cleanly(qtbot, busy_window) -> None:
    window = busy_window
    window.actions["preannotate_unprocessed"].trigger()
    qtbot.waitUntil(lambda: window.document_model.summary_at(0).suggested > 0, timeout=30_000)
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 5
    assert not window.runner._thread.isRunning()


def test_files_dropped_on_the_window_are_imported(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Storm in Karachi\n\nRain fell all day.", encoding="utf-8")
    (folder / "two.txt").write_text("Budget in Lahore\n\nThe council met.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.dropEvent(event)
    assert window.document_model.rowCount() == 4
    assert "Imported 2 documents" in window.statusBar().currentMessage()


def test_files_that_fail_to_import_are_listed_in_full(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("Storm in Karachi\n\nRain fell all day.", encoding="utf-8")
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf"):
        (folder / name).write_bytes(b"not a pdf " * 20)
    (folder / "e.docx").write_bytes(b"PK not really a docx")
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.jobs.import_paths([folder])
    assert "5 file(s) failed" in window.statusBar().currentMessage()
    [(title, text)] = window.prompts.informed
    assert title == "Some files were not imported"
    assert text.startswith("Imported 1 document.")
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.docx"):
        assert str(folder / name) in text
    assert "is not a Word .docx file" in text


def test_export_runs_on_the_worker_and_writes_the_workbook(qtbot, window, tmp_path: Path) -> None:
    target = tmp_path / "coding.xlsx"
    window.prompts.answers["export_target"] = target
    assert window.actions["export"].isEnabled()
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["export"].trigger()
    assert target.read_bytes()[:2] == b"PK"  # a zip container, as every .xlsx is
    assert f"Exported to {target}" in window.statusBar().currentMessage()


def test_files_imported_with_repairs_are_reported(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes("Storm in Zürich\n\nRain fell all day\xff.".encode().replace(b"\xc3\xbf", b"\xff"))
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.jobs.import_paths([path])
    assert "1 file(s) with warnings" in window.statusBar().currentMessage()
    [(title, text)] = window.prompts.informed
    assert title == "Some files needed repairs"
    assert "article.txt: 1 byte was not valid UTF-8 and was replaced by \ufffd" in text


def test_documents_spacy_could_not_read_are_named_after_a_run(qtbot, window) -> None:
    from annotator.services.preannotate import PreannotateSummary, SkippedDocument

    summary = PreannotateSummary(model_name="fake", documents=2)
    summary.failed.append(SkippedDocument(7, "spaCy could not process it: [E088] text too long"))
    window.jobs._on_preannotated(summary)
    assert "1 skipped: spaCy could not read them" in window.statusBar().currentMessage()
    [(title, text)] = window.prompts.informed
    assert title == "Documents skipped" and "document 7: spaCy could not process it" in text
