"""The open document's codings as a compact list: code, coder, text excerpt and memo.

Codings overlap freely (they come from a QDA project), so they are listed rather than drawn
into the text; a click selects the coding's range in the article.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codings import Coding, excerpt

_RANGE = Qt.ItemDataRole.UserRole


class CodesPanel(QWidget):
    range_chosen = Signal(int, int)  # code points, end-exclusive

    HEADERS = ("Code", "Coder", "Text", "Memo")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codesPanel")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("codingsList")
        self.tree.setColumnCount(len(self.HEADERS))
        self.tree.setHeaderLabels(list(self.HEADERS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.tree.itemClicked.connect(self._chosen)
        self.tree.itemActivated.connect(self._chosen)
        self.show_codings([])

    def show_codings(self, codings: Sequence[Coding]) -> None:
        self.tree.clear()
        for coding in codings:
            item = QTreeWidgetItem([
                coding.code, coding.coder or "", excerpt(coding.text, 60), excerpt(coding.memo, 40),
            ])
            item.setData(0, _RANGE, (coding.start, coding.end))
            item.setToolTip(2, coding.text)
            if coding.memo:
                item.setToolTip(3, coding.memo)
            self.tree.addTopLevelItem(item)
        coders = len({c.coder for c in codings})
        self.summary.setText(
            f"{len(codings)} coding(s) by {coders} coder(s); they may overlap. Click one to "
            "select its text." if codings else "No codings in this document."
        )

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        start, end = item.data(0, _RANGE)
        self.range_chosen.emit(start, end)
