"""Killing the app at any moment loses nothing that was on screen after the last action.

A real window runs in a child process; after each keyboard edit it reports what it shows,
and the parent kills it with SIGKILL at that moment, then reads the project file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.domain.model import NewDocument
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from tests.conftest import SMALL_CODEBOOK

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Talks in Islamabad\n\nPrime Minister Shehbaz Sharif met Asim Munir in Islamabad."

CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from annotator.app import make_workspace
    from annotator.services.project import Project
    from annotator.ui.shell.dialogs import CannedPrompts
    from annotator.ui.shell.main_window import MainWindow
    from annotator.ui.shell.settings import AppSettings
    from tests.ui.helpers import drag_select

    class Bot:  # the little of pytest-qt's qtbot that drag_select uses
        mouseClick = staticmethod(QTest.mouseClick)

    app = QApplication([])
    project = Project.open(sys.argv[1])
    window = MainWindow(make_workspace(project, "crash-test"), AppSettings.in_memory(), CannedPrompts())
    window.resize(1200, 800)
    window.show()
    window.activateWindow()
    app.processEvents()
    window.controller.open_document(int(sys.argv[2]))
    app.processEvents()
    view = window.article
    text = window.controller.document.text
    steps = [
        ("Shehbaz Sharif", Qt.Key.Key_1),  # PERSON
        ("Asim Munir", Qt.Key.Key_1),
        ("Islamabad.", Qt.Key.Key_3),  # LOCATION (snaps to the word)
    ]
    for needle, key in steps:
        start = text.index(needle, text.index("Prime"))
        drag_select(Bot, view, start, start + len(needle))
        QTest.keyClick(view, key)
        app.processEvents()
        shown = sorted((s.text, s.label) for s in window.controller.spans.values())
        print(json.dumps(shown), flush=True)
        sys.stdin.readline()  # wait: the parent may kill us now
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("kill_after", [1, 3])
def test_sigkill_after_an_action_loses_nothing_shown(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "crash.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project, project.session() as session:
        document_id = DocumentRepository(session).add(NewDocument(text=TEXT, title="Talks"))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(document_id)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    try:
        shown: list[list[str]] = []
        for _ in range(kill_after):
            line = child.stdout.readline()  # type: ignore[union-attr]
            assert line, child.stderr.read()  # type: ignore[union-attr]
            shown = json.loads(line)
            if len(shown) < kill_after:
                child.stdin.write("\n")  # type: ignore[union-attr]
                child.stdin.flush()  # type: ignore[union-attr]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert len(shown) == kill_after
    with Project.open(path) as reopened:
        stored = sorted([s.text, s.label] for s in Browser(reopened, coder="crash-test").spans(document_id))
    assert stored == shown
