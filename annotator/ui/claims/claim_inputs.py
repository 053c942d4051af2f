"""One input per kind of claim variable, each operable from the keyboard alone.

Every input emits ``committed(value)`` when the researcher changes it (None clears the
variable) and shows a stored value with ``show_value`` without emitting anything. Validation
is the service's: an input that cannot be stored is marked with ``set_invalid`` and keeps
what was typed, so it can be corrected.

Keys, inside the focused input only (the window's single-letter shortcuts would otherwise
take them, see ``InputKeys``):

- category (single): a value's key letter (shown as "[m] Demand") picks it; other letters,
  typed quickly one after another, pick the first value whose name starts with them; Space
  opens the list; Delete clears.
- categories (multi): a value's shortcut letter toggles it; Space toggles the current row;
  letters jump; Delete clears them all.
- yes/no: Y or N; Delete clears.
- number and scale: spin boxes within the variable's bounds; type or use the arrows;
  Delete clears (the box then shows "—").
- date: YYYY-MM-DD; text: free text. Both are stored on Enter or when the focus leaves.
- memo (a multi-line text variable): Enter starts a new line, Tab moves on; stored after a
  pause in typing and when the focus leaves.
- entity: the document's entities with an allowed label, typed to by their first letters.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from annotator.domain.model import ClaimField, EntityRef, EntitySpan, FieldKind, SpanStatus
from annotator.ui.claims.claim_input_keys import EMPTY, mark_invalid, plain
from annotator.ui.claims.claim_typed_inputs import MemoInput, NumberInput, ScaleInput, TextInput

__all__ = ["ClaimInput", "EntityInput", "MultiChoiceInput", "make_input"]

#: A choice of a list: the value stored, the text shown, its shortcut letter (if any).
Choice = tuple[object, str, str | None]
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # a choice's name, lower-cased, for typing to it
_CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable


class ChoiceInput(QComboBox):
    """A list of choices; key letters pick, other letters search by name, Delete clears.

    The key is shown first ("[m] Demand, appeal …"), so it stays visible however narrow the
    box; the search therefore matches the names (kept in their own role), not the shown text.
    """

    committed = Signal(object)
    confirmed = Signal()  # Enter: the researcher accepts what is shown (a proposal)

    def __init__(self, choices: Sequence[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self._keys: dict[str, int] = {}
        self._typed, self._typed_at = "", 0.0
        self.set_choices(choices)
        self.activated.connect(self._on_activated)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(EMPTY, None)
        self._keys = {}
        for value, text, key in choices:
            self.addItem(f"[{key}] {text}" if key else text, value)
            self.setItemData(self.count() - 1, text.casefold(), _NAME_ROLE)
            if key:
                self._keys[key.lower()] = self.count() - 1
        self.blockSignals(False)

    def show_value(self, value: object) -> None:
        index = 0 if value is None else self.findData(value)
        self.blockSignals(True)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def set_invalid(self, message: str | None) -> None:
        mark_invalid(self, message)

    def _on_activated(self, index: int) -> None:
        self.committed.emit(self.itemData(index))

    def _pick(self, index: int) -> None:
        self.setCurrentIndex(index)
        self._on_activated(index)

    def _search(self, text: str) -> None:
        """Typed letters, quickly one after another, name the value to pick."""
        now = time.monotonic()
        if now - self._typed_at > QApplication.keyboardInputInterval() / 1000:
            self._typed = ""
        self._typed, self._typed_at = self._typed + text.casefold(), now
        for index in range(1, self.count()):
            if str(self.itemData(index, _NAME_ROLE) or "").startswith(self._typed):
                self._pick(index)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if plain(event):
            text = event.text()
            found = self._keys.get(text.lower()) if text else None
            if found is not None:
                self._pick(found)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self._pick(0)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.confirmed.emit()
                return
            if text.isprintable() and text.strip():
                self._search(text)
                return
        super().keyPressEvent(event)


class BooleanInput(ChoiceInput):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([("yes", "Yes", "y"), ("no", "No", "n")], parent)

    def show_value(self, value: object) -> None:
        super().show_value(None if value is None else ("yes" if value else "no"))


class EntityInput(ChoiceInput):
    """The document's entities that the variable allows, in text order, plus "—"."""

    GONE = -1  # the linked entity was deleted: its text is kept, but it cannot be chosen again

    def __init__(self, field: ClaimField, parent: QWidget | None = None) -> None:
        self.allowed = set(field.entity_labels)
        self._entities: list[EntitySpan] = []
        super().__init__([], parent)

    def set_entities(self, spans: Iterable[EntitySpan]) -> None:
        self._entities = sorted(
            (s for s in spans if s.id is not None and s.status is not SpanStatus.REJECTED
             and (not self.allowed or s.label in self.allowed)),
            key=lambda s: (s.start, s.end),
        )
        suffix = {SpanStatus.SUGGESTED: ", suggested", SpanStatus.ACCEPTED: ""}
        self.set_choices([(int(s.id), s.text, None) for s in self._entities])  # type: ignore[arg-type]
        # The same name often stands several times in an article: number the repeats so the
        # coder can tell which mention the claim links to (they are in text order).
        totals = Counter((s.text, s.label) for s in self._entities)
        seen: Counter[tuple[str, str]] = Counter()
        for index, span in enumerate(self._entities, start=1):  # the label after the name
            key = (span.text, span.label)
            seen[key] += 1
            nth = f" ({seen[key]} of {totals[key]})" if totals[key] > 1 else ""
            self.setItemText(index, f"{span.text}  · {span.label}{nth}{suffix[span.status]}")

    def show_value(self, value: object) -> None:
        if isinstance(value, EntityRef):
            index = self.findData(int(value.span_id)) if value.span_id is not None else -1
            if index < 0:
                self.blockSignals(True)
                why = "entity deleted" if value.span_id is None else "entity rejected or relabelled"
                self.addItem(f"{value.text}  ({why})", self.GONE)
                self.blockSignals(False)
                index = self.count() - 1
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)
        else:
            super().show_value(None)

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) != self.GONE:
            super()._on_activated(index)


class MultiChoiceInput(QListWidget):
    """Checkable values: a shortcut letter or Space toggles, letters search, Delete clears."""

    committed = Signal(object)

    def __init__(self, field: ClaimField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys: dict[str, int] = {}
        for row, value in enumerate(field.values):
            text = f"[{value.shortcut}] {value.display}" if value.shortcut else value.display
            item = QListWidgetItem(text)
            item.setToolTip(value.display)  # a narrow panel cuts long values; the tip does not
            item.setData(Qt.ItemDataRole.UserRole, value.code)
            item.setFlags(_CHECKABLE)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
            if value.shortcut:
                self._keys[value.shortcut.lower()] = row
        # No selection highlight: ticks are the values; the current row shows only as focus.
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # in full under the form, on focus
        # Before the list is shown its rows may not be measured yet: the font says it too.
        row_height = max(self.sizeHintForRow(0) if self.count() else 0, self.fontMetrics().height() + 4)
        self.setFixedHeight(max(self.count(), 1) * row_height + 2 * self.frameWidth() + 2)  # no scrolling
        self.setCurrentRow(0)
        self.itemChanged.connect(lambda _item: self.committed.emit(self.checked()))

    def checked(self) -> tuple[str, ...]:
        return tuple(
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        )

    def show_value(self, value: object) -> None:
        codes = set(value) if isinstance(value, tuple) else set()
        self.blockSignals(True)
        for row in range(self.count()):
            item = self.item(row)
            on = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.blockSignals(False)

    def set_invalid(self, message: str | None) -> None:
        mark_invalid(self, message)

    def _toggle(self, row: int) -> None:
        item = self.item(row)
        self.setCurrentRow(row)
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if plain(event):
            found = self._keys.get(event.text().lower()) if event.text() else None
            if found is not None:
                self._toggle(found)
                return
            if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
                self._toggle(self.currentRow())
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.show_value(())
                self.committed.emit(())
                return
        super().keyPressEvent(event)


ClaimInput = ChoiceInput | MultiChoiceInput | ScaleInput | NumberInput | TextInput | MemoInput


def make_input(field: ClaimField, parent: QWidget | None = None) -> ClaimInput:
    """The input for one variable (entity inputs get their entities with ``set_entities``)."""
    kind = field.kind
    if kind is FieldKind.SINGLE:
        return ChoiceInput([(v.code, v.display, v.shortcut) for v in field.values], parent)
    if kind is FieldKind.MULTI:
        return MultiChoiceInput(field, parent)
    if kind is FieldKind.BOOLEAN:
        return BooleanInput(parent)
    if kind is FieldKind.ENTITY:
        return EntityInput(field, parent)
    if kind is FieldKind.SCALE:
        return ScaleInput(field, parent)
    if kind is FieldKind.NUMBER:
        return NumberInput(field, parent)
    if kind is FieldKind.DATE:
        return TextInput("YYYY-MM-DD", parent)
    if field.multiline:
        return MemoInput(parent)
    return TextInput("", parent, store_on_pause=True)
