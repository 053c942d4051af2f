"""Exporting a layer to other tools' formats (docs/formats.md), saying what they cannot hold.

Which entities: with ``coder``, that coder's accepted entities; with ``final``, the final
layer of adjudication only (a document not adjudicated is written without entities and
counted); with neither, per document the final layer where it has one, else the accepted
entities of the one coder who has any (a document several coders coded and nobody
adjudicated is written without entities and counted). Claims, rejected decisions and pending
model suggestions have no place in most formats: one summary line counts what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.errors import ExportError
from annotator.domain.model import Document, EntitySpan, SpanStatus
from annotator.io.interchange.formats import FORMATS
from annotator.io.interchange.records import ExportDocument, ForeignCode, OutSpan, WriteOptions
from annotator.services.export_qda import qda_documents
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from annotator.storage.repositories.codings import CodingRepository

__all__ = ["AnnotatedExportSummary", "export_annotated"]

_UNADJUDICATED = "documents coded by several coders with no final layer (no entities)"
_NOT_FINAL = "documents with no final layer (no entities)"
_ALL_LAYERS = {"qdpx"}  # formats that hold every coder's layer, codings and claims


@dataclass
class AnnotatedExportSummary:
    path: str
    format: str
    documents: int = 0
    entities: int = 0
    files: list[str] = field(default_factory=list)
    lost: dict[str, int] = field(default_factory=dict)
    """What the format could not represent -> how many."""
    details: list[str] = field(default_factory=list)
    """Lines naming items of ``lost`` one by one (spaCy: entities not aligned to tokens)."""
    codings: int = 0
    claims: int = 0
    """REFI-QDA: codings of the code layer and claims written (as codings of "claim")."""

    def lost_line(self) -> str:
        if not any(self.lost.values()):
            return f"Nothing was left out: {self.format} holds all of it."
        parts = ", ".join(f"{n:,} {what}" for what, n in self.lost.items() if n)
        return f"Not represented in {self.format}: {parts}."


def export_annotated(
    project: Project, out: Path, format_name: str, coder: str | None = None,
    final: bool = False, split: float | None = None, seed: int = 0,
    spans_key: str | None = None,
) -> AnnotatedExportSummary:
    out = Path(out)
    if format_name not in FORMATS:
        raise ExportError(f"{out}: {format_name!r} is not one of {', '.join(FORMATS)}")
    if coder is not None and final:
        raise ExportError(f"{out}: choose one layer: a coder's or the final one, not both")
    lost: dict[str, int] = {}
    with project.read_session() as session:
        if coder is not None and CoderRepository(session).find(coder) is None:
            names = ", ".join(c.name for c in CoderRepository(session).all()) or "none"
            raise ExportError(f"{out}: there is no coder {coder!r} in this project (coders: {names})")
        ordered = sorted(CodebookRepository(session).codebook().labels, key=lambda lb: lb.position)
        labels = tuple(lb.name for lb in ordered)
        documents = DocumentRepository(session)
        spans = SpanRepository(session)
        claims = ClaimRepository(session)
        statuses = CoderDocumentRepository(session)
        items: list[ExportDocument] = []
        if format_name in _ALL_LAYERS:  # REFI-QDA: every coder's layer, codings and claims
            items = qda_documents(session, coder, final, lost)
        for document_id in documents.ids() if format_name not in _ALL_LAYERS else ():
            document = documents.get(document_id)
            rows = spans.for_document(document_id)
            adjudicated = FINAL_LAYER in statuses.statuses(document_id)
            chosen = _layer(rows, coder, final, adjudicated)
            if chosen is None:
                _count(lost, _NOT_FINAL if final else _UNADJUDICATED, 1)
                chosen = []
            _count(lost, "entities of other coders, rejected or pending", len(rows) - len(chosen))
            layer = FINAL_LAYER if final else coder
            _count(lost, "claims", sum(1 for c in claims.for_document(document_id)
                                        if layer is None or c.annotator == layer))
            items.append(_export_document(document, chosen))
        codes = tuple(ForeignCode(c.name, c.color, c.parent) for c in CodingRepository(session).codes())
        if format_name not in _ALL_LAYERS:
            _count(lost, "codings of the code layer", CodingRepository(session).count())
    options = WriteOptions(labels=labels, split=split, seed=seed, spans_key=spans_key,
                           label_colors=tuple((lb.name, lb.color) for lb in ordered), codes=codes,
                           project_name=Path(str(project.path)).stem)
    written = FORMATS[format_name].write(out, items, options)
    for what, n in written.lost.items():
        _count(lost, what, n)
    return AnnotatedExportSummary(str(out), format_name, written.documents, written.entities,
                                  written.files, lost, written.details,
                                  sum(len(d.codings) for d in items), sum(len(d.claims) for d in items))


def _export_document(document: Document, chosen: list[EntitySpan]) -> ExportDocument:
    details = {
        "source": document.source or "", "author": document.author or "",
        "url": document.url or "",
        "published": document.published.isoformat() if document.published else "",
        "section": document.section or "",
    }
    return ExportDocument(
        int(document.id), document.text, document.title,
        [OutSpan(s.start, s.end, s.label) for s in chosen],
        {key: value for key, value in details.items() if value},
    )


def _layer(
    rows: list[EntitySpan], coder: str | None, final: bool, adjudicated: bool
) -> list[EntitySpan] | None:
    """The entities to write, or None when the document has no layer to give."""
    accepted = [s for s in rows if s.status is SpanStatus.ACCEPTED and s.annotator is not None]
    if coder is not None:
        return [s for s in accepted if s.annotator == coder]
    final_layer = [s for s in accepted if s.annotator == FINAL_LAYER]
    if final_layer or adjudicated:
        return final_layer
    if final:
        return None
    coders = {s.annotator for s in accepted}
    return accepted if len(coders) <= 1 else None


def _count(lost: dict[str, int], what: str, n: int) -> None:
    if n:
        lost[what] = lost.get(what, 0) + n
