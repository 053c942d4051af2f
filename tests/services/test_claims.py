"""Claim coding: every kind of variable through the service, undo/redo, entity links."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.domain.errors import CodebookError
from annotator.domain.ids import DocumentId
from annotator.domain.model import EntityRef, NewDocument
from annotator.services.claims import ClaimCoding
from annotator.services.corrections import Corrections
from annotator.services.project import Project
from annotator.services.stats import project_stats
from annotator.storage.repositories import DocumentRepository

TEXT = "Prime Minister Shehbaz Sharif said the operation would start soon. Asim Munir agreed."


@pytest.fixture
def doc(project: Project) -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=TEXT, title="Claims"))


def test_code_every_kind_of_variable_and_reopen(project: Project, doc: DocumentId, project_path) -> None:  # type: ignore[no-untyped-def]
    corrections = Corrections(project, coder="ayesha")
    sharif = corrections.create(doc, TEXT.index("Shehbaz"), TEXT.index(" said"), "PERSON").after
    assert sharif is not None
    coding = ClaimCoding(project, coder="ayesha")
    claim = coding.create(doc, 0, TEXT.index(" Asim")).after
    assert claim is not None and claim.id is not None
    assert claim.text == "Prime Minister Shehbaz Sharif said the operation would start soon."
    for name, value in [
        ("claimant", sharif.id), ("form", "statement"), ("frames", ["rights", "security"]),
        ("note", "memo"), ("position", 1), ("amount", "2.5"), ("anonymous", False),
        ("claim_date", "2024-06-22"),
    ]:
        coding.set_value(claim.id, name, value)
    project.close()

    reopened = Project.open(project_path)
    (stored,) = ClaimCoding(reopened).claims(doc)
    assert stored.values == {
        "claimant": EntityRef(sharif.id, "Shehbaz Sharif"), "form": "statement",
        "frames": ("security", "rights"), "note": "memo", "position": 1.0, "amount": 2.5,
        "anonymous": False, "claim_date": date(2024, 6, 22),
    }
    assert stored.annotator == "ayesha"
    assert ClaimCoding(reopened).missing(stored) == []
    assert project_stats(reopened)["claims_incomplete"] == 0
    reopened.close()


def test_invalid_values_are_refused_with_the_variable_name(project: Project, doc: DocumentId) -> None:
    coding = ClaimCoding(project)
    claim = coding.create(doc, 0, 10).after
    assert claim is not None and claim.id is not None
    with pytest.raises(CodebookError, match="position"):
        coding.set_value(claim.id, "position", 5)
    corrections = Corrections(project)
    location = corrections.create(doc, TEXT.index("operation"), TEXT.index(" would"), "LOCATION").after
    with pytest.raises(CodebookError, match="claimant: takes an entity labelled PERSON, ORG"):
        coding.set_value(claim.id, "claimant", location.id)  # type: ignore[union-attr]


def test_edits_undo_and_redo(project: Project, doc: DocumentId) -> None:
    coding = ClaimCoding(project, coder="c")
    created = coding.create(doc, 0, 10)
    claim_id = created.after.id  # type: ignore[union-attr]
    coded = coding.set_value(claim_id, "form", "demand")
    moved = coding.set_span(claim_id, TEXT.index("Asim"), len(TEXT))
    assert moved.after.text == "Asim Munir agreed."  # type: ignore[union-attr]
    coding.revert(moved)
    coding.revert(coded)
    (claim,) = coding.claims(doc)
    assert claim.values == {} and claim.text == "Prime Minister"
    coding.reapply(coded)
    coding.reapply(moved)
    (claim,) = coding.claims(doc)
    assert claim.values == {"form": "demand"} and claim.text == "Asim Munir agreed."
    deleted = coding.delete(claim_id)
    assert coding.claims(doc) == []
    coding.revert(deleted)
    assert [c.id for c in coding.claims(doc)] == [claim_id]


def test_incomplete_claims_are_counted(project: Project, doc: DocumentId) -> None:
    coding = ClaimCoding(project)
    claim = coding.create(doc, 0, 10).after
    assert coding.missing(claim) == ["claimant", "form", "position"]  # type: ignore[arg-type]
    stats = project_stats(project)
    assert (stats["claims"], stats["claims_incomplete"]) == (1, 1)


def test_document_list_counts_incomplete_claims(project: Project, doc: DocumentId) -> None:
    from annotator.services.browse import Browser

    coding = ClaimCoding(project)
    first = coding.create(doc, 0, 10).after
    coding.create(doc, TEXT.index("Asim"), len(TEXT))
    for name, value in [("form", "statement"), ("position", 0)]:
        coding.set_value(first.id, name, value)  # type: ignore[union-attr]
    sharif = Corrections(project).create(doc, TEXT.index("Shehbaz"), TEXT.index(" said"), "PERSON").after
    coding.set_value(first.id, "claimant", sharif.id)  # type: ignore[union-attr]
    (summary,) = Browser(project).page()
    assert (summary.claims, summary.incomplete_claims) == (2, 1)


def test_the_first_claim_puts_a_new_document_in_progress_and_its_undo_takes_it_back(
    project: Project, doc: DocumentId
) -> None:
    from annotator.domain.model import DocumentStatus

    def status() -> DocumentStatus:
        with project.session() as session:
            return DocumentRepository(session).get(doc).status

    coding = ClaimCoding(project, coder="ayesha")
    first = coding.create(doc, 0, TEXT.index(" Asim"))
    assert (first.status_before, first.status_after, status()) == (
        DocumentStatus.NEW, DocumentStatus.IN_PROGRESS, DocumentStatus.IN_PROGRESS)
    second = coding.create(doc, TEXT.index("Asim"), len(TEXT))
    assert second.status_after is None  # already in progress: left alone
    coding.revert(second)
    coding.revert(first)
    assert status() is DocumentStatus.NEW and coding.claims(doc) == []
    coding.reapply(first)
    assert status() is DocumentStatus.IN_PROGRESS and len(coding.claims(doc)) == 1
    Corrections(project).set_document_status(doc, DocumentStatus.DONE)
    assert coding.create(doc, TEXT.index("Asim"), len(TEXT)).status_after is None
    assert status() is DocumentStatus.DONE  # a claim added to a done document keeps it done
