"""How a claim's state is shown wherever claims are listed: complete, incomplete, to review."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from annotator.domain.model import Claim
from annotator.services.done_check import variable_caption

# Paul Tol's bright scheme: green for done, yellow-brown for "something missing", red for
# "a linked entity changed, look again".
COLORS = {"complete": "#228833", "incomplete": "#CC9922", "review": "#CC3311"}


class ClaimState(Enum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    REVIEW = "review"


def claim_state(claim: Claim, missing: Sequence[str]) -> ClaimState:
    if claim.needs_review:
        return ClaimState.REVIEW
    return ClaimState.INCOMPLETE if missing else ClaimState.COMPLETE


def state_tooltip(claim: Claim, missing: Sequence[str]) -> str:
    lines = []
    if claim.needs_review:
        lines.append(f"Needs review: {claim.review_note or 'a linked entity changed'}")
    if missing:
        lines.append("Missing: " + ", ".join(variable_caption(name) for name in missing))
    return "\n".join(lines) or "Complete"


@cache
def state_icon(state: ClaimState, size: int = 14) -> QIcon:
    """A green disc with a tick (complete), or an amber / red disc with "!"."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(pixmap.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(COLORS[state.value]))
    painter.drawEllipse(box)
    painter.setPen(QPen(QColor("white"), 1.6))
    if state is ClaimState.COMPLETE:
        x, y = box.left(), box.top()
        tick = [QPointF(x + 2.8, y + 5.6), QPointF(x + 4.8, y + 7.8), QPointF(x + 8.4, y + 3.4)]
        painter.drawPolyline(tick)
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.75))
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return QIcon(pixmap)
