"""A small three-document study with two coders' layers, for the package and merge tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import text as sql

from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    CoderRole,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.packages import make_package, merge
from annotator.services.project import Project
from annotator.storage.orm import ModelRunRow
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    ProjectInfoRepository,
    SpanRepository,
)
from tests.conftest import SMALL_CODEBOOK

TEXTS = {
    "one": "Sharif met Munir in Islamabad. Sharif said the budget would pass.",
    "two": "The Red Crescent sent teams to Karachi and Hyderabad on Monday.",
    "three": "Officials of the Finance Ministry travelled to Lahore.",
}


@dataclass
class Study:
    path: Path
    docs: dict[str, DocumentId]


def make_study(path: Path, assign: bool = True) -> Study:
    """Alice has documents one and two, Bob two and three; Paula is the PI."""
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        with project.session() as session:
            docs = {
                name: DocumentRepository(session).add(NewDocument(text=text, title=name.title()))
                for name, text in TEXTS.items()
            }
            coders = CoderRepository(session)
            alice, bob = coders.id_for("alice"), coders.id_for("bob")
            coders.id_for("paula", CoderRole.PI)
            assert alice is not None and bob is not None
            if assign:
                CoderDocumentRepository(session).assign(
                    [(docs["one"], alice), (docs["two"], alice), (docs["two"], bob), (docs["three"], bob)]
                )
            now = datetime.now(UTC).replace(tzinfo=None)
            session.execute(insert(ModelRunRow), [
                {"document_id": d, "model_name": "m", "model_version": "1", "config_hash": "h",
                 "suggestions": 1, "processed_at": now} for d in docs.values()
            ])
        suggest(project, docs["one"], "Sharif", "PERSON")
        suggest(project, docs["two"], "Karachi", "LOCATION")
        sharif = entity(project, docs["one"], "Sharif", "alice", origin=SpanOrigin.MODEL)
        claim(project, docs["one"], "alice", sharif)
        status(project, docs["one"], "alice", DocumentStatus.IN_PROGRESS)
        crescent = entity(project, docs["two"], "Red Crescent", "bob", label="ORG")
        claim(project, docs["two"], "bob", crescent)
        entity(project, docs["one"], "Munir", "bob")
        status(project, docs["two"], "bob", DocumentStatus.DONE)
    return Study(path, docs)


def _place(project: Project, doc: DocumentId, word: str, occurrence: int = 1) -> tuple[int, int]:
    with project.read_session() as session:
        text = DocumentRepository(session).get(doc).text
    start = -1
    for _ in range(occurrence):
        start = text.index(word, start + 1)
    return start, start + len(word)


def suggest(project: Project, doc: DocumentId, word: str, label: str) -> EntitySpan:
    start, end = _place(project, doc, word)
    with project.session() as session:
        return SpanRepository(session).add(EntitySpan(
            document_id=doc, start=start, end=end, text=word, label=label, origin=SpanOrigin.MODEL,
            status=SpanStatus.SUGGESTED, model_name="m", model_version="1",
        ))


def entity(
    project: Project, doc: DocumentId, word: str, coder: str, label: str = "PERSON",
    origin: SpanOrigin = SpanOrigin.MANUAL, occurrence: int = 1,
) -> EntitySpan:
    start, end = _place(project, doc, word, occurrence)
    with project.session() as session:
        return SpanRepository(session).add(EntitySpan(
            document_id=doc, start=start, end=end, text=word, label=label, origin=origin,
            status=SpanStatus.ACCEPTED, annotator=coder,
        ))


def claim(
    project: Project, doc: DocumentId, coder: str, claimant: EntitySpan | None,
    form: str = "statement", start: int = 0, end: int = 20,
) -> Claim:
    with project.session() as session:
        text = DocumentRepository(session).get(doc).text
        values: dict = {"form": form, "position": 1.0, "frames": ("economy",)}
        if claimant is not None:
            values["claimant"] = EntityRef(claimant.id, claimant.text)
        return ClaimRepository(session).add(Claim(
            document_id=doc, start=start, end=end, text=text[start:end], values=values, annotator=coder,
        ))


def status(project: Project, doc: DocumentId, coder: str, value: DocumentStatus) -> None:
    with project.session() as session:
        coder_id = CoderRepository(session).id_for(coder)
        assert coder_id is not None
        CoderDocumentRepository(session).set_status(doc, coder_id, value)


def layer(path: Path, coder: str) -> dict[str, dict]:
    """A coder's layer in the file, keyed by document text: what a merge must carry over.

    Entities are (start, end, label, status, origin, created, updated); claims their offsets,
    values and where their claimant points: one of the coder's entities, a shared suggestion,
    or nowhere (None)."""
    result: dict[str, dict] = {}
    with Project(path, read_only=True) as project, project.read_session() as session:
        docs = dict(session.execute(sql("SELECT id, text FROM documents")).all())
        coder_id = session.execute(sql("SELECT id FROM coders WHERE name = :n"), {"n": coder}).scalar()
        for doc_id, body in docs.items():
            entities = sorted(session.execute(sql(
                "SELECT s.start, s.\"end\", l.name, s.status, s.origin, s.created_at, s.updated_at"
                " FROM entity_spans s JOIN labels l ON l.id = s.label_id"
                " WHERE s.document_id = :d AND s.coder_id = :c"), {"d": doc_id, "c": coder_id}).all())
            claims = []
            for claim in ClaimRepository(session).for_document(DocumentId(doc_id)):
                if claim.annotator != coder:
                    continue
                values = {}
                for name, value in claim.values.items():
                    if isinstance(value, EntityRef):
                        target = None
                        if value.span_id is not None:
                            span = SpanRepository(session).get(value.span_id)
                            target = (span.start, span.end, span.label, span.annotator)
                        value = (value.text, target)
                    values[name] = value
                claims.append((claim.start, claim.end, tuple(sorted(values.items())), claim.updated_at))
            row = session.execute(sql(
                "SELECT status, updated_at FROM coder_documents WHERE document_id = :d AND coder_id = :c"
            ), {"d": doc_id, "c": coder_id}).first()
            if entities or claims or row:
                result[body] = {"entities": entities, "claims": sorted(claims, key=repr),
                                "status": None if row is None else tuple(row)}
    return result


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables a merge may touch, exactly (ids included)."""
    with Project(path, read_only=True) as project, project.read_session() as session:
        return {
            table: sorted(session.execute(sql(f"SELECT * FROM {table}")).all(), key=repr)
            for table in ("documents", "coders", "entity_spans", "claims", "claim_values",
                          "coder_documents", "model_runs", "labels", "claim_fields", "category_values")
        }


def package_of(study: Study, coder: str = "alice", name: str | None = None) -> Path:
    """The coder's package of the study, beside it."""
    out = study.path.with_name(name or f"{coder}.annotator")
    make_package(study.path, coder, out)
    return out


def merged(study: Study, *packages: Path):  # type: ignore[no-untyped-def]
    """What merging the packages into the study did, per package."""
    with Project(study.path) as project:
        return merge(project, packages).packages


def info(path: Path) -> dict[str, str]:
    with Project(path, read_only=True) as project, project.read_session() as session:
        return ProjectInfoRepository(session).all()
