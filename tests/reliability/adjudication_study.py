"""A small two-coder study for the adjudication tests: what alice and bob agree and disagree on."""

from __future__ import annotations

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus
from annotator.services.project import Project
from tests.reliability.study import add_claim, add_document, add_entities, link, set_status

TEXT = "Sharif said the army will leave Lahore. Khan demanded new elections in Karachi today."
#      0     6                         32    38 40  44                          71     78


def two_coder_document(project: Project, sample: bool = True, title: str = "t") -> DocumentId:
    """Agreed: Sharif PERSON, Lahore LOCATION, the second claim (demand, linked to Khan).
    Disagreements: Khan PERSON (alice) / ORG (bob); Karachi only alice's; the first claim's
    form (statement / demand)."""
    from annotator.storage.repositories import CoderDocumentRepository

    doc = add_document(project, TEXT + ("" if title == "t" else f" ({title})"), title)
    alice = add_entities(project, doc, "alice", [(0, 6, "PERSON"), (32, 38, "LOCATION"),
                                                 (40, 44, "PERSON"), (71, 78, "LOCATION")])
    bob = add_entities(project, doc, "bob", [(0, 6, "PERSON"), (32, 38, "LOCATION"), (40, 44, "ORG")])
    add_claim(project, doc, "alice", 0, 38, {"form": "statement", "claimant": link(alice[(0, 6)], "Sharif")})
    add_claim(project, doc, "bob", 0, 38, {"form": "demand", "claimant": link(bob[(0, 6)], "Sharif")})
    add_claim(project, doc, "alice", 40, 85, {"form": "demand", "claimant": link(alice[(40, 44)], "Khan")})
    add_claim(project, doc, "bob", 40, 84, {"form": "demand", "claimant": link(bob[(40, 44)], "Khan")})
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DocumentStatus.DONE)
    if sample:
        with project.session() as session:
            CoderDocumentRepository(session).set_sample([doc])
    return doc
