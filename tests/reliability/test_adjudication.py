"""Adjudication into the final layer: agreed units land by themselves, take, drop and undo."""

from __future__ import annotations

import pytest

from annotator.domain.adjudication import FINAL_LAYER, Resolution, UnitKind
from annotator.domain.assignment import Overlap
from annotator.domain.errors import AgreementError, AssignmentError
from annotator.domain.model import CoderRole, DocumentStatus, EntityRef
from annotator.services.adjudication import Adjudication
from annotator.services.assignment import assign
from annotator.services.layers import blind_coding
from annotator.services.project import Project
from annotator.storage.repositories import ClaimRepository, CoderRepository, SpanRepository
from tests.reliability.adjudication_study import two_coder_document
from tests.reliability.study import add_document, set_status


def final_layer(project: Project, doc):  # type: ignore[no-untyped-def]
    with project.read_session() as session:
        spans = [s for s in SpanRepository(session).for_document(doc) if s.annotator == FINAL_LAYER]
        claims = ClaimRepository(session).for_document(doc, FINAL_LAYER)
    return spans, claims


def test_agreed_units_land_in_the_final_layer_and_disagreements_are_listed(project: Project) -> None:
    doc = two_coder_document(project)
    result = Adjudication(project).auto()
    assert result.coders == ("alice", "bob") and [d.document_id for d in result.documents] == [doc]
    spans, claims = final_layer(project, doc)
    # Sharif and Lahore agreed; Khan came with the agreed claim that links to him
    assert {(s.start, s.end, s.label) for s in spans} == {
        (0, 6, "PERSON"), (32, 38, "LOCATION"), (40, 44, "PERSON"),
    }
    [claim] = claims  # the agreed second claim: alice's span (the first coder's), bob's values
    assert (claim.start, claim.end, claim.values["form"]) == (40, 85, "demand")
    # its claimant links to the final layer's own copy of Khan (alice's version of Khan)
    claimant = claim.values["claimant"]
    assert isinstance(claimant, EntityRef)
    linked = next(s for s in spans_after(project, doc) if s.id == claimant.span_id)
    assert linked.annotator == FINAL_LAYER and (linked.start, linked.end) == (40, 44)

    state = Adjudication(project).document(doc)
    kinds = [(d.unit.kind, d.unit.start, d.unit.end) for d in state.disagreements]
    assert kinds == [(UnitKind.CLAIM, 0, 38), (UnitKind.ENTITY, 40, 44), (UnitKind.ENTITY, 71, 78)]
    assert state.agreed == 3  # Sharif, Lahore, the second claim
    first = state.disagreements[0].unit
    assert first.claims["alice"].values["form"] == "statement"  # type: ignore[union-attr]
    assert first.claims["bob"].values["form"] == "demand"  # type: ignore[union-attr]
    # Khan was copied to the final layer to keep the claim's link: taken from alice
    assert state.disagreements[1].resolution is Resolution.TAKEN
    assert state.disagreements[1].taken_from == "alice"
    assert [d.resolution for d in (state.disagreements[0], state.disagreements[2])] == [Resolution.OPEN] * 2
    with project.read_session() as session:
        assert CoderRepository(session).get(FINAL_LAYER).role is CoderRole.PI  # type: ignore[union-attr]


def spans_after(project: Project, doc):  # type: ignore[no-untyped-def]
    return final_layer(project, doc)[0]


def test_auto_twice_changes_nothing(project: Project) -> None:
    doc = two_coder_document(project)
    first = Adjudication(project).auto()
    before = final_layer(project, doc)
    second = Adjudication(project).auto()
    assert (first.entities_added, first.claims_added) == (3, 1)
    assert (second.entities_added, second.claims_added) == (0, 0)
    assert final_layer(project, doc) == before
    assert second.open == first.open == 2


def test_take_drop_and_undo(project: Project) -> None:
    doc = two_coder_document(project)
    service = Adjudication(project)
    service.auto()
    claim_unit = service.document(doc).disagreements[0].unit

    took = service.take(claim_unit, "bob")
    [final_claim] = [c for c in final_layer(project, doc)[1] if c.start == 0]
    assert final_claim.values["form"] == "demand"
    sharif = final_claim.values["claimant"]
    assert isinstance(sharif, EntityRef)
    assert any(s.id == sharif.span_id for s in spans_after(project, doc))  # the final Sharif
    state = service.document(doc).disagreements[0]
    assert (state.resolution, state.taken_from) == (Resolution.TAKEN, "bob")

    retaken = service.take(claim_unit, "alice")  # replaces bob's version at the place
    assert [c.values["form"] for c in final_layer(project, doc)[1] if c.start == 0] == ["statement"]
    service.revert(retaken)
    assert [c.values["form"] for c in final_layer(project, doc)[1] if c.start == 0] == ["demand"]
    service.revert(took)
    assert [c for c in final_layer(project, doc)[1] if c.start == 0] == []
    assert service.document(doc).disagreements[0].resolution is Resolution.OPEN

    karachi = service.document(doc).disagreements[2].unit
    dropped = service.drop(karachi)
    assert not [s for s in spans_after(project, doc) if s.start == 71]
    assert service.document(doc).disagreements[2].resolution is Resolution.DROPPED
    service.revert(dropped)
    assert service.document(doc).disagreements[2].resolution is Resolution.OPEN
    service.reapply(dropped)
    assert service.document(doc).disagreements[2].resolution is Resolution.DROPPED
    assert service.document(doc).open == 0 + 1  # the first claim is open again after its undo


def test_taking_an_entity_relinks_final_claims(project: Project) -> None:
    doc = two_coder_document(project)
    service = Adjudication(project)
    service.auto()
    khan = service.document(doc).disagreements[1].unit
    change = service.take(khan, "bob")  # Khan as ORG: the final claim's PERSON Khan is gone
    [claim] = final_layer(project, doc)[1]
    claimant = claim.values["claimant"]
    assert isinstance(claimant, EntityRef) and claimant.text == "Khan"
    khan_now = [s for s in spans_after(project, doc) if s.start == 40]
    assert [s.label for s in khan_now] == ["ORG"]
    assert claimant.span_id is None  # no final PERSON Khan to point at: the words are kept
    service.revert(change)
    [claim] = final_layer(project, doc)[1]
    restored = [s for s in spans_after(project, doc) if s.start == 40]
    assert [s.label for s in restored] == ["PERSON"]
    assert claim.values["claimant"] == EntityRef(restored[0].id, "Khan")


def test_only_the_sample_documents_marked_done_by_two_coders(project: Project) -> None:
    in_sample = two_coder_document(project)
    two_coder_document(project, sample=False, title="other")  # coded twice, not in the sample
    unfinished = add_document(project, "Another text.")
    set_status(project, unfinished, "alice", DocumentStatus.DONE)
    set_status(project, unfinished, "bob", DocumentStatus.IN_PROGRESS)
    assert Adjudication(project).documents() == [in_sample]


def test_final_is_not_a_coder(project: Project) -> None:
    two_coder_document(project)
    Adjudication(project).auto()
    assert Adjudication(project).coders() == ("alice", "bob")
    with project.session() as session:
        CoderRepository(session).id_for("solo")
    # alice, bob, solo: blind; final alone never makes a project blind
    assert blind_coding(project)
    with pytest.raises(AgreementError, match="no coder 'final'"):
        Adjudication(project, ["alice", "final"]).documents()


def test_one_coder_cannot_be_adjudicated(project: Project) -> None:
    with project.session() as session:
        CoderRepository(session).id_for("alice")
    with pytest.raises(AgreementError, match="at least two coders"):
        Adjudication(project).documents()



def test_final_is_given_no_work(project: Project) -> None:
    add_document(project, "A text to give out.")
    with pytest.raises(AssignmentError, match="adjudicated layer"):
        assign(project, ["alice", "final"], Overlap(0.0))


def test_by_default_the_coders_are_those_who_finished_work_not_a_pi_who_codes_nothing(
    project: Project,
) -> None:
    two_coder_document(project)
    with project.session() as session:
        CoderRepository(session).id_for("pia", CoderRole.PI)
    assert Adjudication(project).coders() == ("alice", "bob")
    assert Adjudication(project, ["alice", "bob", "pia"]).coders() == ("alice", "bob", "pia")
