"""A forest plot of alpha: one line per variable (or label), its bootstrap 95 % interval as a
whisker, the estimate as a mark shaped by its verdict, and Krippendorff's two thresholds as
dashed lines. Drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.domain.agreement.report import RELIABLE, TENTATIVE
from annotator.ui.reliability.figures import FigureRow, Verdict

_ROW = 22  # pixels per variable
_BOTTOM, _GAP = 30, 10


class AlphaChart(QWidget):
    row_clicked = Signal(int)  # index into the rows shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alphaChart")
        self.rows: list[FigureRow] = []
        self.current = -1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Alpha with its 95 % interval; dashed: .667 (tentative) and .800 (reliable). "
                        "Click a line to list its disagreements.")

    def set_rows(self, rows: list[FigureRow]) -> None:
        self.rows = [r for r in rows if r.alpha is not None]
        self.current = -1
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def set_current(self, name: str | None) -> None:
        self.current = next((i for i, r in enumerate(self.rows) if r.name == name), -1)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, self._top() + _BOTTOM + max(len(self.rows), 1) * _ROW)

    # -- geometry --------------------------------------------------------------------------
    def _range(self) -> tuple[float, float]:
        """From 0 (or below, when an interval reaches below) to 1."""
        lows = [r.alpha.ci95[0] if r.alpha and r.alpha.ci95 else (r.alpha.alpha if r.alpha else None)
                for r in self.rows]
        lowest = min([v for v in lows if v is not None] + [0.0])
        return max(math.floor(lowest * 5) / 5, -1.0), 1.0

    def _top(self) -> int:
        """Room for the two threshold captions, one above the other."""
        return 2 * self.fontMetrics().height() + 10

    def _name_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(r.name) for r in self.rows), default=40)
        return min(widest + 12, self.width() // 3)

    def _x(self, value: float, left: float, right: float) -> float:
        low, high = self._range()
        value = min(max(value, low), high)
        return left + (value - low) / (high - low) * (right - left)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        names = self._name_width()
        left, right = float(names + _GAP), float(self.width() - 24)
        top = float(self._top())
        bottom = top + max(len(self.rows), 1) * _ROW
        metrics = self.fontMetrics()
        if not self.rows:
            painter.setPen(text_color)
            painter.drawText(QRectF(0, 0, self.width(), self.height()), Qt.AlignmentFlag.AlignCenter,
                             "No figures yet")
            return
        # axis, ticks and the thresholds
        low, high = self._range()
        grid = QColor(text_color)
        grid.setAlpha(60)
        tick = low
        while tick <= high + 1e-9:
            x = self._x(tick, left, right)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            painter.setPen(text_color)
            painter.drawText(QRectF(x - 20, bottom + 4, 40, metrics.height()), Qt.AlignmentFlag.AlignHCenter,
                             f"{tick:.1f}")
            tick = round(tick + 0.2, 6)
        thresholds = ((TENTATIVE, Verdict.TENTATIVE.color, ".667 tentative"),
                      (RELIABLE, Verdict.RELIABLE.color, ".800 reliable"))
        for line, (value, color, label) in enumerate(thresholds):
            x = self._x(value, left, right)
            caption_y = 4 + line * metrics.height()
            painter.setPen(QPen(QColor(color), 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, caption_y + metrics.height()), QPointF(x, bottom))
            painter.setPen(QColor(color))
            width = metrics.horizontalAdvance(label) + 4
            x0 = min(max(x - width / 2, 0.0), self.width() - width)  # centred on its line, inside
            caption = QRectF(x0, caption_y, width, metrics.height())
            painter.drawText(caption, Qt.AlignmentFlag.AlignCenter, label)
        for i, row in enumerate(self.rows):
            self._draw_row(painter, i, row, names, left, right, top, text_color)
        painter.end()

    def _draw_row(self, painter: QPainter, i: int, row: FigureRow, names: int, left: float, right: float,
                  top: float, text_color: QColor) -> None:
        y = top + i * _ROW + _ROW / 2
        if i == self.current:
            painter.fillRect(QRectF(0, y - _ROW / 2, self.width(), _ROW),
                             self.palette().color(QPalette.ColorRole.Highlight).lighter(170))
        painter.setPen(text_color)
        name = self.fontMetrics().elidedText(row.name, Qt.TextElideMode.ElideMiddle, names - 8)
        painter.drawText(QRectF(4, y - _ROW / 2, names - 8, _ROW),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        estimate = row.alpha
        if estimate is None or estimate.alpha is None:
            painter.setPen(QColor(Verdict.UNDEFINED.color))
            box = QRectF(left + 4, y - _ROW / 2, right - left, _ROW)
            note = estimate.note if estimate else ""
            metrics = self.fontMetrics()
            text = metrics.elidedText(f"no alpha: {note}", Qt.TextElideMode.ElideRight, int(box.width()))
            # on the window's colour, so the grid does not run through the words
            behind = QRectF(box.x() - 2, y - metrics.height() / 2,
                            metrics.horizontalAdvance(text) + 4, metrics.height())
            painter.fillRect(behind, self.palette().color(QPalette.ColorRole.Window))
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, text)
            return
        color = QColor(row.verdict.color)
        painter.setPen(QPen(color, 2))
        if estimate.ci95 is not None:
            x0, x1 = self._x(estimate.ci95[0], left, right), self._x(estimate.ci95[1], left, right)
            painter.drawLine(QPointF(x0, y), QPointF(x1, y))
            for x in (x0, x1):
                painter.drawLine(QPointF(x, y - 5), QPointF(x, y + 5))
        _mark(painter, QPointF(self._x(estimate.alpha, left, right), y), row.verdict, color)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = int((event.position().y() - self._top()) // _ROW)
        if 0 <= index < len(self.rows):
            self.current = index
            self.update()
            self.row_clicked.emit(index)


def _mark(painter: QPainter, at: QPointF, verdict: Verdict, color: QColor) -> None:
    """The table's mark drawn: filled (reliable), half filled (tentative), hollow (unreliable)."""
    r = 6.0
    box = QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r)
    painter.setPen(QPen(color, 2))
    painter.setBrush(QColor("white"))
    painter.drawEllipse(box)
    painter.setBrush(color)
    if verdict is Verdict.RELIABLE:
        painter.drawEllipse(box)
    elif verdict is Verdict.TENTATIVE:
        painter.drawPie(box, 90 * 16, 180 * 16)  # the left half, as in ◐
    painter.setBrush(Qt.BrushStyle.NoBrush)
