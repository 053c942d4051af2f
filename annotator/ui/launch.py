"""Start the desktop app (a minimal window until the full main window lands)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from annotator.domain.errors import AnnotatorError
from annotator.services.project import Project
from annotator.services.stats import project_stats


def launch(
    project: Path | None = None,
    screenshot: Path | None = None,
    document: int | None = None,
    size: tuple[int, int] = (1400, 900),
) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Annotator")
    message = "No project open. Use `annotator import PROJECT FILES...` to create one."
    if project is not None:
        try:
            with Project.open(project) as opened:
                stats = project_stats(opened)
            message = f"{project}: {stats['documents']} documents"
        except AnnotatorError as exc:
            print(f"annotator: error: {exc}", file=sys.stderr)
            return 2
    window.setCentralWidget(QLabel(message))
    window.resize(*size)
    if screenshot is not None:
        window.grab().save(str(screenshot))
        return 0
    window.show()
    return int(app.exec())
