"""In which order the document list shows documents (issue 15.4: active ordering)."""

from __future__ import annotations

from enum import StrEnum


class DocumentOrder(StrEnum):
    #: as imported (document id): the order the study was built in
    IMPORTED = "imported"
    #: the documents the model was least sure of first (where its suggestions need most care);
    #: documents without a score (not pre-annotated with the model in use) last, in id order
    UNCERTAIN = "uncertain"


ORDER_TEXT = {
    DocumentOrder.IMPORTED: "In import order",
    DocumentOrder.UNCERTAIN: "Most uncertain first",
}


def describe_uncertainty(score: float) -> str:
    """One line for a researcher: what the score says."""
    return (f"Model uncertainty {score:.3f}: its mean doubt per word "
            "(0: sure of every word; 1: a coin toss at each)")
