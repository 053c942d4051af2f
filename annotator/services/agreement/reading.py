"""Reading a study for agreement: which documents count, and each coder's layer in them.

A document counts when at least two of the chosen coders have coded it: marked it done, or,
with ``include_unfinished``, at least started it. Only those coders' layers of it are read.
A coder's entities are their own accepted ones (a rejected suggestion or an undecided shared
one is not their coding); their claims are their own, with each entity reference read as
the linked entity's words. The layers are read in bulk (``LayerReader``: a few queries per
study) with the same rule as ``SpanRepository.for_document(doc, coder)``: own rows name the
coder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.agreement.units import CodedEntity
from annotator.domain.agreement.values import CodedValues
from annotator.domain.errors import AgreementError
from annotator.domain.ids import DocumentId
from annotator.domain.model import Codebook, DocumentStatus
from annotator.services.project import Project
from annotator.storage.repositories import (
    CodebookRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
)
from annotator.storage.repositories.layers_read import LayerReader


@dataclass(frozen=True)
class DocumentCodings:
    document_id: DocumentId
    text: str
    coders: tuple[str, ...]  # the chosen coders who coded it
    entities: dict[str, list[CodedEntity]]
    claims: dict[str, list[tuple[int, int, CodedValues]]]


@dataclass(frozen=True)
class Study:
    coders: tuple[str, ...]
    codebook: Codebook
    documents: tuple[DocumentCodings, ...]


def read_study(
    project: Project, coders: Sequence[str] | None = None, include_unfinished: bool = False
) -> Study:
    counted = {DocumentStatus.DONE} | ({DocumentStatus.IN_PROGRESS} if include_unfinished else set())
    with project.read_session() as session:
        known = [c.name for c in CoderRepository(session).all()]
        statuses = CoderDocumentRepository(session).statuses_by_document()
        if coders is None:  # by default the coders who started work: not a PI who codes nothing
            started = {c for by_coder in statuses.values() for c, s in by_coder.items()
                       if s is not DocumentStatus.NEW}
            working = [c for c in known if c in started]
            chosen = choose_coders(working if len(working) >= 2 else known, None, project, "agreement")
        else:
            chosen = choose_coders(known, coders, project, "agreement")
        selected = {
            doc: tuple(c for c in chosen if by_coder.get(c) in counted)
            for doc, by_coder in statuses.items()
        }
        selected = {doc: who for doc, who in selected.items() if len(who) >= 2}
        ids = sorted(selected)
        texts = DocumentRepository(session).texts(ids)
        reader = LayerReader(session)
        entities = reader.accepted_entities(ids, chosen)
        claims = reader.claims(ids, chosen)
        documents = tuple(
            DocumentCodings(
                doc, texts.get(doc, ""), selected[doc],
                {c: [CodedEntity(*e) for e in entities.get((doc, c), ())] for c in selected[doc]},
                {c: claims.get((doc, c), []) for c in selected[doc]},
            )
            for doc in ids
        )
        codebook = CodebookRepository(session).codebook()
    return Study(tuple(chosen), codebook, documents)


def choose_coders(
    known: list[str], coders: Sequence[str] | None, project: Project, purpose: str
) -> list[str]:
    """The coders named (checked against ``known``), or all ``known`` but the final layer;
    ``purpose`` ("agreement", "adjudication") needs at least two."""
    if coders is None:
        chosen = [c for c in known if c != FINAL_LAYER]
    else:
        chosen = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise AgreementError(
                f"{project.path}: there is no coder {unknown[0]!r} in this project"
                + (f" (its coders: {', '.join(known)})" if known else " (it has no coders yet)")
            )
    if len(chosen) < 2:
        raise AgreementError(
            f"{project.path}: {purpose} needs at least two coders, "
            + (f"and there is only {chosen[0]!r}" if chosen else "and there are none")
        )
    return chosen
