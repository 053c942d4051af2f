"""Edit → Codebook…: entity labels (name, colour, key, spaCy labels) and claim variables with
their values, each added, renamed, reordered and removed.

The dialog edits a draft; nothing is stored until Save. Every edit is checked with the rules a
JSON import applies (the service's ``check``), and the first problem is shown under the tabs.
Saving asks the codebook service what the draft would cost first, and when coded values would
be removed it asks the researcher (through the window's ``Prompts``, so tests answer without a
modal box), saying how many values go. Declining keeps the dialog open with the draft as it was.
A label that entities use is removed only by moving its entities to another label (asked when
it is removed); its entities are never deleted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import CodebookError
from annotator.domain.model import ClaimField, Codebook, FieldKind
from annotator.services.codebook import CodebookConflictError, CodebookDiff, CodebookService
from annotator.ui.codebook.codebook_form import VariableForm
from annotator.ui.codebook.label_page import LabelsPage
from annotator.ui.codebook.list_pane import list_and_form
from annotator.ui.shell.dialogs import Prompts


class CodebookDialog(QDialog):
    saved = Signal(object)  # CodebookDiff: what the saved change did
    #: Someone saved the codebook after this dialog opened: nothing was saved (the message why).
    conflicted = Signal(str)

    def __init__(
        self,
        service: CodebookService,
        prompts: Prompts,
        parent: QWidget | None = None,
        window_keys: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook")
        self.setObjectName("codebookDialog")
        self.service, self.prompts = service, prompts
        self.window_keys = {k.lower(): v for k, v in (window_keys or {}).items()}  # key -> command
        self.version = service.version()  # first: a save in between reads as a conflict, never lost
        self.original = service.current()
        self.usage = service.usage()
        self.draft: list[ClaimField] = sorted(self.original.fields, key=lambda f: f.position)
        self._current = -1
        entities = {k.removeprefix("label:"): n["*"] for k, n in self.usage.items() if k.startswith("label:")}
        self.labels = LabelsPage(
            self.original.labels,
            entities,
            service.spacy_label_choices(),
            prompts.colour,
            prompts.label_for_entities,
        )
        self.labels.renamed.connect(self._on_label_renamed)
        self.labels.removed.connect(self._on_label_removed)
        self.labels.edited.connect(self._on_labels_edited)

        self.variables = QListWidget()
        self.variables.setObjectName("variableList")
        self.form = VariableForm(self.labels.names())
        splitter = list_and_form(
            "Claim variables, in the editor's order:", self.variables, self.form,
            [("Add", self.add_variable), ("Remove", self.remove_variable),
             ("Up", lambda: self.move_variable(-1)), ("Down", lambda: self.move_variable(1))],
            "variable",
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("codebookTabs")
        self.tabs.addTab(self.labels, "Entity labels")
        self.tabs.addTab(splitter, "Claim variables")
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
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(860, 640)

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
            self._check()

    # -- labels: variables that link to entities follow their names --------------------------
    def _on_label_renamed(self, old: str, new: str) -> None:
        if old in self.labels.names():
            return  # another label still has the old name: leave its links alone
        self._relink(lambda name: new if name == old else name)

    def _on_label_removed(self, name: str) -> None:
        if name not in self.labels.names():
            self._relink(lambda label: None if label == name else label)

    def _relink(self, rename: Callable[[str], str | None]) -> None:
        self._keep_form()
        self.draft = [
            replace(f, entity_labels=tuple(n for x in f.entity_labels if (n := rename(x)) is not None))
            for f in self.draft
        ]
        self._refresh_form_labels()

    def _on_labels_edited(self) -> None:
        self._refresh_form_labels()
        self._check()

    def _refresh_form_labels(self) -> None:
        self.form.set_labels(self.labels.names())
        if 0 <= self._current < len(self.draft):
            field = self.draft[self._current]
            self.form.load(field, in_use=self._coded(field) > 0)

    def _check(self) -> bool:
        """Show the first rule the draft breaks (the JSON import's rules); True if none."""
        try:
            self.service.check(self.codebook())
        except CodebookError as exc:
            self.error.setText(_readable(str(exc), self.codebook()))
            return False
        for label in self.labels.draft:
            command = self.window_keys.get((label.shortcut or "").lower())
            if command:
                self.error.setText(f"Label {label.name}: the key {label.shortcut} is taken by {command}")
                return False
        self.error.clear()
        return True

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
        return replace(self.original, labels=self.labels.labels(), fields=fields)

    def save(self) -> None:
        if not self._keep_form() or not self._check():
            return
        new = self.codebook()
        relabel = dict(self.labels.relabel)
        try:
            diff: CodebookDiff = self.service.diff(new, relabel)
            if diff.is_empty:
                self.reject()
                return
            confirmed = not diff.values_lost or self.prompts.confirm_codebook_change(
                diff.describe(), diff.values_lost
            )
            if not confirmed:
                self.error.setText("Not saved: the coded values are kept. Change the draft, or Cancel.")
                return
            diff = self.service.save(new, relabel, based_on=self.version)
        except CodebookConflictError as exc:
            self.reject()  # closed first: the window then opens a fresh dialog on the new codebook
            self.conflicted.emit(str(exc)[:1].upper() + str(exc)[1:])
            return
        except CodebookError as exc:
            self.error.setText(_readable(str(exc), new))
            return
        self.saved.emit(diff)
        self.accept()


def _readable(message: str, codebook: Codebook) -> str:
    """'codebook: labels[2].shortcut must be ...' -> 'Label ORG: key must be ...' for the dialog."""
    message = message.removeprefix("codebook: ")
    labels = sorted(codebook.labels, key=lambda lb: lb.position)
    fields = sorted(codebook.fields, key=lambda f: f.position)

    def name(match: re.Match[str]) -> str:
        items, number = (labels, "Label") if match[1] == "labels" else (fields, "Variable")
        index = int(match[2])
        named = items[index].name if index < len(items) else str(index + 1)
        return f"{number} {named}: " + (match[3] or "")

    message = re.sub(r"^(labels|claim_variables)\[(\d+)\]\.?(\w*)", name, message)
    return message[:1].upper() + message[1:]
