"""Edit → Codebook…: add, rename, reorder and remove claim variables and their values.

The dialog edits a draft; nothing is stored until Save. Saving asks the codebook service
what the draft would cost first, and when coded values would be removed it asks the
researcher (through the window's ``Prompts``, so tests answer without a modal box), saying
how many values go. Declining keeps the dialog open with the draft as it was.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import CodebookError
from annotator.domain.model import ClaimField, Codebook, FieldKind
from annotator.services.codebook import CodebookDiff, CodebookService
from annotator.ui.codebook.codebook_form import VariableForm
from annotator.ui.shell.dialogs import Prompts


class CodebookDialog(QDialog):
    saved = Signal(object)  # CodebookDiff: what the saved change did

    def __init__(self, service: CodebookService, prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook")
        self.setObjectName("codebookDialog")
        self.service, self.prompts = service, prompts
        self.original = service.current()
        self.usage = service.usage()
        self.draft: list[ClaimField] = sorted(self.original.fields, key=lambda f: f.position)
        self._current = -1

        self.variables = QListWidget()
        self.variables.setObjectName("variableList")
        self.form = VariableForm([lb.name for lb in sorted(self.original.labels, key=lambda lb: lb.position)])
        buttons = QHBoxLayout()
        for text, slot in (("Add", self.add_variable), ("Remove", self.remove_variable),
                           ("Up", lambda: self.move_variable(-1)), ("Down", lambda: self.move_variable(1))):
            button = QPushButton(text)
            button.setObjectName(f"variable{text}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Claim variables, in the editor's order:"))
        left_layout.addWidget(self.variables, 1)
        left_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setSizes([240, 520])
        self.error = QLabel()
        self.error.setObjectName("codebookError")
        self.error.setStyleSheet("color: #CC3311;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 620)

        self.variables.currentRowChanged.connect(self._on_row_changed)
        self.form.edited.connect(self._on_form_edited)
        self._fill_list(0)

    # -- the list of variables -------------------------------------------------------------
    def _fill_list(self, select: int) -> None:
        self.variables.blockSignals(True)
        self.variables.clear()
        for field in self.draft:
            self.variables.addItem(self._item_text(field))
        self.variables.blockSignals(False)
        self._current = -1
        if self.draft:
            self.variables.setCurrentRow(max(0, min(select, len(self.draft) - 1)))
        self.form.setEnabled(bool(self.draft))

    def _item_text(self, field: ClaimField) -> str:
        coded = self._coded(field)
        return f"{field.name or '(unnamed)'}{'  · ' + str(coded) + ' coded' if coded else ''}"

    def _coded(self, field: ClaimField) -> int:
        """How many claims have a value for this variable (as stored, before the draft)."""
        stored = next((f for f in self.original.fields if field.id is not None and f.id == field.id), None)
        return self.usage.get(stored.name, {}).get("*", 0) if stored is not None else 0

    def _on_row_changed(self, row: int) -> None:
        self._keep_form()
        self._current = row
        if 0 <= row < len(self.draft):
            self.form.load(self.draft[row], in_use=self._coded(self.draft[row]) > 0)

    def _keep_form(self) -> bool:
        """Copy the form into the draft; False (with the reason shown) if it does not parse."""
        if not 0 <= self._current < len(self.draft):
            return True
        try:
            self.draft[self._current] = self.form.field()
        except CodebookError as exc:
            self.error.setText(str(exc))
            return False
        return True

    def _on_form_edited(self) -> None:
        self.error.clear()
        if self._keep_form() and 0 <= self._current < len(self.draft):
            self.variables.item(self._current).setText(self._item_text(self.draft[self._current]))

    def add_variable(self) -> None:
        self._keep_form()
        names = {f.name for f in self.draft}
        number = len(self.draft) + 1
        while f"variable_{number}" in names:
            number += 1
        self.draft.append(ClaimField(f"variable_{number}", FieldKind.TEXT))
        self._fill_list(len(self.draft) - 1)
        self.form.name.setFocus()
        self.form.name.selectAll()

    def remove_variable(self) -> None:
        row = self.variables.currentRow()
        if 0 <= row < len(self.draft):
            del self.draft[row]
            self._current = -1  # the form showed the removed variable: do not keep it
            self._fill_list(row)

    def move_variable(self, step: int) -> None:
        row = self.variables.currentRow()
        target = row + step
        if not self._keep_form() or row < 0 or not 0 <= target < len(self.draft):
            return
        self.draft[row], self.draft[target] = self.draft[target], self.draft[row]
        self._fill_list(target)

    # -- saving ----------------------------------------------------------------------------
    def codebook(self) -> Codebook:
        fields = tuple(replace(f, position=i) for i, f in enumerate(self.draft))
        return replace(self.original, fields=fields)

    def save(self) -> None:
        if not self._keep_form():
            return
        new = self.codebook()
        try:
            diff: CodebookDiff = self.service.diff(new)
            if diff.is_empty:
                self.reject()
                return
            confirmed = not diff.values_lost or self.prompts.confirm_codebook_change(
                diff.describe(), diff.values_lost
            )
            if not confirmed:
                self.error.setText("Not saved: the coded values are kept. Change the draft, or Cancel.")
                return
            diff = self.service.save(new)
        except CodebookError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.saved.emit(diff)
        self.accept()
