"""How an entity looks: label colour from the codebook, status shown by fill and outline.

- accepted: a filled, translucent background in the label's colour;
- suggested: a faint wash of the colour plus a dashed outline (drawn by the article view),
  so "the model thinks" never looks like "a person decided";
- rejected (only when shown on request): struck through in a muted text colour, no fill.

Fills are translucent so that the theme's own text colour stays on top: the codebook's
colours (Paul Tol's colour-blind-safe "light" scheme) are light, and dark themes get a
little less opacity so that light text keeps its contrast.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QPen, QTextCharFormat

from annotator.domain.model import Codebook, SpanStatus

FALLBACK_COLOR = "#BBBBBB"
CLAIM_UNDERLINE_COLOR = "#555555"
INCOMPLETE_CLAIM_COLOR = "#BB7700"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class SpanStyles:
    """Text formats and outline pens per (label, status), built once per codebook and theme."""

    def __init__(self, codebook: Codebook, palette: QPalette) -> None:
        self.palette = palette
        self.dark = is_dark(palette)
        self._colors = {label.name: QColor(label.color) for label in codebook.labels}
        self._formats: dict[tuple[str, SpanStatus], QTextCharFormat] = {}
        self._outlines: dict[str, QPen] = {}
        self.accepted_alpha = 0.45 if self.dark else 0.70
        self.suggested_alpha = 0.16 if self.dark else 0.22

    def color(self, label: str) -> QColor:
        return QColor(self._colors.get(label, QColor(FALLBACK_COLOR)))

    def strong_color(self, label: str) -> QColor:
        """The label colour made strong enough to draw thin lines with on this theme."""
        color = self.color(label)
        return color.lighter(115) if self.dark else color.darker(165)

    def char_format(self, label: str, status: SpanStatus) -> QTextCharFormat:
        key = (label, status)
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self._make_format(label, status)
        return found

    def _make_format(self, label: str, status: SpanStatus) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if status is SpanStatus.REJECTED:
            fmt.setFontStrikeOut(True)
            fmt.setForeground(self.palette.color(QPalette.ColorRole.PlaceholderText))
            return fmt
        fill = self.color(label)
        fill.setAlphaF(
            self.accepted_alpha if status is SpanStatus.ACCEPTED else self.suggested_alpha
        )
        fmt.setBackground(fill)
        return fmt

    def outline(self, label: str, status: SpanStatus) -> QPen | None:
        """The dashed outline of a suggestion; accepted and rejected entities have none."""
        if status is not SpanStatus.SUGGESTED:
            return None
        pen = self._outlines.get(label)
        if pen is None:
            pen = QPen(self.strong_color(label), 1.4, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([3.0, 2.0])
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._outlines[label] = pen
        return pen

    def selection_pen(self) -> QPen:
        """The outline of the selected entity: the theme's text colour, heavier than any
        suggestion outline, so it stands out whatever the label colour."""
        return QPen(self.palette.color(QPalette.ColorRole.Text), 2.2)

    def claim_underline(self, complete: bool = True) -> tuple[QColor, QTextCharFormat.UnderlineStyle]:
        """A claim's underline: solid for a complete claim, dashed and amber for one that
        still misses required variables (or needs review)."""
        if complete:
            return (QColor("#DDDDDD") if self.dark else QColor(CLAIM_UNDERLINE_COLOR),
                    QTextCharFormat.UnderlineStyle.SingleUnderline)
        amber = QColor(INCOMPLETE_CLAIM_COLOR)
        return (amber.lighter(130) if self.dark else amber, QTextCharFormat.UnderlineStyle.DashUnderline)

    def claim_band(self) -> QColor:
        """The band under the selected claim: the theme's selection colour."""
        return self.palette.color(QPalette.ColorRole.Highlight)

    def claimant_pen(self) -> QPen:
        """The frame of the selected claim's claimant entity: the band's colour, so the two
        read as one, and dashed, so it never looks like the selected entity's frame."""
        pen = QPen(self.claim_band(), 2.0, Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([2.5, 1.5])
        return pen
