"""The label palette: each label's colour, name and key; clicking one applies it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

from annotator.domain.model import Codebook
from annotator.ui.article.span_styles import SpanStyles
from annotator.ui.entities.entity_panel import swatch


class LabelPalette(QWidget):
    label_chosen = Signal(str)

    def __init__(self, codebook: Codebook, styles: SpanStyles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.buttons: dict[str, QToolButton] = {}
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self._layout.setHorizontalSpacing(8)
        self._layout.setVerticalSpacing(1)
        self.set_codebook(codebook, styles)

    def set_codebook(self, codebook: Codebook, styles: SpanStyles) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.buttons = {}
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for row, label in enumerate(sorted(codebook.labels, key=lambda lb: lb.position)):
            button = QToolButton()
            button.setObjectName(f"label-{label.name}")
            button.setText(label.name)
            button.setIcon(swatch(styles.color(label.name), size=14))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article
            key = f" (key {label.shortcut})" if label.shortcut else ""
            tip = f"<b>{label.name}</b>{key}"
            button.setToolTip(f"{tip}<br>{escape(label.description)}" if label.description else tip)
            button.clicked.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            key_label = QLabel(label.shortcut or "")
            key_label.setStyleSheet(f"color: {muted}; font-family: monospace;")
            key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._layout.addWidget(button, row, 0)
            self._layout.addWidget(key_label, row, 1)
            self.buttons[label.name] = button
        self._layout.setColumnStretch(0, 1)
