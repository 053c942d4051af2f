"""Keys of the window's one-line fields (the document filter, the find bar).

The window binds Enter (accept the selected entity), Esc (deselect) and commands on Ctrl+letters
as shortcuts. A shortcut fires before the focused widget sees its key unless the widget claims
the key in a ShortcutOverride, and a line edit claims letters and editing keys but not Enter
or Esc: Enter typed into the filter would accept an entity in the article. On X11 a line edit
also claims Emacs-style keys (Ctrl+E = end of line), which would swallow File → Export.

``FieldKeys`` gives Enter, Shift+Enter, Esc and F3 to the field (as signals), and hands the
window every Ctrl/Alt key that one of its enabled commands owns, except the editing keys a
text field needs (undo, redo, copy, cut, paste, select all).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_EDITING = (
    QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo, QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.SelectAll,
)


class FieldKeys(QObject):
    """Event filter for a line edit that lives in the main window."""

    entered = Signal(bool)  # Enter (True) or Shift+Enter (False)
    escaped = Signal()
    down_pressed = Signal()

    def __init__(self, field: QWidget) -> None:
        super().__init__(field)
        self.field = field
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        key, modifiers = key_event.key(), key_event.modifiers()
        mine = key in _ENTER or key == Qt.Key.Key_Escape
        if kind == QEvent.Type.ShortcutOverride:
            if mine and not modifiers & _COMMAND_MODIFIERS:
                event.accept()  # the field takes it as a key press
                return True
            if modifiers & _COMMAND_MODIFIERS and self._window_command(key_event):
                event.ignore()  # not claimed: the window's shortcut fires
                return True
            return False
        if key in _ENTER and not modifiers & _COMMAND_MODIFIERS:
            self.entered.emit(not modifiers & Qt.KeyboardModifier.ShiftModifier)
            return True
        if key == Qt.Key.Key_Escape and not modifiers:
            self.escaped.emit()
            return True
        if key == Qt.Key.Key_Down and not modifiers:
            self.down_pressed.emit()
            return True
        return False

    def _window_command(self, event: QKeyEvent) -> bool:
        """Whether an enabled command of the window owns this key (and it is no editing key)."""
        if any(event.matches(standard) for standard in _EDITING):
            return False
        pressed = QKeySequence(event.keyCombination())
        window = self.field.window()
        return any(
            action.isEnabled() and shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
            for action in QWidget.actions(window)  # the main window's ``actions`` is its own
            for shortcut in action.shortcuts()
        )
