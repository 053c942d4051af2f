"""The entity-link input tells repeated mentions of one name apart."""

from __future__ import annotations

from annotator.domain.model import ClaimField, EntitySpan, FieldKind, SpanOrigin, SpanStatus
from annotator.ui.claims.claim_inputs import EntityInput


def span(i: int, start: int, text: str, label: str, status: SpanStatus = SpanStatus.ACCEPTED) -> EntitySpan:
    return EntitySpan(document_id=1, start=start, end=start + len(text), text=text, label=label,  # type: ignore[arg-type]
                      origin=SpanOrigin.MANUAL, status=status, id=i)  # type: ignore[arg-type]


def test_repeated_names_are_numbered_in_text_order(qtbot) -> None:
    field = ClaimField("claimant", FieldKind.ENTITY, entity_labels=("PERSON", "ORG"))
    combo = EntityInput(field)
    qtbot.addWidget(combo)
    combo.set_entities([
        span(3, 80, "Sharif", "PERSON"), span(1, 10, "Sharif", "PERSON", SpanStatus.SUGGESTED),
        span(2, 40, "Munir", "PERSON"), span(4, 90, "Lahore", "LOCATION"),
        span(5, 95, "Sharif", "PERSON", SpanStatus.REJECTED),
    ])
    items = [combo.itemText(i) for i in range(1, combo.count())]
    assert items == [
        "Sharif  · PERSON (1 of 2), suggested", "Munir  · PERSON", "Sharif  · PERSON (2 of 2)",
    ]
