"""Claimant proposal on real sentences with the default English model."""

from __future__ import annotations

import pytest

from annotator.domain.model import NewDocument
from annotator.services.claimant import ClaimantProposer
from annotator.services.corrections import Corrections
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository

TEXT = (
    "Prime Minister Shehbaz Sharif emphasized that Operation Azm-e-Istehkam would be pivotal "
    "in countering terrorism. \"We will not back down,\" said union leader Maria Lopez in Karachi. "
    "According to the Finance Ministry, prices will rise."
)


@pytest.mark.slow
def test_claimant_is_the_speaker_of_the_reporting_verb(project: Project) -> None:
    with project.session() as session:
        doc = DocumentRepository(session).add(NewDocument(text=TEXT))
    corrections = Corrections(project)
    ids = {}
    for text, label in [("Shehbaz Sharif", "PERSON"), ("Maria Lopez", "PERSON"),
                        ("Karachi", "LOCATION"), ("Finance Ministry", "ORG")]:
        start = TEXT.index(text)
        ids[text] = corrections.create(doc, start, start + len(text), label).after.id  # type: ignore[union-attr]
    proposer = ClaimantProposer(project)

    def best(claim_text: str) -> int:
        start = TEXT.index(claim_text)
        return proposer.propose(doc, start, start + len(claim_text))[0]

    assert best("Operation Azm-e-Istehkam would be pivotal") == ids["Shehbaz Sharif"]
    assert best("We will not back down") == ids["Maria Lopez"]
    assert best("prices will rise") == ids["Finance Ministry"]
    # a location is never proposed where the codebook asks for a person or organisation
    start = TEXT.index("We will")
    assert ids["Karachi"] not in proposer.propose(doc, start, start + 20)
