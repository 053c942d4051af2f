"""The article: read-only text with its entities highlighted, selectable by mouse and keys.

Fills come from the highlighter; outlines (dashed for suggestions, solid for the selected
entity) are painted over the text here, because a character format cannot draw a box.
Claims are underlined by the highlighter (so entity fills stay visible under them); the
selected claim gets a band under its lines and a bar in the left margin, and its claimant
entity a dashed frame in the same colour.
The view knows positions and looks, not rules: it reports clicks, text selections and
context-menu requests, and the controllers decide what they mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QPainter, QPaintEvent, QPen, QTextBlock, QTextLine
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.domain.ids import ClaimId, SpanId
from annotator.domain.model import EntitySpan, SpanStatus
from annotator.ui.article.highlighter import CLAIM_COMPLETE, CLAIM_INCOMPLETE, EntityHighlighter
from annotator.ui.article.span_index import BlockIndex, Range
from annotator.ui.article.span_styles import SpanStyles
from annotator.ui.common.offsets import TextOffsets

# Above this many changed entities, rehighlighting everything is cheaper than finding blocks.
_FULL_REHIGHLIGHT = 64


class ArticleView(QPlainTextEdit):
    span_clicked = Signal(object)  # SpanId, or None for a click beside any entity
    claim_clicked = Signal(object)  # ClaimId: a click in a claim's words, off any entity (or Alt+click)
    text_selected = Signal()  # the reader selected some text
    context_menu_wanted = Signal(QPoint, object)  # global position, SpanId or None

    def __init__(self, styles: SpanStyles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(22)
        reading = self.font()  # a size for reading whole articles, above the UI's own
        reading.setPointSizeF(reading.pointSizeF() * 1.2)
        self.setFont(reading)
        self.styles = styles
        self.text = ""  # the stored text (code points), as the services see it
        self.offsets = TextOffsets("")
        self.index = BlockIndex(self.offsets)
        self.highlighter = EntityHighlighter(self.document(), styles, self.index)
        self.show_rejected = False
        self.spans: dict[SpanId, EntitySpan] = {}
        self.selected: SpanId | None = None
        self.selected_claim: ClaimId | None = None
        self.claimant: SpanId | None = None  # the selected claim's claimant entity, framed
        self._claims: list[Range] = []
        self.selectionChanged.connect(self._on_selection_changed)

    # -- content ---------------------------------------------------------------------------
    def set_styles(self, styles: SpanStyles) -> None:
        """New label colours (another project's codebook)."""
        self.styles = self.highlighter.styles = styles
        self.highlighter.rehighlight()

    def show_document(self, text: str, spans: Iterable[EntitySpan]) -> None:
        """Show a new article; every block is highlighted once, as setPlainText lays it out."""
        self.selected = None
        self.text = text
        self.offsets = TextOffsets(text)
        self.spans = {s.id: s for s in spans if s.id is not None}
        self.index = BlockIndex(self.offsets)
        self.index.rebuild(self._visible_ranges())
        self.highlighter.set_layers(self.index)
        self._claims, self.selected_claim, self.claimant = [], None, None
        self.setPlainText(text)

    def clear_document(self) -> None:
        self.show_document("", ())

    def update_spans(
        self, spans: Iterable[EntitySpan], touched: Iterable[EntitySpan | None] | None = None
    ) -> None:
        """Take the document's spans after a change; ``touched`` are the spans whose old or
        new place needs repainting (None: repaint everything)."""
        touched_list = None if touched is None else [s for s in touched if s is not None]
        blocks: set[int] = set()
        if touched_list is not None and len(touched_list) <= _FULL_REHIGHLIGHT:
            for span in touched_list:
                if span.id is not None:
                    blocks.update(self.index.blocks_of(span.id))  # where it was drawn
        self.spans = {s.id: s for s in spans if s.id is not None}
        if self.selected not in self.spans:
            self.selected = None
        self.index.rebuild(self._visible_ranges())
        if touched_list is None or len(touched_list) > _FULL_REHIGHLIGHT:
            self.highlighter.rehighlight()
        else:
            for span in touched_list:
                blocks.update(self.offsets.blocks_between(*self.offsets.range_to_qt(span.start, span.end)))
            self.highlighter.rehighlight_blocks(blocks)
        self.viewport().update()

    def set_show_rejected(self, show: bool) -> None:
        if show != self.show_rejected:
            self.show_rejected = show
            self.update_spans(list(self.spans.values()))

    def set_claim_ranges(self, ranges: Iterable[Range]) -> None:
        """Claims layer (drawn as an underline that leaves entity fills visible)."""
        # Longest first: where claims nest, the innermost is filed last, so a click finds it.
        claims = sorted(ranges, key=lambda r: r.start - r.end)
        if claims != self._claims or len(self.highlighter.claims) != len(claims):
            # Only when they changed: an entity edit must not cost a whole-document rehighlight.
            self._claims = claims
            self.highlighter.set_claim_ranges(claims)
        self.viewport().update()

    def show_claims(self, claims: Iterable[tuple[ClaimId, int, int, bool]]) -> None:
        """The document's claims as (id, start, end, complete)."""
        self.set_claim_ranges(
            Range(claim_id, start, end, CLAIM_COMPLETE if complete else CLAIM_INCOMPLETE)
            for claim_id, start, end, complete in claims
        )

    def select_claim(self, claim_id: ClaimId | None, claimant: SpanId | None, scroll: bool = True) -> None:
        """Emphasise one claim (and frame its claimant), bringing it into view."""
        newly = claim_id != self.selected_claim
        self.selected_claim, self.claimant = claim_id, claimant
        qt_range = self.highlighter.claims.qt_range(claim_id) if claim_id is not None else None
        if scroll and newly and qt_range is not None:
            self._scroll_into_view(*qt_range)
        self.viewport().update()

    def claim_at(self, point: QPoint) -> ClaimId | None:
        position = self.qt_position_at(point)
        if position is None:
            return None
        key = self.highlighter.claims.key_at(position)
        return None if key is None else ClaimId(int(key))  # type: ignore[call-overload]

    def _visible_ranges(self) -> list[Range]:
        ordered = sorted(self.spans.values(), key=lambda s: (s.status is not SpanStatus.REJECTED, s.start))
        return [
            Range(s.id, s.start, s.end, (s.label, s.status))
            for s in ordered
            if self.show_rejected or s.status is not SpanStatus.REJECTED
        ]

    def is_visible(self, span: EntitySpan) -> bool:
        return self.show_rejected or span.status is not SpanStatus.REJECTED

    # -- selection -------------------------------------------------------------------------
    def select_span(self, span_id: SpanId | None, scroll: bool = True) -> None:
        """Outline one entity (or none) and bring it into view; clears any text selection."""
        self.selected = span_id if span_id in self.spans else None
        qt_range = self.index.qt_range(self.selected) if self.selected is not None else None
        if qt_range is not None:  # deselecting leaves a text selection the reader just made
            cursor = self.textCursor()
            cursor.setPosition(qt_range[0])
            self.blockSignals(True)
            self.setTextCursor(cursor)
            self.blockSignals(False)
        if scroll and qt_range is not None:
            self._scroll_into_view(*qt_range)
        self.viewport().update()

    def _scroll_into_view(self, qt_start: int, qt_end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(qt_end)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(qt_start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.range_to_code_points(cursor.selectionStart(), cursor.selectionEnd())

    def select_text(self, start: int, end: int) -> None:
        """Select text by code-point offsets (as a mouse drag would)."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), cursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _on_selection_changed(self) -> None:
        if self.textCursor().hasSelection():
            self.text_selected.emit()

    # -- hit testing -----------------------------------------------------------------------
    def qt_position_at(self, point: QPoint) -> int | None:
        """The character under a viewport point (not the nearest caret gap), or None."""
        block = self.cursorForPosition(point).block()
        if not block.isValid():
            return None
        top_left = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        x, y = point.x() - top_left.x(), point.y() - top_left.y()
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if line.y() <= y < line.y() + line.height():
                if not line.x() <= x <= line.x() + line.naturalTextWidth():
                    return None
                column = line.xToCursor(x, line.CursorPosition.CursorOnCharacter)
                return block.position() + column
        return None

    def span_at(self, point: QPoint) -> SpanId | None:
        position = self.qt_position_at(point)
        if position is None:
            return None
        key = self.index.key_at(position)
        return None if key is None else SpanId(int(key))  # type: ignore[call-overload]

    # -- events ----------------------------------------------------------------------------
    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            point = event.position().toPoint()
            # An entity wins over the claim around it; Alt+click reaches the claim anyway.
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            span = None if alt else self.span_at(point)
            self.span_clicked.emit(span)
            claim = self.claim_at(point) if span is None else None
            if claim is not None:
                self.claim_clicked.emit(claim)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu_wanted.emit(event.globalPos(), self.span_at(event.pos()))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            span_id = self.span_at(help_event.pos())
            if span_id is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(help_event.globalPos(), self.tooltip_for(self.spans[span_id]), self)
            return True
        return super().viewportEvent(event)

    @staticmethod
    def tooltip_for(span: EntitySpan) -> str:
        status = {"suggested": "suggestion", "accepted": "accepted", "rejected": "rejected"}
        origin = span.origin.value
        if span.model_name:
            origin += f" ({escape(span.model_name)} {escape(span.model_version or '')})".rstrip()
        return (
            f"<b>{escape(span.text)}</b><br>{escape(span.label)} · {status[span.status.value]}"
            f"<br>Origin: {origin}<br>Annotator: {escape(span.annotator or '—')}"
        )

    # -- outlines --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        offset = self.contentOffset()
        bottom = event.rect().bottom()
        block = self.firstVisibleBlock()
        while block.isValid():
            top_left = self.blockBoundingGeometry(block).translated(offset).topLeft()
            if top_left.y() > bottom:
                break
            for piece in self.index.pieces(block.blockNumber()):
                label, status = piece.look  # type: ignore[misc]
                if piece.key == self.selected:
                    pen: QPen | None = self.styles.selection_pen()
                elif piece.key == self.claimant and self.selected_claim is not None:
                    pen = self.styles.claimant_pen()
                else:
                    pen = self.styles.outline(label, status)
                if pen is not None:
                    self._outline(painter, block, top_left, piece.start, piece.end, pen)
            if self.selected_claim is not None:
                for piece in self.highlighter.claims.pieces(block.blockNumber()):
                    if piece.key == self.selected_claim:
                        self._claim_band(painter, block, top_left, piece.start, piece.end)
            block = block.next()
        painter.end()

    def _claim_band(
        self, painter: QPainter, block: QTextBlock, top_left: QPointF, start: int, end: int
    ) -> None:
        """A band under the selected claim's words and a bar beside its lines, in the
        margin: both below or beside the text, so no entity fill is covered."""
        color = self.styles.claim_band()
        for line, x1, x2 in _line_pieces(block, start, end):
            bottom = top_left.y() + line.y() + line.height()
            painter.fillRect(QRectF(top_left.x() + x1, bottom - 1.0, x2 - x1, 3.0), color)
            margin_x = top_left.x() + line.x() - 13
            painter.fillRect(QRectF(margin_x, top_left.y() + line.y() + 1, 4.0, line.height() - 1), color)

    @staticmethod
    def _outline(
        painter: QPainter, block: QTextBlock, top_left: QPointF, start: int, end: int, pen: QPen
    ) -> None:
        painter.setPen(pen)
        inset = pen.widthF() / 2
        for line, x1, x2 in _line_pieces(block, start, end):
            top = top_left.y() + line.y() + inset
            rect = QRectF(top_left.x() + x1 - 1.5, top, x2 - x1 + 3.0, line.height() - 2 * inset)
            painter.drawRoundedRect(rect, 3.0, 3.0)


def _line_pieces(block: QTextBlock, start: int, end: int) -> Iterator[tuple[QTextLine, float, float]]:
    """Each laid-out line of ``block`` that [start, end) (block positions) touches, with the
    x range of its part of the span."""
    layout = block.layout()
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        first, last = line.textStart(), line.textStart() + line.textLength()
        left, right = max(start, first), min(end, last)
        if left < right:
            yield line, line.cursorToX(left)[0], line.cursorToX(right)[0]
