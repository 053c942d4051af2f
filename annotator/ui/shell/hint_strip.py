"""The key hints at the foot of the window: what the keys do for the task at hand.

A newcomer should not need F1 to begin: with no document the strip says how to import; in an
article, how to walk and label suggestions; with an entity selected, its keys; on the Claims
tab, the claim keys; while a claim is coded, the editor's keys. It lives in the status bar, so
it costs no room, and a status message covers it for a few seconds, then it is back. View →
Key Hints (or its ×) hides it, and the choice is remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QWidget,
)

from annotator.domain.model import Codebook, SpanStatus
from annotator.ui.claims.claim_controller import ClaimController
from annotator.ui.claims.claims_tab import ClaimsTab
from annotator.ui.editing.controller import AnnotationController

Hint = tuple[str, str]  # keys, what they do


@dataclass(frozen=True)
class Situation:
    """What the reader is doing, as far as the keys are concerned."""

    document: bool = False
    entity: bool = False
    claims_tab: bool = False
    claim: bool = False
    coding: bool = False  # the keyboard is in the claim editor
    pending: bool = False  # undecided suggestions left in the article


def label_keys(codebook: Codebook) -> str:
    """'1–9' for the label keys when they run on, else the keys themselves ('1, 2, 5')."""
    keys = sorted(lb.shortcut for lb in codebook.labels if lb.shortcut)
    digits = [int(k) for k in keys if k.isdigit()]
    if len(digits) == len(keys) and len(digits) > 2 and digits == list(range(digits[0], digits[-1] + 1)):
        return f"{digits[0]}–{digits[-1]}"
    return ", ".join(keys)


def hints_for(situation: Situation, labels: str) -> list[Hint]:
    if not situation.document:
        return [("Ctrl+I", "import files"), ("Ctrl+Shift+I", "import a folder"),
                ("", "or drop files on the window"), ("F1", "all keys")]
    if situation.coding:
        return [("Tab", "next variable"), ("Shift+Tab", "previous"), ("letter", "pick a value"),
                ("Ctrl+Z", "undo"), ("Esc", "back to the article")]
    if situation.entity:
        hints = [("Enter", "accept"), ("X", "reject")]
        if labels:
            hints.append((labels, "relabel"))
        return [*hints, ("Shift+←/→", "move start"), ("Ctrl+Shift+←/→", "move end"),
                ("Del", "remove"), ("Esc", "deselect")]
    if situation.claims_tab and situation.claim:
        return [("E", "code the claim"), ("] [", "next/previous claim"),
                ("Shift+C", "move it to the selected words"), ("Del", "delete it"), ("Esc", "deselect")]
    if situation.claims_tab:
        return [("S", "select the sentence"), ("C", "make it a claim"), ("] [", "next/previous claim"),
                ("Ctrl+Enter", "document done, open the next"), ("F1", "all keys")]
    hints = [("N", "next suggestion")] if situation.pending else []
    if labels:
        hints.append((labels, "label the selected words"))
    return [*hints, ("S", "sentence"), ("C", "claim"), ("Ctrl+Enter", "document done, open the next"),
            ("F2", "details"), ("F1", "all keys")]


def hints_html(hints: Sequence[Hint]) -> str:
    muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
    parts = [
        (f"<b>{escape(keys)}</b> " if keys else "") + f"<span style='color:{muted}'>{escape(text)}</span>"
        for keys, text in hints
    ]
    return "&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts)


class HintStrip(QWidget):
    def __init__(
        self, codebook: Callable[[], Codebook], toggle: QAction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hintStrip")
        self._codebook, self.toggle = codebook, toggle
        self._situation: Callable[[], Situation] = Situation
        self.label = QLabel()
        self.label.setObjectName("hintText")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        # Never widen the window: on a narrow screen the last hints are cut off instead.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        close = QToolButton(text="×")
        close.setObjectName("hideHints")
        close.setAutoRaise(True)
        close.setToolTip("Hide the key hints (View → Key Hints shows them again)")
        close.clicked.connect(lambda: toggle.setChecked(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(close)
        layout.addWidget(self.label, 1)
        toggle.toggled.connect(self._on_toggled)
        self.setVisible(toggle.isChecked())

    def watch(
        self,
        entities: AnnotationController,
        claims: ClaimController,
        side_tabs: QTabWidget,
        claims_tab: ClaimsTab,
    ) -> None:
        """Follow the window: the open document, the selections, the tab and the keyboard."""

        def situation() -> Situation:
            on_claims = side_tabs.currentWidget() is claims_tab
            focus = QApplication.focusWidget()
            return Situation(
                document=entities.document is not None,
                entity=entities.selected is not None,
                claims_tab=on_claims,
                claim=claims.selected is not None,
                coding=on_claims and focus is not None and claims_tab.editor.isAncestorOf(focus),
                pending=any(s.status is SpanStatus.SUGGESTED for s in entities.spans.values()),
            )

        self._situation = situation
        for signal in (entities.document_opened, entities.selection_changed, entities.spans_changed,
                       claims.selection_changed, side_tabs.currentChanged):
            signal.connect(self.refresh)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.refresh)
        self.refresh()

    def _on_toggled(self, shown: bool) -> None:
        self.setVisible(shown)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        try:
            if not self.toggle.isChecked():
                return
            hints = hints_for(self._situation(), label_keys(self._codebook()))
        except RuntimeError:  # the window is being torn down (focus moves as it closes)
            return
        self.label.setText(hints_html(hints))
