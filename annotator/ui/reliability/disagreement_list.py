"""The disagreements behind one row of figures: the document, the words, what each coder coded
there. Enter or a double click opens the document at that place in the main window."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.domain.agreement.report import Disagreement
from annotator.domain.ids import DocumentId
from annotator.services.agreement.job import ComparedDocument

_WORDS = 90  # characters of the coded text shown; the tooltip has it all, with its context
_CONTEXT = 80
NOTHING = "— (nothing)"
_ENTITY = re.compile(r"(.+) (\d+)-(\d+)")  # how the agreement service names a coder's entity


def entity_words(value: str, text: str) -> str:
    """"LOCATION 32-38; ORG 40-45" as the words: 'LOCATION “Lahore”; ORG “the army”'."""
    parts = []
    for part in value.split("; "):
        found = _ENTITY.fullmatch(part)
        if found is None:
            return value
        label, start, end = found.group(1), int(found.group(2)), int(found.group(3))
        parts.append(f"{label} “{excerpt(text, start, end)}”")
    return "; ".join(parts)


def excerpt(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= _WORDS else words[: _WORDS - 1] + "…"


def in_context(text: str, start: int, end: int) -> str:
    before = " ".join(text[max(0, start - _CONTEXT):start].split())
    after = " ".join(text[end:end + _CONTEXT].split())
    return f"…{before} [{' '.join(text[start:end].split())}] {after}…"


class DisagreementList(QTableWidget):
    open_wanted = Signal(int, int, int, str)  # document id, start, end, who coded what there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("disagreements")
        self.places: list[Disagreement] = []
        self.coders: tuple[str, ...] = ()
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.itemActivated.connect(lambda item: self.open_row(item.row()))
        self.setToolTip("Enter or double-click: open the document at this place")

    def show_places(self, places: Sequence[Disagreement], coders: Sequence[str],
                    documents: Mapping[DocumentId, ComparedDocument], entities: bool = False) -> None:
        """``entities``: the values are coders' entities, shown by their words."""
        self.clearContents()
        self.places = sorted(places, key=lambda d: (d.document_id, d.start, d.end))
        self.coders = tuple(coders)
        self.setColumnCount(2 + len(coders))
        self.setHorizontalHeaderLabels(["Document", "Text", *coders])
        self.setRowCount(len(self.places))
        for row, place in enumerate(self.places):
            document = documents.get(place.document_id, ComparedDocument("", ""))
            title = document.title or f"document {place.document_id}"
            cells = [title, excerpt(document.text, place.start, place.end)]
            values = [place.values.get(c) for c in coders]
            cells += [(entity_words(v, document.text) if entities else v) if v else NOTHING for v in values]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setToolTip(in_context(document.text, place.start, place.end))
                elif column == 0:
                    item.setToolTip(f"{title} (document {place.document_id})")
                else:
                    item.setToolTip(text)
                self.setItem(row, column, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 200)
        for column in range(2, self.columnCount()):
            self.setColumnWidth(column, 130)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.places):
            place = self.places[row]
            codings = " · ".join(
                f"{coder} {self.item(row, 2 + i).text()}" for i, coder in enumerate(self.coders)
            )
            self.open_wanted.emit(int(place.document_id), place.start, place.end, codings)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_row(self.currentRow())
            return
        super().keyPressEvent(event)
