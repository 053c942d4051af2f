"""A small synthetic study for training tests: party names (a label of the study's own, PARTY,
that spaCy's model does not know) among people and places, coded and finished by coders."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Codebook,
    DocumentStatus,
    EntitySpan,
    Label,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.project import Project
from annotator.storage.repositories import (
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from tests.conftest import SMALL_CODEBOOK

CODEBOOK = Codebook(
    labels=(*SMALL_CODEBOOK.labels, Label("PARTY", "#CC79A7", "4", spacy_labels=(), position=3)),
    fields=SMALL_CODEBOOK.fields,
)

PARTIES = ["Greenfield", "Blueriver", "Redhill", "Stonebrook", "Silverlake", "Oakmont", "Pinecrest",
           "Maplewood", "Ironside", "Goldcrest", "Brightwater", "Northgate"]
PEOPLE = ["Anna Berg", "Tom Hale", "Maria Lopez", "John Smith", "Peter Novak", "Laura Stein"]
PLACES = ["London", "Paris", "Berlin", "Madrid", "Vienna"]
TEMPLATES = [
    "The {party} Party won the vote in {place}.",
    "{person} of the {party} Party spoke on Monday.",
    "Voters in {place} backed the {party} Party again.",
    "Leaders of the {party} Party met {person} in {place}.",
    "A spokesman for the {party} Party declined to comment.",
]


def synthetic_texts(n: int, seed: int = 1) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """``n`` short texts of two sentences with their complete entities (project labels)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        text, ents = "", []
        for _sentence in range(2):
            template = rnd.choice(TEMPLATES)
            values = {"party": rnd.choice(PARTIES), "person": rnd.choice(PEOPLE), "place": rnd.choice(PLACES)}
            sentence = template.format(**values)
            base = len(text)
            for key, label, suffix in (("party", "PARTY", " Party"), ("person", "PERSON", ""),
                                       ("place", "LOCATION", "")):
                if "{" + key + "}" in template:
                    start = sentence.index(values[key])
                    ents.append((base + start, base + start + len(values[key]) + len(suffix), label))
            text += sentence + " "
        out.append((text.strip(), ents))
    return out


def make_study(path: Path, n: int = 30, done: int | None = None) -> tuple[Project, list[DocumentId]]:
    """A project whose coder alice has coded the ``done`` first of ``n`` texts and marked them
    done (accepted entities as the texts have them); the rest are new."""
    project = Project(path, create=True, codebook=CODEBOOK)
    texts = synthetic_texts(n)
    done = n if done is None else done
    ids = []
    with project.session() as session:
        coder = CoderRepository(session).id_for("alice")
        assert coder is not None
        for i, (text, ents) in enumerate(texts):
            doc = DocumentRepository(session).add(NewDocument(text=text, title=f"Text {i}"))
            ids.append(doc)
            if i < done:
                for start, end, label in ents:
                    SpanRepository(session).add(EntitySpan(
                        doc, start, end, text[start:end], label, origin=SpanOrigin.MANUAL,
                        status=SpanStatus.ACCEPTED, annotator="alice",
                    ))
                CoderDocumentRepository(session).set_status(doc, coder, DocumentStatus.DONE)
    return project, ids


def add_span(project: Project, doc: DocumentId, start: int, end: int, label: str, coder: str | None,
             status: SpanStatus = SpanStatus.ACCEPTED) -> EntitySpan:
    with project.session() as session:
        text = DocumentRepository(session).texts([doc])[doc]
        origin = SpanOrigin.MODEL if coder is None else SpanOrigin.MANUAL
        return SpanRepository(session).add(EntitySpan(
            doc, start, end, text[start:end], label, origin=origin, status=status, annotator=coder,
        ))


def set_status(project: Project, doc: DocumentId, coder: str, status: DocumentStatus) -> None:
    with project.session() as session:
        coder_id = CoderRepository(session).id_for(coder)
        assert coder_id is not None
        CoderDocumentRepository(session).set_status(doc, coder_id, status)


__all__ = ["CODEBOOK", "add_span", "make_study", "replace", "set_status", "synthetic_texts"]
