"""Edit → Undo and Redo, and what they say when there is nothing to undo.

Undo covers the session: every change made since the project was opened (a codebook change
that removes variables or values starts it afresh, because older steps may name them). It is
not kept across restarts on purpose: replaying a week-old step over work done since (a model
re-run, an imported codebook) could undo more than the researcher meant. Nothing is lost by
that, because every decision stays reversible by hand: rejected suggestions are kept and shown
with Ctrl+H, claims and details can be edited again, and a done document reopened.

With an empty history the menu says "Nothing to Undo" and Ctrl+Z explains the rule in the
status bar, instead of doing nothing silently after a restart.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow

UNDO_KEYS = ("Ctrl+Z",)
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")
NOTHING_TO_UNDO = (
    "Nothing to undo: undo covers the changes made since this project was opened "
    "(every decision can still be changed by hand; Ctrl+H shows rejected suggestions)"
)
NOTHING_TO_REDO = "Nothing to redo"
MESSAGE_MS = 6000


class UndoActions(QObject):
    def __init__(self, window: QMainWindow, stack: QUndoStack) -> None:
        super().__init__(window)
        self.window, self.stack = window, stack
        self.undo = self._action("undo", UNDO_KEYS, stack.undo)
        self.redo = self._action("redo", REDO_KEYS, stack.redo)
        # Enabled only while Undo (Redo) is not, so a key never has two meanings at once.
        self._no_undo = self._action("nothing_to_undo", UNDO_KEYS, lambda: self._say(NOTHING_TO_UNDO))
        self._no_redo = self._action("nothing_to_redo", REDO_KEYS, lambda: self._say(NOTHING_TO_REDO))
        for signal in (stack.indexChanged, stack.canUndoChanged, stack.canRedoChanged,
                       stack.undoTextChanged, stack.redoTextChanged):
            signal.connect(self._update)
        self._update()

    def _action(self, name: str, keys: tuple[str, ...], slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(self.window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _update(self, *_args: object) -> None:
        try:
            can_undo, can_redo = self.stack.canUndo(), self.stack.canRedo()
        except RuntimeError:  # the stack clears itself as the window closes: nothing to show
            return
        if can_undo:
            self.undo.setText(f"&Undo {self.stack.undoText()}")
            self.undo.setStatusTip(f"Undo: {self.stack.undoText()}")
        else:
            self.undo.setText("Nothing to &Undo")
            self.undo.setStatusTip(NOTHING_TO_UNDO)
        if can_redo:
            self.redo.setText(f"&Redo {self.stack.redoText()}")
            self.redo.setStatusTip(f"Redo: {self.stack.redoText()}")
        else:
            self.redo.setText("Nothing to &Redo")
            self.redo.setStatusTip(NOTHING_TO_REDO)
        self.undo.setEnabled(can_undo)
        self.redo.setEnabled(can_redo)
        self._no_undo.setEnabled(not can_undo)
        self._no_redo.setEnabled(not can_redo)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)
