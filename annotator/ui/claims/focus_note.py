"""A line under the claim form that shows the focused variable's value in full.

A narrow panel cuts long values ("Civil society: NGO, union, movement, religious group,
citizens") and long entity names in their boxes; the note below the form repeats the value
of the input that has the keyboard, wrapped, with the keys it takes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QWidget

from annotator.ui.claims.claim_input_keys import EMPTY


def full_text(widget: QWidget) -> str:
    """What the input holds, as words: the chosen value, the ticked values, the typed text."""
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QListWidget):
        ticked = [
            widget.item(row).text() for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        ]
        return "; ".join(ticked) or EMPTY
    text = getattr(widget, "text", None)
    return str(text()) if callable(text) else ""


class FocusNote(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("focusNote")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setContentsMargins(4, 2, 4, 0)
        self.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 6)
        self.clear_note()

    def show_for(self, caption: str, widget: QWidget, hint: str) -> None:
        value = full_text(widget)
        shown = f"<b>{escape(caption)}</b>"
        if value and value != EMPTY:
            shown += f": {escape(value)}"
        if isinstance(widget, QListWidget) and widget.currentItem() is not None:
            shown += f"<br>▸ {escape(widget.currentItem().text())}"  # the row the keys act on
        self.setText(f"{shown}<br><span style='color:gray'>{escape(hint)}</span>")

    def clear_note(self) -> None:
        # Always there (two lines), so the form does not jump when the keyboard arrives.
        self.setText("<span style='color:gray'>Tab goes from variable to variable; "
                     "Esc goes back to the article.</span>")
