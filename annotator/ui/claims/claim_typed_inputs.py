"""The claim inputs one types into: numbers and scales (spin boxes), dates and text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from annotator.domain.model import ClaimField
from annotator.ui.claims.claim_input_keys import EMPTY, mark_invalid, plain

_UNBOUNDED = 1e9


def _show_number(box: QSpinBox | QDoubleSpinBox, value: float) -> None:
    """Show a stored number; while the researcher types into the box, a change elsewhere in
    the claim (a proposal arriving) must not reset the digits not yet stored."""
    if box.hasFocus() and box.value() == value:
        return
    box.blockSignals(True)
    box.setValue(value)  # type: ignore[arg-type]
    box.blockSignals(False)


class _EmptyBelowMinimum:
    """What both spin boxes share: the step below the minimum means "no value", and Delete
    goes back to it. (Mixed in before the Qt class, so its methods win.)"""

    committed: Signal

    def _on_changed(self, value: float) -> None:
        self.committed.emit(None if value == self.minimum() else value)  # type: ignore[attr-defined]

    def set_invalid(self, message: str | None) -> None:
        mark_invalid(self, message)  # type: ignore[arg-type]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and plain(event):
            self.setValue(self.minimum())  # type: ignore[attr-defined]
            return
        super().keyPressEvent(event)  # type: ignore[misc]


class ScaleInput(_EmptyBelowMinimum, QSpinBox):
    """Whole steps within the bounds; one step below the minimum shows "—" (no value)."""

    committed = Signal(object)

    def __init__(self, field: ClaimField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        low = int(field.minimum) if field.minimum is not None else -999
        high = int(field.maximum) if field.maximum is not None else 999
        self.signed = low < 0  # a stance from -1 to +1 reads better with its sign
        self.setRange(low - 1, high)
        self.setSpecialValueText(EMPTY)
        self.setKeyboardTracking(False)  # store on Enter, focus out or an arrow step, not per digit
        self.setValue(self.minimum())
        self.valueChanged.connect(self._on_changed)

    def textFromValue(self, value: int) -> str:
        return f"{value:+d}" if self.signed and value > 0 else str(value)

    def show_value(self, value: object) -> None:
        wanted = self.minimum() if value is None else int(value)  # type: ignore[call-overload]
        _show_number(self, wanted)


class NumberInput(_EmptyBelowMinimum, QDoubleSpinBox):
    """Any number within the bounds (shown without trailing zeros); "—" is no value."""

    committed = Signal(object)

    def __init__(self, field: ClaimField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        low = field.minimum if field.minimum is not None else -_UNBOUNDED
        high = field.maximum if field.maximum is not None else _UNBOUNDED
        self.setDecimals(6)
        self.setRange(low - 1, high)
        self.setSpecialValueText(EMPTY)
        self.setKeyboardTracking(False)
        self.setValue(self.minimum())
        self.valueChanged.connect(self._on_changed)

    def textFromValue(self, value: float) -> str:
        return self.locale().toString(value, "g", 12)

    def show_value(self, value: object) -> None:
        _show_number(self, self.minimum() if value is None else float(value))  # type: ignore[arg-type]


#: Free text is also stored after this pause in typing, so a crash loses no more than the
#: last second of it (the consecutive stores of one variable are one undo step).
TEXT_PAUSE_MS = 1000


class TextInput(QLineEdit):
    """Free text (or a date as YYYY-MM-DD), stored on Enter or when the focus leaves, and free
    text also after a pause in typing (a half-typed date would only be refused)."""

    committed = Signal(object)

    def __init__(
        self, placeholder: str = "", parent: QWidget | None = None, store_on_pause: bool = False
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self._stored = ""
        self.editingFinished.connect(self._on_finished)
        if store_on_pause:
            self._pause = QTimer(self, singleShot=True, interval=TEXT_PAUSE_MS)
            self._pause.timeout.connect(self._on_finished)
            self.textEdited.connect(self._pause.start)

    def _on_finished(self) -> None:
        if self.text() != self._stored:
            self.committed.emit(self.text() or None)

    def show_value(self, value: object) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        stored = "" if value is None else str(value)
        if stored == self._stored and self.hasFocus():
            return  # another variable changed while the researcher types here: keep the typing
        self._stored = stored
        if self.text() != stored:
            self.setText(stored)

    def set_invalid(self, message: str | None) -> None:
        mark_invalid(self, message)


MEMO_LINES = 4  # lines a memo shows before it scrolls


class MemoInput(QPlainTextEdit):
    """A free-text variable kept as a memo: several lines that wrap, Enter starts a new line,
    Tab moves on. Stored after a pause in typing and when the focus leaves."""

    committed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("A memo: Enter starts a new line")
        frame = 2 * self.frameWidth() + int(self.document().documentMargin() * 2)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * MEMO_LINES + frame + 4)
        self._stored = ""
        self._pause = QTimer(self, singleShot=True, interval=TEXT_PAUSE_MS)
        self._pause.timeout.connect(self._on_finished)
        self.textChanged.connect(self._on_text_changed)
        self._showing = False

    def _on_text_changed(self) -> None:
        if not self._showing:
            self._pause.start()

    def _on_finished(self) -> None:
        self._pause.stop()
        text = self.toPlainText()
        if text != self._stored:
            self._stored = text
            self.committed.emit(text or None)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._on_finished()
        super().focusOutEvent(event)

    def show_value(self, value: object) -> None:
        stored = "" if value is None else str(value)
        if stored == self._stored and self.hasFocus():
            return  # another variable changed while the researcher types here: keep the typing
        self._stored = stored
        if self.toPlainText() != stored:
            self._showing = True
            self.setPlainText(stored)
            self._showing = False

    def set_invalid(self, message: str | None) -> None:
        mark_invalid(self, message)
