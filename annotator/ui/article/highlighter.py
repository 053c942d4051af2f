"""Paints entity fills and claim underlines one paragraph at a time.

A ``QSyntaxHighlighter`` formats each block as Qt lays it out; formats it sets are not part
of the document, so Qt's own undo history and the text stay untouched (``mergeCharFormat``
would record every highlight as an edit). Work per block is proportional to the ranges in
that block, thanks to the block index.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.domain.model import SpanStatus
from annotator.ui.article.span_index import BlockIndex, Piece, Range
from annotator.ui.article.span_styles import SpanStyles

#: The look of a claim range: complete claims are underlined solid, the others dashed.
CLAIM_COMPLETE = "complete"
CLAIM_INCOMPLETE = "incomplete"


class EntityHighlighter(QSyntaxHighlighter):
    """Two layers: entity fills, then claim ranges drawn as an underline over them."""

    def __init__(self, document: QTextDocument, styles: SpanStyles, entities: BlockIndex) -> None:
        super().__init__(document)
        self.styles = styles
        self.entities = entities
        self.claims = BlockIndex(entities.offsets)
        self.blocks_highlighted = 0  # for tests and the benchmark

    def set_layers(self, entities: BlockIndex, claims: Iterable[Range] = ()) -> None:
        """Point at new indexes (a new document); the caller sets the text afterwards, which
        highlights every block once."""
        self.entities = entities
        self.claims = BlockIndex(entities.offsets)
        self.claims.rebuild(claims)

    def set_claim_ranges(self, claims: Iterable[Range]) -> None:
        self.claims.rebuild(claims)
        self.rehighlight()

    def rehighlight_blocks(self, block_numbers: Iterable[int]) -> None:
        document = self.document()
        for number in sorted(set(block_numbers)):
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)

    def highlightBlock(self, text: str) -> None:
        self.blocks_highlighted += 1
        number = self.currentBlock().blockNumber()
        pieces = self.entities.pieces(number)
        for piece in pieces:
            label, status = piece.look  # type: ignore[misc]
            self.setFormat(piece.start, piece.end - piece.start, self.styles.char_format(label, status))
        claims = self.claims.pieces(number)
        if claims:
            self._underline_claims(claims, pieces, len(text))

    def _underline_claims(self, claims: list[Piece], entities: list[Piece], length: int) -> None:
        # Underline each claim without losing the entity fills under it: cut the claim at
        # entity edges and add the underline to whatever format each cut already has.
        live = [p for p in entities if p.look[1] is not SpanStatus.REJECTED]  # type: ignore[index]
        for claim in claims:
            color, style = self.styles.claim_underline(complete=claim.look != CLAIM_INCOMPLETE)
            end = min(claim.end, length)
            cuts = {claim.start, end}
            for entity in live:
                cuts.update(c for c in (entity.start, entity.end) if claim.start < c < end)
            edges = sorted(cuts)
            for start, stop in pairwise(edges):
                fmt = QTextCharFormat(self.format(start))
                fmt.setUnderlineStyle(style)
                fmt.setUnderlineColor(color)
                self.setFormat(start, stop - start, fmt)
