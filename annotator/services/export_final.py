"""The default export of an adjudicated study (issue 12.6): the final layer where there is one.

Exporting every coder (no ``--coder``), a document with a final layer (the coder ``final``
has entities or claims in it) is exported as that layer only; any other document as before:
the one coder who coded it, or, coded by several and not adjudicated, every coder's rows.
The Entities and Claims sheets then carry a ``layer`` column saying whose layer each row
is: "final" or the coder's name (blank for a shared model suggestion).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from annotator.domain.adjudication import FINAL_LAYER
from annotator.services.export_layers import LayerRule, Row

LAYER_COLUMN = "layer"


class FinalLayerRule(LayerRule):
    """A ``LayerRule`` that shows only the final layer's rows of the adjudicated documents."""

    def __init__(
        self, coders: Collection[int], assignments: Mapping[int, Collection[int]] | None,
        final_id: int, final_documents: Collection[int],
    ) -> None:
        super().__init__(coders, assignments)
        self.final_id = final_id
        self.final_documents = frozenset(final_documents)

    def shown(self, rows: Iterable[Row], start: int, end: int, coder: int) -> Iterator[Row]:
        kept = (r for r in rows if r[0] not in self.final_documents or r[coder] == self.final_id)
        return super().shown(kept, start, end, coder)

    def claim_shown(self, document_id: int, coder: str | None) -> bool:
        return document_id not in self.final_documents or coder == FINAL_LAYER


def final_coder(coders: Iterable[tuple[int, str]]) -> int | None:
    """The id of the final layer's coder among the exported ones, if it is there."""
    return next((i for i, name in coders if name == FINAL_LAYER), None)
