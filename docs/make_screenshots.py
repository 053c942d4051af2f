"""Regenerate the screenshots in docs/ from the demo articles, offscreen.

    .venv/bin/python docs/make_screenshots.py

Builds the demo project in a temporary folder, pre-annotates it with the installed spaCy
model, makes a few decisions a researcher would make (so accepted, suggested and rejected
entities all show), then photographs the real main window at 1400x900; then codes three claims in the protest
article and photographs the claims view with one claim selected.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.app import make_workspace
from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.domain.spans import sentence_bounds
from annotator.services.browse import Browser
from annotator.services.claims import ClaimCoding
from annotator.services.corrections import Corrections
from annotator.services.demo import create_demo_project
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.shortcuts import ShortcutDialog

DOCS = Path(__file__).resolve().parent
SIZE = (1400, 900)


def prepare(path: Path) -> Project:
    project = create_demo_project(path)
    run_to_end(Preannotator(project).run())
    browser, corrections = Browser(project), Corrections(project, coder="ayesha")
    ids = [s.id for s in browser.page()]
    corrections.accept_all(ids[0])
    corrections.set_document_status(ids[0], DocumentStatus.DONE)
    for span in browser.spans(ids[1])[:6]:
        corrections.accept(span.id)  # type: ignore[arg-type]
    spans = {s.text: s for s in browser.spans(ids[2])}
    for text in ("Lahore", "Tuesday", "the Punjab Growers' Union", "Asad Warraich", "March"):
        if text in spans:
            corrections.accept(spans[text].id)  # type: ignore[arg-type]
    if "Mall" in spans:  # the model left out "The" of "The Mall"
        corrections.resize(spans["Mall"].id, "start", grow=True)  # type: ignore[arg-type]
    if "Punjab" in spans:  # a province, not a group of people
        corrections.relabel(spans["Punjab"].id, "LOCATION")  # type: ignore[arg-type]
    if "six hours" in spans:
        corrections.reject(spans["six hours"].id)  # type: ignore[arg-type]
    return project


CLAIMS = (  # (sentence start, claimant, values): what a coder would code in the protest article
    ("Punjab's Food Minister", "Asad Warraich", {
        "claimant_type": "government", "form": "statement", "issue": "economy", "position": 1,
        "quote": "indirect", "justification": "warehouses still full after record imports", "certainty": 3,
        "frames": ("economic",),
    }),
    ("The opposition Awami", "Awami Kissan Party", {
        "claimant_type": "political_party", "form": "demand", "issue": "economy", "position": -1,
    }),
    ("The protest was called", "Chaudhry Rafiq Bajwa", {"form": "protest"}),  # still incomplete
)


def code_claims(project: Project, document: int) -> int:
    """Tag three claims in the protest article; returns the one to show selected."""
    browser, corrections = Browser(project), Corrections(project, coder="ayesha")
    coding = ClaimCoding(project, coder="ayesha")
    text = browser.bundle(document).document.text  # type: ignore[arg-type]
    first = None
    for opening, claimant, values in CLAIMS:
        start = text.index(opening)
        spans = {s.text: s for s in browser.spans(document)}  # type: ignore[arg-type]
        speaker = spans.get(claimant)
        if speaker is None:
            at = text.index(claimant)
            speaker = corrections.create(document, at, at + len(claimant), "PERSON").after  # type: ignore[arg-type]
        elif speaker.status is not SpanStatus.ACCEPTED:
            speaker = corrections.accept(speaker.id).after  # type: ignore[arg-type]
        claim = coding.create(document, start, sentence_bounds(text, start)[1]).after  # type: ignore[arg-type]
        for name, value in {"claimant": speaker.id, **values}.items():  # type: ignore[union-attr]
            coding.set_value(claim.id, name, value)  # type: ignore[union-attr]
        first = first or claim.id  # type: ignore[union-attr]
    return first  # type: ignore[return-value]


def window_on(project: Project, document: int, select: str | None) -> MainWindow:
    window = MainWindow(make_workspace(project, "ayesha"), AppSettings.in_memory(), CannedPrompts(),
                        document=document)  # type: ignore[arg-type]
    window.resize(*SIZE)
    window.show()
    if select is not None:
        found = next(s for s in window.controller.spans.values() if s.text == select)
        window.controller.select(found.id)
    for _ in range(3):
        QApplication.processEvents()
    return window


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d6fa5",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.ToolTipBase: "#333333", QPalette.ColorRole.ToolTipText: "#e6e6e6",
    }.items():
        palette.setColor(role, QColor(color))
    return palette


def main() -> None:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory() as folder:
        project = prepare(Path(folder) / "Demo.annotator")
        ids = [s.id for s in Browser(project).page()]

        window = window_on(project, ids[2], select="Chaudhry Rafiq Bajwa")
        window.grab().save(str(DOCS / "screenshot-main.png"))
        selected_claim = code_claims(project, ids[2])

        window.close()
        window = window_on(project, ids[2], select=None)
        window.claim_controller.select(selected_claim)  # shows the Claims tab and its editor
        for _ in range(3):
            QApplication.processEvents()
        window.grab().save(str(DOCS / "screenshot-claims.png"))

        dialog = ShortcutDialog(window.codebook, window)
        dialog.resize(640, 900)
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(str(DOCS / "screenshot-shortcuts.png"))
        dialog.close()
        window.close()

        app.setPalette(dark_palette())
        project = Project.open(project.path)
        dark = window_on(project, ids[1], select=None)
        dark.controller.select_next_pending()
        QApplication.processEvents()
        dark.grab().save(str(DOCS / "screenshot-dark.png"))
        dark.close()
    print("wrote", *(p.name for p in sorted(DOCS.glob("screenshot-*.png"))))


if __name__ == "__main__":
    main()
