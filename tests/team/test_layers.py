"""Coders' layers: each coder's decisions stay theirs, suggestions stay shared, blind means blind."""

from __future__ import annotations

import pytest

from annotator.domain.errors import LayerError
from annotator.domain.ids import DocumentId
from annotator.domain.layers import layer_view, undecided_by_all
from annotator.domain.model import (
    CoderRole,
    DocumentStatus,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.browse import Browser
from annotator.services.claims import ClaimCoding
from annotator.services.coders import CoderService
from annotator.services.corrections import Corrections
from annotator.services.layers import blind_coding, set_blind_coding
from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository, DocumentRepository, SpanRepository

TEXT = "🎉 Prime Minister Shehbaz Sharif met Asim Munir in Islamabad. Sharif spoke."


@pytest.fixture
def doc(project: Project) -> DocumentId:
    with project.session() as session:
        document = DocumentRepository(session).add(NewDocument(text=TEXT, title="Meeting"))
        for needle, label in (("Shehbaz Sharif", "PERSON"), ("Asim Munir", "PERSON"), ("Islamabad", "ORG")):
            start = TEXT.index(needle)
            SpanRepository(session).add(EntitySpan(
                document_id=document, start=start, end=start + len(needle), text=needle, label=label,
                origin=SpanOrigin.MODEL, status=SpanStatus.SUGGESTED, model_name="m",
            ))
    return document


def view(project: Project, doc: DocumentId, coder: str) -> dict[str, tuple[str, SpanStatus, str | None]]:
    return {s.text: (s.label, s.status, s.annotator) for s in Browser(project, coder).spans(doc)}


def test_a_coders_decisions_never_show_in_another_coders_view(project: Project, doc: DocumentId) -> None:
    alice, bob = Corrections(project, "alice"), Corrections(project, "bob")
    sharif, _munir, islamabad = Browser(project, "alice").spans(doc)
    alice.accept(sharif.id)  # type: ignore[arg-type]
    alice.relabel(islamabad.id, "LOCATION")  # type: ignore[arg-type]
    bob.reject(sharif.id)  # type: ignore[arg-type]
    start = TEXT.index("Sharif spoke")
    bob.create(doc, start, start + 6, "PERSON")

    assert view(project, doc, "alice") == {
        "Shehbaz Sharif": ("PERSON", SpanStatus.ACCEPTED, "alice"),
        "Asim Munir": ("PERSON", SpanStatus.SUGGESTED, None),  # undecided: still shared
        "Islamabad": ("LOCATION", SpanStatus.ACCEPTED, "alice"),
    }
    assert view(project, doc, "bob") == {
        "Shehbaz Sharif": ("PERSON", SpanStatus.REJECTED, "bob"),
        "Asim Munir": ("PERSON", SpanStatus.SUGGESTED, None),
        "Islamabad": ("ORG", SpanStatus.SUGGESTED, None),  # alice's relabel is not bob's
        "Sharif": ("PERSON", SpanStatus.ACCEPTED, "bob"),
    }
    # a third coder still gets every suggestion, untouched
    assert view(project, doc, "carol") == {
        "Shehbaz Sharif": ("PERSON", SpanStatus.SUGGESTED, None),
        "Asim Munir": ("PERSON", SpanStatus.SUGGESTED, None),
        "Islamabad": ("ORG", SpanStatus.SUGGESTED, None),
    }


def test_document_status_and_claims_are_per_coder(project: Project, doc: DocumentId) -> None:
    Corrections(project, "alice").set_document_status(doc, DocumentStatus.DONE)
    ClaimCoding(project, "bob").create(doc, TEXT.index("Sharif spoke"), len(TEXT))
    assert Browser(project, "alice").bundle(doc).document.status is DocumentStatus.DONE
    assert Browser(project, "bob").bundle(doc).document.status is DocumentStatus.IN_PROGRESS
    assert Browser(project, "carol").bundle(doc).document.status is DocumentStatus.NEW
    assert Browser(project, "alice").bundle(doc).claims == ()
    assert [c.annotator for c in Browser(project, "bob").bundle(doc).claims] == ["bob"]
    assert ClaimCoding(project, "alice").claims(doc) == []
    (summary,) = Browser(project, "bob").page()
    assert (summary.status, summary.claims, summary.suggested) == (DocumentStatus.IN_PROGRESS, 1, 3)
    (summary,) = Browser(project, "alice").page()
    assert (summary.status, summary.claims) == (DocumentStatus.DONE, 0)


def test_the_document_list_counts_only_the_coders_view(project: Project, doc: DocumentId) -> None:
    sharif = Browser(project, "alice").spans(doc)[0]
    Corrections(project, "alice").accept(sharif.id)  # type: ignore[arg-type]
    (mine,) = Browser(project, "alice").page()
    (theirs,) = Browser(project, "bob").page()
    assert (mine.accepted, mine.suggested) == (1, 2)
    assert (theirs.accepted, theirs.suggested) == (0, 3)


def test_another_coders_entity_or_claim_cannot_be_changed(project: Project, doc: DocumentId) -> None:
    start = TEXT.index("Sharif spoke")
    own = Corrections(project, "alice").create(doc, start, start + 6, "PERSON").after
    claim = ClaimCoding(project, "alice").create(doc, start, len(TEXT)).after
    assert own is not None and own.id is not None and claim is not None and claim.id is not None
    with pytest.raises(LayerError, match="alice's coding"):
        Corrections(project, "bob").relabel(own.id, "ORG")
    with pytest.raises(LayerError, match="alice's coding"):
        ClaimCoding(project, "bob").set_value(claim.id, "note", "mine now")
    assert view(project, doc, "alice")["Sharif"] == ("PERSON", SpanStatus.ACCEPTED, "alice")


def test_undoing_a_decision_on_a_suggestion_gives_it_back_to_the_coder(project: Project, doc: DocumentId) -> None:
    corrections = Corrections(project, "alice")
    sharif = Browser(project, "alice").spans(doc)[0]
    change = corrections.relabel(sharif.id, "ORG")  # type: ignore[arg-type]
    again = corrections.resize(sharif.id, "end", grow=True)  # type: ignore[arg-type]  # the same entity
    assert view(project, doc, "alice")["Shehbaz Sharif met"][2] == "alice"
    corrections.revert(again)
    corrections.revert(change)
    assert view(project, doc, "alice")["Shehbaz Sharif"] == ("PERSON", SpanStatus.SUGGESTED, None)
    corrections.reapply(change)
    assert view(project, doc, "alice")["Shehbaz Sharif"] == ("ORG", SpanStatus.ACCEPTED, "alice")


def test_a_claim_follows_its_entity_into_the_coders_layer(project: Project, doc: DocumentId) -> None:
    sharif = Browser(project, "alice").spans(doc)[0]
    coding = ClaimCoding(project, "alice")
    claim = coding.create(doc, TEXT.index("Shehbaz"), TEXT.index(" met")).after
    assert claim is not None and claim.id is not None
    coding.set_value(claim.id, "claimant", sharif.id)
    change = Corrections(project, "alice").accept(sharif.id)  # type: ignore[arg-type]
    assert change.after is not None and change.after.id != sharif.id
    (stored,) = coding.claims(doc)
    assert stored.values["claimant"].span_id == change.after.id  # type: ignore[union-attr]
    assert not stored.needs_review  # accepting changes nothing to check


def test_a_model_rerun_keeps_suggestions_some_coder_still_has_to_decide() -> None:
    decisions = [(10, 20, 1), (30, 40, 1), (30, 40, 2), (50, 60, None)]
    guesses = [(10, 20), (30, 40), (50, 60), (70, 80)]
    assert undecided_by_all(guesses, decisions, coders=2) == [True, False, False, True]
    assert undecided_by_all(guesses, decisions, coders=1) == [False, False, False, True]


def test_layer_view_hides_a_suggestion_once_the_coder_covers_any_of_it() -> None:
    def span(start: int, end: int, coder: str | None) -> EntitySpan:
        return EntitySpan(document_id=DocumentId(1), start=start, end=end, text="x" * (end - start),
                          label="PERSON", annotator=coder,
                          status=SpanStatus.SUGGESTED if coder is None else SpanStatus.ACCEPTED)

    spans = [span(0, 5, None), span(10, 20, None), span(12, 14, "alice"), span(30, 35, "bob")]
    assert [(s.start, s.annotator) for s in layer_view(spans, "alice")] == [(0, None), (12, "alice")]
    assert [(s.start, s.annotator) for s in layer_view(spans, "bob")] == [(0, None), (10, None), (30, "bob")]


def test_blind_coding_is_on_once_a_second_coder_arrives(project: Project, doc: DocumentId) -> None:
    Corrections(project, "alice").set_document_status(doc, DocumentStatus.IN_PROGRESS)
    assert not blind_coding(project)
    team = CoderService(project)
    Corrections(project, "bob").set_document_status(doc, DocumentStatus.IN_PROGRESS)
    assert blind_coding(project) and team.blind()
    assert not team.may_view("bob", "alice")
    with project.session() as session:
        CoderRepository(session).set_role("alice", CoderRole.PI)
    assert team.may_view("alice", "bob")  # the PI sees everyone
    set_blind_coding(project, False)
    assert team.may_view("bob", "alice")


def test_a_coder_with_assigned_work_sees_and_labels_only_their_documents(project: Project, doc: DocumentId) -> None:
    from annotator.storage.repositories import CoderDocumentRepository

    with project.session() as session:
        other = DocumentRepository(session).add(NewDocument(text="Sharif left Lahore.", title="Other"))
        coders = CoderRepository(session)
        alice, bob = coders.id_for("alice"), coders.id_for("bob")
        CoderDocumentRepository(session).assign([(doc, alice), (doc, bob), (other, bob)])  # type: ignore[list-item]
    assert [s.id for s in Browser(project, "alice").page()] == [doc]
    assert [s.id for s in Browser(project, "bob").page()] == [doc, other]
    assert Browser(project).count() == 2  # the whole project, as the command line sees it
    with project.session() as session:
        CoderRepository(session).id_for("pia", CoderRole.PI)
    assert Browser(project, "pia").count() == 2  # the PI sees every document
    changes = Corrections(project, "alice").label_everywhere("Sharif", "PERSON")
    assert {c.document_id for c in changes} == {doc}


def test_coverage_answers_like_the_plain_rule() -> None:
    import random

    from annotator.domain.layers import Coverage

    rng = random.Random(5)
    for _ in range(200):
        ranges = [(a, a + rng.randint(1, 8)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        start = rng.randint(0, 70)
        end = start + rng.randint(1, 10)
        plain = any(s < end and start < e for s, e in ranges)
        assert Coverage(ranges).overlaps(start, end) is plain, (ranges, start, end)
