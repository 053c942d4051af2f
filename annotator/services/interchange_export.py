"""Exporting a layer to other tools' formats (brat, doccano), saying what they cannot hold.

Which entities: with ``coder``, that coder's accepted entities; without, per document the
final layer (the coder ``final`` of adjudication) where it has one, else the accepted entities
of the one coder who has any; a document several coders coded and nobody adjudicated is
written without entities and counted (export it with ``coder``). Claims, rejected decisions,
pending model suggestions and, for brat, the documents' titles and other details have no
place in these formats: one summary line counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.errors import ExportError
from annotator.domain.model import Document, EntitySpan, SpanStatus
from annotator.io.export.files import export_error, replacing
from annotator.io.interchange import brat, doccano
from annotator.io.interchange.records import OutSpan
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)

__all__ = ["AnnotatedExportSummary", "export_annotated"]


@dataclass
class AnnotatedExportSummary:
    path: str
    format: str
    documents: int = 0
    entities: int = 0
    lost: dict[str, int] = field(default_factory=dict)
    """What the format could not represent -> how many."""

    def lost_line(self) -> str:
        if not any(self.lost.values()):
            return f"Nothing was left out: {self.format} holds all of it."
        parts = ", ".join(f"{n:,} {what}" for what, n in self.lost.items() if n)
        return f"Not represented in {self.format}: {parts}."


def export_annotated(
    project: Project, out: Path, format_name: str, coder: str | None = None
) -> AnnotatedExportSummary:
    out = Path(out)
    summary = AnnotatedExportSummary(str(out), format_name)
    lost = summary.lost
    with project.read_session() as session:
        if coder is not None and CoderRepository(session).find(coder) is None:
            names = ", ".join(c.name for c in CoderRepository(session).all()) or "none"
            raise ExportError(f"{out}: there is no coder {coder!r} in this project (coders: {names})")
        labels = [lb.name for lb in sorted(CodebookRepository(session).codebook().labels,
                                           key=lambda lb: lb.position)]
        documents = DocumentRepository(session)
        spans = SpanRepository(session)
        claims = ClaimRepository(session)
        items: list[tuple[Document, list[OutSpan]]] = []
        for document_id in documents.ids():
            document = documents.get(document_id)
            rows = spans.for_document(document_id)
            chosen = _layer(rows, coder)
            if chosen is None:
                lost["documents coded by several coders with no final layer (no entities)"] = (
                    lost.get("documents coded by several coders with no final layer (no entities)", 0) + 1)
                chosen = []
            _count(lost, "entities of other coders, rejected or pending",
                   len(rows) - len(chosen))
            layer_claims = [c for c in claims.for_document(document_id)
                            if coder is None or c.annotator == coder]
            _count(lost, "claims", len(layer_claims))
            items.append((document, [OutSpan(s.start, s.end, s.label) for s in chosen]))
    if format_name == "brat":
        _write_brat(out, items, labels, summary)
    elif format_name == "doccano":
        _write_doccano(out, items, summary)
    else:
        raise ExportError(f"{out}: {format_name!r} is not brat or doccano")
    return summary


def _layer(rows: list[EntitySpan], coder: str | None) -> list[EntitySpan] | None:
    accepted = [s for s in rows if s.status is SpanStatus.ACCEPTED and s.annotator is not None]
    if coder is not None:
        return [s for s in accepted if s.annotator == coder]
    final = [s for s in accepted if s.annotator == FINAL_LAYER]
    if final:
        return final
    coders = {s.annotator for s in accepted}
    return accepted if len(coders) <= 1 else None


def _count(lost: dict[str, int], what: str, n: int) -> None:
    lost[what] = lost.get(what, 0) + n


def _write_brat(
    out: Path, items: list[tuple[Document, list[OutSpan]]], labels: list[str],
    summary: AnnotatedExportSummary,
) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: a brat export needs an empty or new folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "annotation.conf").write_text(brat.conf_text(labels), encoding="utf-8")
        for document, spans in items:
            stem = f"doc{document.id:06d}"
            with (out / f"{stem}.txt").open("w", encoding="utf-8", newline="") as stream:
                stream.write(document.text)
            ann, left_out = brat.ann_text(document.text, spans)
            with (out / f"{stem}.ann").open("w", encoding="utf-8", newline="\n") as stream:
                stream.write(ann)
            summary.documents += 1
            summary.entities += len(spans) - len(left_out)
            _count(summary.lost, "entities starting or ending with a line break", len(left_out))
            details = [document.title, document.source, document.author, document.url,
                       document.published, document.section]
            _count(summary.lost, "documents' titles and details", int(any(details)))
    except OSError as exc:
        raise export_error(out, exc) from exc


def _write_doccano(
    out: Path, items: list[tuple[Document, list[OutSpan]]], summary: AnnotatedExportSummary
) -> None:
    if out.suffix.lower() != ".jsonl":
        raise ExportError(f"{out}: a doccano export needs a file name ending in .jsonl")
    with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        for document, spans in items:
            extra = {
                "title": document.title, "source": document.source or "",
                "author": document.author or "", "url": document.url or "",
                "published": document.published.isoformat() if document.published else "",
                "section": document.section or "",
            }
            stream.write(doccano.encode_line(int(document.id), document.text, spans, extra) + "\n")
            summary.documents += 1
            summary.entities += len(spans)
