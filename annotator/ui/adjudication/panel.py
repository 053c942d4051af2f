"""Team -> Adjudicate: the PI goes through the sample's disagreements from the keyboard.

Opening a document copies the units every coder agrees on to the final layer (no keystroke);
the list then shows each disagreement, and the coders' versions of the current one stand side
by side, each in the coder's colour, values that differ in red. Keys: 1, 2, ... (or A, B, C)
take that coder's version, D drops the place, N/Down and P/Up move between disagreements,
PageDown/PageUp between documents, E hands the document to the main window to edit the final
layer, Ctrl+Z / Ctrl+Shift+Z undo and redo. Every decision is saved at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.adjudication import Resolution
from annotator.domain.errors import AnnotatorError
from annotator.domain.ids import DocumentId
from annotator.services.adjudication import Adjudication, AdjudicationChange, DocumentAdjudication
from annotator.ui.adjudication.versions import (
    LETTERS,
    coder_colour,
    key_hints,
    state_caption,
    summary,
    version_html,
)


class AdjudicationPanel(QDialog):
    #: the final layer of this document changed (the main window shows it again)
    final_changed = Signal(int)
    #: the PI wants to edit this document's final layer in the main window
    edit_wanted = Signal(int)

    def __init__(
        self, service: Adjudication, parent: QWidget | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adjudicate")
        self.setObjectName("adjudicationPanel")
        self.service = service
        self._report = report or (lambda _m: None)
        self.documents: list[DocumentId] = service.documents()
        self.coders: tuple[str, ...] = service.coders()
        self.position = 0  # index into documents
        self.current = 0  # index into the document's disagreements
        self.state: DocumentAdjudication | None = None
        self.history: list[AdjudicationChange] = []  # undo history of this panel
        self.redoable: list[AdjudicationChange] = []

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel reads every key
        self.list.currentRowChanged.connect(self._row_chosen)
        self.columns = QHBoxLayout()
        self.captions: list[QLabel] = []
        self.views: list[QTextBrowser] = []
        for n, coder in enumerate(self.coders):
            box = QVBoxLayout()
            caption = QLabel()
            caption.setStyleSheet(f"background:{coder_colour(n)}; padding:3px; font-weight:bold")
            view = QTextBrowser()
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setObjectName(f"version_{coder}")
            box.addWidget(caption)
            box.addWidget(view, 1)
            self.columns.addLayout(box, 1)
            self.captions.append(caption)
            self.views.append(view)
        self.final_label = QLabel()
        self.hints = QLabel(key_hints(dict(enumerate(self.coders))))
        self.hints.setWordWrap(True)
        self.hints.setStyleSheet("color: #444;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.columns, 2)
        layout.addWidget(self.final_label)
        layout.addWidget(self.hints)
        self.resize(1100, 640)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.open_document(0)

    # -- navigation ----------------------------------------------------------------------------
    @property
    def document_id(self) -> DocumentId | None:
        return self.documents[self.position] if self.documents else None

    def open_document(self, position: int) -> None:
        """Show a document, after copying what the coders agree on to its final layer."""
        if not self.documents:
            self.header.setText("Nothing to adjudicate: no document of the reliability sample "
                                "has been marked done by two coders yet.")
            return
        self.position = max(0, min(position, len(self.documents) - 1))
        doc = self.documents[self.position]
        filled = self._guard(lambda: self.service.fill(doc))
        if isinstance(filled, AdjudicationChange) and not filled.empty:
            self.final_changed.emit(doc)
        self.current = 0
        self._reload(first_open=True)

    def step_document(self, step: int) -> None:
        self.open_document(self.position + step)

    def step(self, step: int) -> None:
        if self.state and self.state.disagreements:
            self._show(max(0, min(self.current + step, len(self.state.disagreements) - 1)))

    # -- decisions ---------------------------------------------------------------------------
    def take(self, coder_index: int) -> None:
        item = self._item()
        if item is None or coder_index >= len(self.state.coders):  # type: ignore[union-attr]
            return
        coder = self.state.coders[coder_index]  # type: ignore[union-attr]
        self._apply(lambda: self.service.take(item.unit, coder))

    def drop(self) -> None:
        item = self._item()
        if item is not None:
            self._apply(lambda: self.service.drop(item.unit))

    def undo(self) -> None:
        if self.history:
            change = self.history.pop()
            if self._guard(lambda: self.service.revert(change)) is not False:
                self.redoable.append(change)
                self._after(change)

    def redo(self) -> None:
        if self.redoable:
            change = self.redoable.pop()
            if self._guard(lambda: self.service.reapply(change)) is not False:
                self.history.append(change)
                self._after(change)

    def _apply(self, operation: Callable[[], AdjudicationChange]) -> None:
        change = self._guard(operation)
        if change:
            self.history.append(change)
            self.redoable.clear()
            self._after(change)
            self._next_open()

    def _after(self, change: AdjudicationChange) -> None:
        self.final_changed.emit(change.document_id)
        if change.document_id in self.documents:
            self.position = self.documents.index(change.document_id)
        self._reload()

    def _next_open(self) -> None:
        """After a decision: the next disagreement still open, if any comes after this one."""
        items = self.state.disagreements if self.state else ()
        for n in range(self.current + 1, len(items)):
            if items[n].resolution is Resolution.OPEN:
                self._show(n)
                return

    # -- keys ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        text = event.text().upper()
        if ctrl and key == Qt.Key.Key_Z:
            self.redo() if shift else self.undo()
        elif ctrl and key == Qt.Key.Key_Y:
            self.redo()
        elif ctrl:
            super().keyPressEvent(event)
        elif text.isdigit() and text != "0":
            self.take(int(text) - 1)
        elif text and text in LETTERS:
            self.take(LETTERS.index(text))
        elif text == "D":
            self.drop()
        elif text == "E":
            if self.document_id is not None:
                self.edit_wanted.emit(self.document_id)
        elif key in (Qt.Key.Key_Down,) or text == "N":
            self.step(1)
        elif key in (Qt.Key.Key_Up,) or text == "P":
            self.step(-1)
        elif key == Qt.Key.Key_PageDown:
            self.step_document(1)
        elif key == Qt.Key.Key_PageUp:
            self.step_document(-1)
        else:
            super().keyPressEvent(event)

    # -- showing -------------------------------------------------------------------------------
    def _reload(self, first_open: bool = False) -> None:
        doc = self.document_id
        if doc is None:
            return
        state = self._guard(lambda: self.service.document(doc))
        if not state:
            return
        self.state = state
        self.list.blockSignals(True)
        self.list.clear()
        for item in state.disagreements:
            self.list.addItem(summary(item, state.text))
        self.list.blockSignals(False)
        self.header.setText(
            f"Document {self.position + 1} of {len(self.documents)}: <b>{state.title}</b> · "
            f"coded by {', '.join(state.coders)} · {state.agreed} agreed units are in the final "
            f"layer · {len(state.disagreements)} disagreements, {state.open} open"
        )
        if first_open:
            opened = [n for n, d in enumerate(state.disagreements) if d.resolution is Resolution.OPEN]
            self.current = opened[0] if opened else 0
        self._show(min(self.current, max(len(state.disagreements) - 1, 0)))

    def _row_chosen(self, row: int) -> None:
        if row >= 0:
            self._show(row)

    def _show(self, index: int) -> None:
        self.current = index
        item = self._item()
        if self.list.currentRow() != index:
            self.list.blockSignals(True)
            self.list.setCurrentRow(index)
            self.list.blockSignals(False)
        for n, coder in enumerate(self.coders):
            shown = self.state is not None and coder in self.state.coders
            self.captions[n].setText(f"{n + 1}{' / ' + LETTERS[n] if n < len(LETTERS) else ''}  {coder}"
                                     + ("" if shown else " (has not finished this document)"))
            if item is None or not shown:
                self.views[n].setHtml("")
                continue
            self.views[n].setHtml(version_html(self.state.text, item.unit, coder, coder_colour(n)))  # type: ignore[union-attr]
        if item is None:
            self.final_label.setText("No disagreements in this document: the coders agree on all of it.")
        else:
            self.final_label.setText(f"Final layer here: {state_caption(item)}")

    def _item(self):  # type: ignore[no-untyped-def]
        if self.state is None or not self.state.disagreements:
            return None
        return self.state.disagreements[min(self.current, len(self.state.disagreements) - 1)]

    def _guard(self, step: Callable[[], object]) -> object:
        """Run a service call; an error a researcher can meet is reported, not raised."""
        try:
            result = step()
        except AnnotatorError as exc:
            self._report(str(exc))
            return False
        return True if result is None else result
