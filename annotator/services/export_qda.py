"""What a REFI-QDA export holds: every coder's entities, codings and claims (issue 13).

A QDA project is naturally multi-user: each selection names its ``creatingUser``. So with no
``--coder``/``--final`` every coder's layer goes out (the final layer as the user "final");
``--coder NAME`` keeps one coder's; ``--final`` keeps the final layer (codings have no final
layer and are counted as left out). Claims become codings of the code "claim" with their
variables written into the selection's memo.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.model import Claim, EntityRef, SpanStatus
from annotator.io.interchange.records import ExportDocument, OutCoding, OutSpan
from annotator.storage.repositories import ClaimRepository, DocumentRepository, SpanRepository
from annotator.storage.repositories.codings import CodingRepository


def qda_documents(
    session: Session, coder: str | None, final: bool, lost: dict[str, int]
) -> list[ExportDocument]:
    layer = FINAL_LAYER if final else coder
    documents = DocumentRepository(session)
    spans, claims = SpanRepository(session), ClaimRepository(session)
    codings = CodingRepository(session).all()
    by_document: dict[int, list[OutCoding]] = {}
    for c in codings:
        if final or (layer is not None and c.coder != layer):
            _count(lost, "codings of other coders" if not final else "codings (the final layer "
                   "has none)", 1)
            continue
        by_document.setdefault(c.document_id, []).append(OutCoding(c.start, c.end, c.code, c.coder, c.memo))
    items = []
    for document_id in documents.ids():
        document = documents.get(document_id)
        rows = spans.for_document(document_id)
        chosen = [s for s in rows if s.status is SpanStatus.ACCEPTED and s.annotator is not None
                  and (layer is None or s.annotator == layer)]
        all_claims = claims.for_document(document_id)
        kept_claims = [c for c in all_claims if layer is None or c.annotator == layer]
        _count(lost, "entities of other coders, rejected or pending", len(rows) - len(chosen))
        _count(lost, "claims of other coders", len(all_claims) - len(kept_claims))
        items.append(ExportDocument(
            int(document.id), document.text, document.title,
            [OutSpan(s.start, s.end, s.label, s.annotator) for s in chosen],
            codings=by_document.get(int(document.id), []),
            claims=[OutCoding(c.start, c.end, "claim", c.annotator, claim_memo(c)) for c in kept_claims],
        ))
    return items


def claim_memo(claim: Claim) -> str:
    """The claim's variables as one readable line each ("claimant: Imran Khan")."""
    lines = [f"{name}: {_value(value)}" for name, value in claim.values.items()
             if _value(value) != ""]
    if claim.needs_review:
        lines.append(f"needs review: {claim.review_note}".rstrip(": "))
    return "\n".join(lines)


def _value(value: object) -> str:
    if isinstance(value, EntityRef):
        return value.text
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _count(lost: dict[str, int], what: str, n: int) -> None:
    if n:
        lost[what] = lost.get(what, 0) + n
