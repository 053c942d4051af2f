"""The window's codebook commands: the codebook dialog, and codebooks to and from JSON files.

Each one reports through ``changed`` once the stored codebook is different, so the window
can redraw what depends on it (label keys and colours, the claim editor's inputs).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.domain.errors import AnnotatorError
from annotator.services.codebook import CodebookDiff, CodebookReplacesAllError
from annotator.ui.codebook.codebook_dialog import CodebookDialog
from annotator.ui.shell.dialogs import Prompts
from annotator.ui.shell.workspace import Workspace


class CodebookCommands(QObject):
    changed = Signal(object)  # CodebookDiff of the change just stored
    message = Signal(str)

    def __init__(self, parent: QWidget, prompts: Prompts, workspace: Callable[[], Workspace]) -> None:
        super().__init__(parent)
        self.parent_widget, self.prompts, self._workspace = parent, prompts, workspace
        self.dialog: CodebookDialog | None = None

    def edit(self) -> CodebookDialog:
        """Open the dialog window-modally without blocking (tests drive it while it is open)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = CodebookDialog(
            self._workspace().codebooks, self.prompts, self.parent_widget, window_keys=self._window_keys()
        )
        self.dialog.saved.connect(self._on_saved)
        self.dialog.conflicted.connect(self._on_conflict)
        self.dialog.finished.connect(self._forget_dialog)
        self.dialog.open()
        return self.dialog

    def _on_conflict(self, message: str) -> None:
        """A stale draft: say so, redraw what depends on the codebook, and show the new one."""
        self.prompts.inform("The codebook changed meanwhile",
                            f"{message}.\n\nThe codebook dialog opens again with the codebook as it "
                            "is now: make your changes there once more.")
        self.changed.emit(CodebookDiff())
        self.message.emit("Codebook not saved: it was changed meanwhile; showing the new codebook")
        dialog = self.edit()
        dialog.error.setText("Reopened with the current codebook: your last draft was not saved.")

    def _window_keys(self) -> dict[str, str]:
        """Single keys the window's commands use (a label's key must not take one)."""
        keys: dict[str, str] = {}
        for action in QWidget.actions(self.parent_widget):  # the window's own `actions` is its commands
            if action.objectName().startswith("label_"):
                continue
            for sequence in action.shortcuts():
                text = sequence.toString()
                if len(text) == 1:
                    keys[text.lower()] = action.text().replace("&", "")
        return keys

    def export_json(self) -> None:
        project = self._workspace().project.path
        path = self.prompts.codebook_file_to_export(project.with_name(f"{project.stem}-codebook.json"))
        if path is None:
            return
        try:
            self._workspace().codebooks.export_json(path)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(f"Codebook exported to {path}")

    def import_json(self) -> None:
        path = self.prompts.codebook_file_to_import()
        if path is None:
            return
        try:
            try:
                diff = self._workspace().codebooks.import_json(path)
            except CodebookReplacesAllError as exc:
                if not self.prompts.confirm_replace_codebook(str(exc)):
                    self.message.emit("Codebook not imported: the project's codebook is unchanged")
                    return
                diff = self._workspace().codebooks.import_json(path, replace_all=True)
        except AnnotatorError as exc:
            self.message.emit(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.prompts.inform(f"Codebook imported from {path.name}", diff.describe())
        if not diff.is_empty:
            self.changed.emit(diff)
        self.message.emit("The codebook is unchanged" if diff.is_empty else f"Codebook imported from {path}")

    def _on_saved(self, diff: CodebookDiff) -> None:
        changes = len(diff.details)
        lost = f"; {diff.values_lost} coded values removed" if diff.values_lost else ""
        self.message.emit(f"Codebook saved ({changes} change{'s' if changes != 1 else ''}{lost})")
        self.changed.emit(diff)

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
