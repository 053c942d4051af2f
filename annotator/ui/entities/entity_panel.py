"""The entities of the open document as a table (text, label, status), in text order."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QHeaderView, QWidget

from annotator.domain.ids import SpanId
from annotator.domain.model import EntitySpan, SpanStatus
from annotator.ui.article.span_styles import SpanStyles
from annotator.ui.common.row_table import RowTable

Index = QModelIndex | QPersistentModelIndex
STATUS_TEXT = {
    SpanStatus.SUGGESTED: "suggested",
    SpanStatus.ACCEPTED: "accepted",
    SpanStatus.REJECTED: "rejected",
}


def swatch(color: QColor, size: int = 12, dashed: bool = False) -> QIcon:
    """A small rounded square of a label colour (dashed border for suggestions)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(color)
    painter.setPen(color.darker(150) if not dashed else Qt.PenStyle.DashLine)
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class EntityTableModel(QAbstractTableModel):
    TEXT, LABEL, STATUS = range(3)
    HEADERS = ("Entity", "Label", "Status")

    def __init__(self, styles: SpanStyles) -> None:
        super().__init__()
        self.styles = styles
        self.show_rejected = False
        self.rows: list[EntitySpan] = []
        self._italic = QFont()
        self._italic.setItalic(True)
        self._icons: dict[str, QIcon] = {}

    def set_styles(self, styles: SpanStyles) -> None:
        self.beginResetModel()
        self.styles, self._icons = styles, {}
        self.endResetModel()

    def set_spans(self, spans: Iterable[EntitySpan]) -> None:
        """Take the document's spans; changes small enough are announced row by row, so the
        view keeps its scroll position and selection."""
        new = sorted(
            (s for s in spans if self.show_rejected or s.status is not SpanStatus.REJECTED),
            key=lambda s: (s.start, s.end, s.id or 0),
        )
        old_ids = [s.id for s in self.rows]
        new_ids = [s.id for s in new]
        if old_ids == new_ids:
            for row, (before, after) in enumerate(zip(self.rows, new, strict=True)):
                if before != after:
                    self.rows[row] = after
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            return
        if len(new_ids) == len(old_ids) + 1:
            row = _first_difference(old_ids, new_ids)
            if old_ids[row:] == new_ids[row + 1 :]:
                self.beginInsertRows(QModelIndex(), row, row)
                self.rows = new
                self.endInsertRows()
                return
        if len(new_ids) == len(old_ids) - 1:
            row = _first_difference(new_ids, old_ids)
            if new_ids[row:] == old_ids[row + 1 :]:
                self.beginRemoveRows(QModelIndex(), row, row)
                self.rows = new
                self.endRemoveRows()
                return
        self.beginResetModel()
        self.rows = new
        self.endResetModel()

    def row_of(self, span_id: SpanId | None) -> int | None:
        return next((i for i, s in enumerate(self.rows) if s.id == span_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        span = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (span.text, span.label, STATUS_TEXT[span.status])[column]
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            key = f"{span.label}:{span.status is SpanStatus.SUGGESTED}"
            if key not in self._icons:
                dashed = span.status is SpanStatus.SUGGESTED
                self._icons[key] = swatch(self.styles.color(span.label), dashed=dashed)
            return self._icons[key]
        if role == Qt.ItemDataRole.FontRole and span.status is SpanStatus.SUGGESTED and column == self.STATUS:
            return self._italic
        muted = span.status is SpanStatus.REJECTED or (
            column == self.STATUS and span.status is SpanStatus.SUGGESTED
        )
        if role == Qt.ItemDataRole.ForegroundRole and muted:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.text} — {span.label}, {STATUS_TEXT[span.status]} ({span.origin.value})"
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None


def _first_difference(shorter: list[SpanId | None], longer: list[SpanId | None]) -> int:
    for i, (a, b) in enumerate(zip(shorter, longer, strict=False)):
        if a != b:
            return i
    return len(shorter)


class EntityPanel(RowTable):
    """Lists the open document's entities; choosing a row selects that entity."""

    span_chosen = Signal(object)  # SpanId

    def __init__(self, model: EntityTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.setObjectName("entityPanel")
        self.entity_model = model
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EntityTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.fit_columns([])

    def fit_columns(self, label_names: list[str]) -> None:
        """Room for the longest label name (with its swatch) and for "suggested"."""
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in [*label_names, "LOCATION"]), default=0)
        self.setColumnWidth(EntityTableModel.LABEL, widest + 40)
        self.setColumnWidth(EntityTableModel.STATUS, metrics.horizontalAdvance("suggested") + 20)

    def row_chosen(self, row: int) -> None:
        self.span_chosen.emit(self.entity_model.rows[row].id)

    def select_span(self, span_id: SpanId | None) -> None:
        self.show_row(self.entity_model.row_of(span_id))
