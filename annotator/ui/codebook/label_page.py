"""The codebook dialog's entity labels: a list in the palette's order and the form of one label.

Labels are edited in a draft like claim variables. A label that entities use is never removed
with them: removing it asks where its entities go (another label), and saving moves them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QVBoxLayout, QWidget

from annotator.domain.model import Label
from annotator.ui.codebook.label_form import PALETTE, LabelForm, swatch
from annotator.ui.codebook.list_pane import list_and_form

#: Asked before a label in use goes: (label, entities, other labels) -> the label they get.
AskTarget = Callable[[str, int, list[str]], str | None]


class LabelsPage(QWidget):
    edited = Signal()  # a label was added, changed, moved or removed
    renamed = Signal(str, str)  # old name, new name (claim variables follow)
    removed = Signal(str)

    def __init__(
        self,
        labels: Sequence[Label],
        usage: dict[str, int],
        spacy_labels: Sequence[str],
        pick_colour: Callable[[str], str | None],
        ask_target: AskTarget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.original = sorted(labels, key=lambda lb: lb.position)
        self.draft: list[Label] = list(self.original)
        self.entities = usage  # stored label name -> entities
        self.relabel: dict[str, str] = {}  # stored label removed -> draft label its entities get
        self._ask_target = ask_target
        self._current = -1

        self.list = QListWidget()
        self.list.setObjectName("labelList")
        self.form = LabelForm(spacy_labels, pick_colour)
        splitter = list_and_form(
            "Entity labels, in the palette's order:", self.list, self.form,
            [("Add", self.add_label), ("Remove", self.remove_label),
             ("Up", lambda: self.move_label(-1)), ("Down", lambda: self.move_label(1))],
            "label",
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.list.currentRowChanged.connect(self._on_row_changed)
        self.form.edited.connect(self._on_form_edited)
        self._fill(0)

    # -- reading ---------------------------------------------------------------------------
    def labels(self) -> tuple[Label, ...]:
        self._keep_form()
        return tuple(replace(lb, position=i) for i, lb in enumerate(self.draft))

    def names(self) -> list[str]:
        return [lb.name for lb in self.draft]

    def stored_name(self, label: Label) -> str | None:
        stored = next((lb for lb in self.original if label.id is not None and lb.id == label.id), None)
        return stored.name if stored is not None else None

    def entity_count(self, label: Label) -> int:
        name = self.stored_name(label)
        moved_here = sum(self.entities.get(old, 0) for old, new in self.relabel.items() if new == label.name)
        return (self.entities.get(name, 0) if name else 0) + moved_here

    # -- the list --------------------------------------------------------------------------
    def _fill(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for label in self.draft:
            self.list.addItem(self._item_text(label))
            self.list.item(self.list.count() - 1).setIcon(swatch(label.color))
        self.list.blockSignals(False)
        self._current = -1
        if self.draft:
            self.list.setCurrentRow(max(0, min(select, len(self.draft) - 1)))
        self.form.setEnabled(bool(self.draft))

    def _item_text(self, label: Label) -> str:
        key = f"[{label.shortcut}] " if label.shortcut else ""
        n = self.entity_count(label)
        count = f"  · {n:,} {'entity' if n == 1 else 'entities'}" if n else ""
        return f"{key}{label.name or '(unnamed)'}{count}"

    def _on_row_changed(self, row: int) -> None:
        self._keep_form()
        self._current = row
        if 0 <= row < len(self.draft):
            label = self.draft[row]
            owners = {s: lb.name for lb in self.draft if lb is not label for s in lb.spacy_labels}
            self.form.load(label, self.entity_count(label), owners)

    def _keep_form(self) -> None:
        if not 0 <= self._current < len(self.draft):
            return
        before = self.draft[self._current]
        after = self.form.label()
        self.draft[self._current] = after
        if before.name != after.name:
            self.relabel = {
                old: after.name if new == before.name else new for old, new in self.relabel.items()
            }
            self.renamed.emit(before.name, after.name)

    def _on_form_edited(self) -> None:
        self._keep_form()
        if 0 <= self._current < len(self.draft):
            item = self.list.item(self._current)
            item.setText(self._item_text(self.draft[self._current]))
            item.setIcon(swatch(self.draft[self._current].color))
        self.edited.emit()

    def add_label(self) -> None:
        self._keep_form()
        names = set(self.names())
        number = len(self.draft) + 1
        while f"LABEL_{number}" in names:
            number += 1
        used = {lb.color.upper() for lb in self.draft}
        colour = next((c for c in PALETTE if c not in used), PALETTE[-1])
        keys = {(lb.shortcut or "").lower() for lb in self.draft}
        key = next((k for k in "123456789" if k not in keys), None)
        self.draft.append(Label(f"LABEL_{number}", colour, key))
        self._fill(len(self.draft) - 1)
        self.form.name.setFocus()
        self.form.name.selectAll()
        self.edited.emit()

    def remove_label(self) -> str | None:
        """Remove the current label; one that entities use asks where they go first.
        Returns why nothing was removed, if so."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.draft):
            return None
        self._keep_form()
        label = self.draft[row]
        count = self.entity_count(label)
        if count:
            others = [lb.name for lb in self.draft if lb is not label and lb.name]
            target = self._ask_target(label.name, count, others) if others else None
            if target is None or target not in others:
                users = "entity uses" if count == 1 else "entities use"
                return f"{label.name} is kept: {count:,} {users} it."
            stored = self.stored_name(label)
            if stored is not None:
                self.relabel[stored] = target
            self.relabel = {old: target if new == label.name else new for old, new in self.relabel.items()}
        del self.draft[row]
        self._current = -1
        self._fill(row)
        self.removed.emit(label.name)
        self.edited.emit()
        return None

    def move_label(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self.draft):
            return
        self._keep_form()
        self.draft[row], self.draft[target] = self.draft[target], self.draft[row]
        self._fill(target)
        self.edited.emit()
