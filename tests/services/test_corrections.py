"""Entity corrections: each rule of the overlap policy, undo/redo round trips, claim safety."""

from __future__ import annotations

import pytest

from annotator.domain.errors import OverlapError, SpanError
from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.corrections import Corrections
from annotator.services.project import Project
from annotator.storage.repositories import ClaimRepository, DocumentRepository, SpanRepository

TEXT = "🎉 Prime Minister Shehbaz Sharif met Asim Munir in Islamabad. Sharif spoke."


@pytest.fixture
def doc(project: Project) -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=TEXT, title="Meeting"))


def spans(project: Project, doc: DocumentId, coder: str = "c") -> list[EntitySpan]:
    """What the coder sees (their layer and the suggestions they have not decided)."""
    with project.session() as session:
        return SpanRepository(session).for_document(doc, coder)


def suggest(project: Project, doc: DocumentId, text: str, label: str) -> EntitySpan:
    start = TEXT.index(text)
    with project.session() as session:
        return SpanRepository(session).add(
            EntitySpan(document_id=doc, start=start, end=start + len(text), text=text, label=label,
                       origin=SpanOrigin.MODEL, status=SpanStatus.SUGGESTED, model_name="m")
        )


def test_create_snaps_to_tokens_records_the_coder_and_starts_the_document(
    project: Project, doc: DocumentId
) -> None:
    corrections = Corrections(project, coder="ayesha")
    start = TEXT.index("hbaz")
    change = corrections.create(doc, start, start + 8, "PERSON")  # "hbaz Sha": half of Sharif or more
    assert change.after is not None
    assert change.after.text == "Shehbaz Sharif"
    assert (change.after.origin, change.after.status) == (SpanOrigin.MANUAL, SpanStatus.ACCEPTED)
    assert change.after.annotator == "ayesha"
    with project.session() as session:
        assert DocumentRepository(session).get(doc).status is DocumentStatus.IN_PROGRESS
    corrections.revert(change)
    assert spans(project, doc) == []
    with project.session() as session:
        assert DocumentRepository(session).get(doc).status is DocumentStatus.NEW


def test_overlaps_are_refused_but_rejected_suggestions_do_not_block(
    project: Project, doc: DocumentId
) -> None:
    corrections = Corrections(project, coder="c")
    start = TEXT.index("Shehbaz")
    corrections.create(doc, start, start + len("Shehbaz Sharif"), "PERSON")
    with pytest.raises(OverlapError):
        corrections.create(doc, TEXT.index("Sharif met"), TEXT.index(" met"), "ORG")
    rejected = suggest(project, doc, "Asim Munir", "ORG")
    corrections.reject(rejected.id)  # type: ignore[arg-type]
    change = corrections.create(doc, TEXT.index("Asim"), TEXT.index(" in Isl"), "PERSON")
    assert change.after is not None and change.after.text == "Asim Munir"
    with pytest.raises(SpanError):
        corrections.create(doc, 1, 2, "PERSON")  # only white space selected


def test_relabel_resize_accept_reject_and_undo_each(project: Project, doc: DocumentId) -> None:
    corrections = Corrections(project, coder="c")
    span = suggest(project, doc, "Minister", "ORG")
    assert span.id is not None
    steps = [
        corrections.relabel(span.id, "PERSON"),
        corrections.resize(span.id, "start", grow=True),
        corrections.resize(span.id, "end", grow=True),
        corrections.resize(span.id, "end", grow=False),
        corrections.accept(span.id),
        corrections.reject(span.id),
    ]
    final = spans(project, doc)[0]
    assert (final.text, final.label, final.status) == ("Prime Minister", "PERSON", SpanStatus.REJECTED)
    for change in reversed(steps):
        corrections.revert(change)
    restored = spans(project, doc)[0]
    assert (restored.text, restored.label, restored.status, restored.annotator) == (
        "Minister", "ORG", SpanStatus.SUGGESTED, None,
    )
    corrections.reapply_many(steps)
    assert spans(project, doc)[0].text == "Prime Minister"


def test_delete_keeps_model_memory_and_undo_restores_the_same_id(
    project: Project, doc: DocumentId
) -> None:
    corrections = Corrections(project, coder="c")
    model_span = suggest(project, doc, "Islamabad", "LOCATION")
    corrections.delete(model_span.id)  # type: ignore[arg-type]
    assert spans(project, doc)[0].status is SpanStatus.REJECTED  # a re-run won't propose it again
    manual = corrections.create(doc, TEXT.index("Asim"), TEXT.index(" in Isl"), "PERSON").after
    assert manual is not None and manual.id is not None
    change = corrections.delete(manual.id)
    # the coder's rejection is their own entity; the suggestion stays for the other coders
    assert [(s.text, s.status) for s in spans(project, doc)] == [("Islamabad", SpanStatus.REJECTED)]
    assert [s.id for s in spans(project, doc, coder="someone else")] == [model_span.id]
    corrections.revert(change)
    assert manual.id in [s.id for s in spans(project, doc)]


def test_accept_all_and_undo(project: Project, doc: DocumentId) -> None:
    corrections = Corrections(project, coder="c")
    suggest(project, doc, "Asim Munir", "PERSON")
    suggest(project, doc, "Islamabad", "LOCATION")
    changes = corrections.accept_all(doc)
    assert len(changes) == 2
    assert {s.status for s in spans(project, doc)} == {SpanStatus.ACCEPTED}
    corrections.revert_many(changes)
    assert {s.status for s in spans(project, doc)} == {SpanStatus.SUGGESTED}


def test_deleting_a_claimant_entity_keeps_the_claim_and_flags_it(
    project: Project, doc: DocumentId
) -> None:
    corrections = Corrections(project, coder="c")
    claimant = corrections.create(doc, TEXT.index("Shehbaz"), TEXT.index(" met"), "PERSON").after
    assert claimant is not None and claimant.id is not None
    with project.session() as session:
        claim = ClaimRepository(session).add(
            Claim(document_id=doc, start=TEXT.index("Sharif spoke"), end=len(TEXT),
                  text="Sharif spoke.", values={"claimant": EntityRef(claimant.id, claimant.text)},
                  annotator="c")
        )
    change = corrections.delete(claimant.id)
    with project.session() as session:
        flagged = ClaimRepository(session).get(claim.id)  # type: ignore[arg-type]
    assert flagged.needs_review
    assert flagged.values["claimant"] == EntityRef(None, "Shehbaz Sharif")
    assert "was deleted" in flagged.review_note
    corrections.revert(change)
    with project.session() as session:
        restored = ClaimRepository(session).get(claim.id)  # type: ignore[arg-type]
    assert not restored.needs_review
    assert restored.values["claimant"] == EntityRef(claimant.id, "Shehbaz Sharif")


def test_label_every_occurrence_skips_overlaps(project: Project, doc: DocumentId) -> None:
    corrections = Corrections(project, coder="c")
    corrections.create(doc, TEXT.index("Shehbaz"), TEXT.index(" met"), "PERSON")
    with project.session() as session:
        other = DocumentRepository(session).add(NewDocument(text="Sharif left Lahore."))
    changes = corrections.label_everywhere("Sharif", "PERSON")
    assert sorted((c.document_id, c.after.start) for c in changes if c.after) == sorted(
        [(doc, TEXT.index("Sharif spoke")), (other, 0)]
    )
