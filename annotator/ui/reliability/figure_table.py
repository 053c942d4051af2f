"""A table of agreement figures: one row per variable or label, the verdict column marked with
its shape, word and colour; a figure that cannot be computed shows why."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.ui.reliability.figures import NONE, FigureRow, Verdict

_LEFT = {0, 1}  # name and level read from the left; figures line up on the right


class FigureTable(QTableWidget):
    row_chosen = Signal(int)  # the current row changed (-1: none)

    def __init__(self, columns: Sequence[str], verdict_column: int, parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = tuple(columns)
        self.verdict_column = verdict_column
        self.rows: list[FigureRow] = []
        self.setHorizontalHeaderLabels(list(columns))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.currentCellChanged.connect(lambda row, _c, _pr, _pc: self.row_chosen.emit(row))

    def set_rows(self, rows: list[FigureRow]) -> None:
        self.blockSignals(True)
        self.clearContents()
        self.rows = rows
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row.cells):
                item = QTableWidgetItem(text)
                if c == self.verdict_column:
                    self._mark(item, row)
                elif c not in _LEFT and c != len(self.columns) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == len(self.columns) - 1 and text:
                    item.setToolTip(text)
                if row.summary:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(r, c, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the verdict's words fit; a long note is cut short there and read in full under Notes
        header.setSectionResizeMode(self.verdict_column, QHeaderView.ResizeMode.Interactive)
        words = self.fontMetrics().horizontalAdvance("◐ tentative ≥ .667")
        self.setColumnWidth(self.verdict_column, words + 40)
        header.setSectionResizeMode(len(self.columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.blockSignals(False)

    def _mark(self, item: QTableWidgetItem, row: FigureRow) -> None:
        item.setText(row.verdict_text)
        if row.alpha is None:
            return
        if row.alpha.alpha is None:  # no alpha: its note, in grey
            item.setForeground(QColor(Verdict.UNDEFINED.color))
            item.setToolTip(f"No alpha: {row.verdict_text}")
            return
        verdict = row.verdict
        item.setForeground(QColor(verdict.color))
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        lower = row.alpha.ci95[0] if row.alpha.ci95 else None
        item.setToolTip(
            f"Alpha {row.alpha.alpha:.3f}: {verdict.words}."
            + (f" The 95 % interval reaches down to {lower:.3f}." if lower is not None else "")
        )

    def row_named(self, name: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.name == name), -1)

    def current_figure(self) -> FigureRow | None:
        row = self.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else NONE
