"""What every claim input shares: plain keys stay in it, Esc leaves it, a red frame when
what it holds cannot be stored."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

EMPTY = "—"  # what an input shows for "no value"
INVALID_STYLE = "border: 1.5px solid #CC3311;"  # Paul Tol's vibrant red
_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def plain(event: QKeyEvent) -> bool:
    return not event.modifiers() & _MODIFIERS


class InputKeys(QObject):
    """Keeps plain keys inside the focused input, and turns Esc into "back to the article".

    The window binds single keys (N, X, C, digits, Enter, Delete) as shortcuts; a shortcut
    fires before the focused widget sees the key unless the widget claims it in a
    ShortcutOverride. Text fields do that for letters, but combo boxes and lists do not.
    Keys with Ctrl, Alt or Meta (undo, mark done) and function keys still reach the window.
    """

    escape_pressed = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        key = key_event.key()
        if not plain(key_event):
            return False
        if event.type() == QEvent.Type.KeyPress:
            if key == Qt.Key.Key_Escape:
                self.escape_pressed.emit()
                return True
            return False
        if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35:
            event.accept()  # the input takes the key as a key press
            return True
        return False


def mark_invalid(widget: QWidget, message: str | None) -> None:
    widget.setStyleSheet(INVALID_STYLE if message else "")
    widget.setToolTip(message or widget.property("help") or "")
