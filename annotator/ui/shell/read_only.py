"""Read-only mode: a project open in another Annotator window can be read here, not changed.

The engine itself is opened read-only (SQLite refuses every write); this is the window's side:
every command and input that edits is off, and the status bar says "Read-only".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from annotator.ui.shell.actions import WindowActions

OPEN_ELSEWHERE = "This project is open in another Annotator window: you can read it here, not change it"


class ReadOnlyBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Read-only", parent)
        self.setObjectName("readOnlyLabel")
        self.setToolTip(OPEN_ELSEWHERE)
        self.setStyleSheet("font-weight: bold; padding: 0 6px;")
        self.hide()

    def apply(self, read_only: bool, actions: WindowActions, editors: Sequence[QWidget]) -> None:
        """Lock (or unlock) the commands that edit and the widgets that take input."""
        actions.set_read_only(read_only)
        for widget in editors:
            widget.setEnabled(not read_only)
        self.setVisible(read_only)
