"""The document list as a Qt table model: a thin, paged adapter over ``Browser``.

``rowCount`` is the filtered count (one cheap query), and rows are read a page at a time
when the view first asks for them, so a project of 10,000 documents opens as fast as one of
ten and scrolling only ever reads the ~200 rows around what is shown.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, DocumentSummary
from annotator.domain.ordering import DocumentOrder, describe_uncertainty
from annotator.services.browse import Browser
from annotator.ui.claims.claim_marks import ClaimState, state_icon

STATUS_TEXT = {
    DocumentStatus.NEW: "New",
    DocumentStatus.IN_PROGRESS: "In progress",
    DocumentStatus.DONE: "Done",
}
_MAX_PAGES = 60


ATTENTION_TEXT = "Done — needs attention"


def status_icon(status: DocumentStatus, size: int = 14, attention: bool = False) -> QIcon:
    """An empty ring (new), a half-filled one (in progress), a green disc with a tick (done);
    done but needing attention (a claim unfinished): a green ring round a red "!"."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = pixmap.rect().adjusted(2, 2, -2, -2)
    if status is DocumentStatus.DONE:
        green = QColor("#228833")  # Paul Tol's bright green
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(green)
        painter.drawEllipse(box)
        if not attention:
            painter.setPen(QPen(QColor("white"), 1.6))
            x, y = box.left(), box.top()
            tick = [QPointF(x + 2.5, y + 5.2), QPointF(x + 4.5, y + 7.4), QPointF(x + 8, y + 3)]
            painter.drawPolyline(tick)
        if attention:  # a red core with "!" inside the green: done, but look again
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#CC3311"))  # Paul Tol's red, as a claim to review is marked
            core = QRectF(box).adjusted(2.2, 2.2, -2.2, -2.2)
            painter.drawEllipse(core)
            painter.setPen(QPen(QColor("white"), 1.3))
            x = core.center().x()
            painter.drawLine(QPointF(x, core.top() + 1.2), QPointF(x, core.bottom() - 2.4))
            painter.drawPoint(QPointF(x, core.bottom() - 0.9))
    else:
        amber = QColor("#CCBB44")  # Paul Tol's bright yellow, darkened by the ring
        painter.setPen(QPen(QColor("#888888") if status is DocumentStatus.NEW else amber.darker(140), 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box)
        if status is DocumentStatus.IN_PROGRESS:
            painter.setBrush(amber)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPie(box, 90 * 16, 180 * 16)
    painter.end()
    return QIcon(pixmap)

Index = QModelIndex | QPersistentModelIndex


#: marks a document of the reliability sample in the list (before its title)
SAMPLE_MARK = "◆ "


def row_tooltip(summary: DocumentSummary) -> str:
    """Everything the row stands for: title, status (and why it needs attention), counts."""
    status = STATUS_TEXT[summary.status]
    lines = [summary.title or f"Document {summary.id}"]
    if summary.needs_attention:
        why = []
        if summary.review_claims:
            n = summary.review_claims
            why.append(f"{n} claim{'s' if n > 1 else ''} flagged for review")
        if summary.incomplete_claims > summary.review_claims:
            n = summary.incomplete_claims - summary.review_claims
            why.append(f"{n} claim{'s' if n > 1 else ''} incomplete")
        status = f"{ATTENTION_TEXT}: {' and '.join(why)}"
    lines.append(f"{status} · document {summary.id}")
    if summary.in_sample:
        lines.append(f"{SAMPLE_MARK.strip()} In the reliability sample: every coder codes it independently")
    claims = f"{summary.claims} claim{'s' if summary.claims != 1 else ''}"
    if summary.incomplete_claims:
        claims += f" ({summary.incomplete_claims} unfinished)"
    lines.append(f"{summary.suggested} suggestions left · {summary.accepted} entities accepted · {claims}")
    if summary.uncertainty is not None:
        lines.append(describe_uncertainty(summary.uncertainty))
    return "\n".join(lines)


class DocumentListModel(QAbstractTableModel):
    # The title gets the room; two narrow counts say what is left (the rest is in the tooltip).
    STATUS, TITLE, PENDING, CLAIMS = range(4)
    HEADERS = ("", "Title", "Left", "Claims")
    HEADER_TIPS = (
        "Status: new (empty), in progress (half), done (green); a red \"!\" on a done "
        "document: a claim needs attention",
        "The article's title (the tooltip gives all its counts)",
        "Suggestions left to decide",
        "Claims coded; the amber mark says some miss required variables or need review",
    )
    COUNTS = (PENDING, CLAIMS)

    def __init__(self, browser: Browser, page_size: int = 200) -> None:
        super().__init__()
        self.browser = browser
        self.page_size = page_size
        self.text_filter = ""
        self.status_filter: DocumentStatus | None = None
        self.order = browser.order
        self._count = browser.count()
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._icons = {status: status_icon(status) for status in DocumentStatus}
        self._attention_icon = status_icon(DocumentStatus.DONE, attention=True)

    # -- filtering and refreshing ----------------------------------------------------------
    def set_filter(self, text: str, status: DocumentStatus | None) -> None:
        self.text_filter, self.status_filter = text, status
        self.reload()

    def set_order(self, order: DocumentOrder) -> None:
        """Show the documents in ``order`` (and "next unfinished" follows it)."""
        self.order = order
        self.reload()

    def reload(self) -> None:
        """Read the count again and forget cached rows (after an import, a filter or order change,
        or new scores)."""
        self.browser.order = self.order  # the browser may be another project's, new
        self.beginResetModel()
        self._count = self.browser.count(self.text_filter, self.status_filter)
        self._pages.clear()
        self.endResetModel()

    def refresh(self, document_ids: Iterable[DocumentId]) -> None:
        """Re-read the rows of documents that changed, if they are loaded."""
        wanted = set(document_ids)
        located = {
            s.id: (page, i)
            for page, rows in self._pages.items()
            for i, s in enumerate(rows)
            if s.id in wanted
        }
        if not located:
            return
        fresh = {s.id: s for s in self.browser.summaries(list(located))}
        for document_id, (page, i) in located.items():
            summary = fresh.get(document_id)
            old = self._pages[page][i]
            left_filter = self.status_filter is not None and summary is not None and (
                summary.status is not self.status_filter
            )
            moved = self.order is DocumentOrder.UNCERTAIN and summary is not None and (
                summary.uncertainty != old.uncertainty
            )
            if summary is None or left_filter or moved:
                self.reload()  # it left the filtered list (rows below move up), or its place changed
                return
            if summary != old:
                self._pages[page][i] = summary
                row = page * self.page_size + i
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    # -- lookups ---------------------------------------------------------------------------
    def summary_at(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < self._count:
            return None
        page_number, i = divmod(row, self.page_size)
        page = self._pages.get(page_number)
        if page is None:
            page = self.browser.page(
                self.text_filter, self.status_filter, page_number * self.page_size, self.page_size
            )
            self._pages[page_number] = page
            while len(self._pages) > _MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[i] if i < len(page) else None

    def document_id_at(self, row: int) -> DocumentId | None:
        summary = self.summary_at(row)
        return None if summary is None else summary.id

    def row_of(self, document_id: DocumentId) -> int | None:
        for page_number, rows in self._pages.items():
            for i, summary in enumerate(rows):
                if summary.id == document_id:
                    return page_number * self.page_size + i
        return self.browser.row_of(document_id, self.text_filter, self.status_filter)

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.HEADER_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        summary = self.summary_at(index.row())
        if summary is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                title = summary.title or f"Document {summary.id}"
                return SAMPLE_MARK + title if summary.in_sample else title
            if column == self.PENDING:
                return summary.suggested or "–"
            if column == self.CLAIMS:
                return summary.claims or "–"
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return self._attention_icon if summary.needs_attention else self._icons[summary.status]
        if role == Qt.ItemDataRole.DecorationRole and column == self.CLAIMS and summary.incomplete_claims:
            return state_icon(ClaimState.REVIEW if summary.review_claims else ClaimState.INCOMPLETE)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CLAIMS and summary.claims:
                return f"{summary.claims} claim(s), {summary.incomplete_claims} incomplete or to review"
            return row_tooltip(summary)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.COUNTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        counts = {self.PENDING: summary.suggested, self.CLAIMS: summary.claims}
        if role == Qt.ItemDataRole.ForegroundRole and not counts.get(column, 1):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and column == self.PENDING and summary.suggested:
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None
