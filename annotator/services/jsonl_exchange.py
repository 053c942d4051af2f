"""A study in and out as JSON Lines with every coder's layer (the format: docs/jsonl-format.md).

Export streams one document at a time from one read snapshot into a temporary file that is
renamed into place at the end. Import reads the file line by line; each line is checked on its
own (:mod:`annotator.io.jsonl_study`) and lands in its own savepoint, so a bad line is refused
with its number and reason while the others land. Lines are committed in groups.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from threading import Event
from typing import Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from annotator.domain.errors import (
    AnnotatorError,
    ExportError,
    ImportFileError,
    ProjectWriteError,
)
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.layers import layer_view
from annotator.domain.model import (
    Claim,
    Document,
    EntityRef,
    NewDocument,
)
from annotator.io.export.files import replacing
from annotator.io.interchange.paths import numbered_lines
from annotator.io.jsonl_study import (
    LineClaim,
    LineEntity,
    StudyLine,
    encode_line,
    is_study_file,
)
from annotator.services.export import ExportCancelled, ExportSummary
from annotator.services.jsonl_landing import Landed, Lander
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)

__all__ = ["StudyImportReport", "export_study", "import_study_file", "is_study_file"]

class _InDocument(Protocol):
    @property
    def document_id(self) -> DocumentId: ...


_Row = TypeVar("_Row", bound=_InDocument)

#: Lines are committed in groups: a commit per line would cost more than the import.
COMMIT_EVERY_S = 0.25


# -- export -------------------------------------------------------------------------------
def export_study(
    project: Project,
    out: Path,
    coder: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    cancel: Event | None = None,
) -> ExportSummary:
    """Write every document (``coder``: only theirs, with only their layer) to ``out``.

    With ``coder`` a line holds that coder's entities, claims and status plus the shared
    suggestions still in their view; once the project assigns work, only their documents.
    """
    out = Path(out)
    if out.suffix.lower() != ".jsonl":
        raise ExportError(f"{out}: a JSON Lines export needs a file name ending in .jsonl")
    started = time.perf_counter()
    counts = {"Documents": 0, "Entities": 0, "Claims": 0}
    with project.read_session() as session:
        codebook = CodebookRepository(session).codebook()
        coder_id = None
        if coder is not None:
            coder_id = CoderRepository(session).find(coder)
            if coder_id is None:
                names = ", ".join(c.name for c in CoderRepository(session).all()) or "none"
                raise ExportError(f"{out}: there is no coder {coder!r} in this project (coders: {names})")
        reader = _LineReader(session, coder)
        with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
            for document_id in DocumentRepository(session, coder_id).ids():
                if cancel is not None and cancel.is_set():
                    raise ExportCancelled()
                line = reader.line(document_id)
                stream.write(encode_line(line, codebook) + "\n")
                counts["Documents"] += 1
                counts["Entities"] += len(line.entities)
                counts["Claims"] += len(line.claims)
                if progress is not None:
                    progress("Documents", counts["Documents"])
    return ExportSummary(str(out), counts, {}, time.perf_counter() - started)


class _ByDocument(Generic[_Row]):
    """Rows streamed in document order, handed out one document at a time (documents asked
    for in increasing id order): the whole project's rows are never in memory at once."""

    def __init__(self, rows: Iterator[_Row]) -> None:
        self.rows = rows
        self.ahead: _Row | None = next(rows, None)

    def take(self, document_id: DocumentId) -> list[_Row]:
        found: list[_Row] = []
        while self.ahead is not None and self.ahead.document_id <= document_id:
            if self.ahead.document_id == document_id:
                found.append(self.ahead)
            self.ahead = next(self.rows, None)
        return found


class _LineReader:
    """The documents' lines in id order: entities and claims stream alongside the documents."""

    def __init__(self, session: Session, coder: str | None) -> None:
        self.coder = coder
        self.documents = DocumentRepository(session)
        self.spans = _ByDocument(SpanRepository(session).iter_all())
        self.claims = _ByDocument(ClaimRepository(session).iter_all())
        self.coder_documents = CoderDocumentRepository(session)
        self.sample = self.coder_documents.sample()
        names = CoderRepository(session).names()
        self.assigned = {
            document_id: sorted(names[c] for c in coder_ids)
            for document_id, coder_ids in self.coder_documents.assignments().items()
        }

    def line(self, document_id: DocumentId) -> StudyLine:
        spans = self.spans.take(document_id)
        claims = self.claims.take(document_id)
        statuses = self.coder_documents.statuses(document_id)
        assigned = self.assigned.get(document_id, [])
        if self.coder is not None:
            spans = layer_view(spans, self.coder)
            claims = [c for c in claims if c.annotator == self.coder]
            statuses = {n: s for n, s in statuses.items() if n == self.coder}
            assigned = [n for n in assigned if n == self.coder]
        index = {span.id: i for i, span in enumerate(spans)}
        return StudyLine(
            document=_new_document(self.documents.get(document_id)),
            statuses=statuses,
            entities=tuple(
                LineEntity(s.start, s.end, s.label, s.status, s.annotator, s.origin) for s in spans
            ),
            claims=tuple(_line_claim(c, index) for c in claims),
            sample=document_id in self.sample,
            assigned=tuple(assigned),
        )


def _new_document(doc: Document) -> NewDocument:
    return NewDocument(
        text=doc.text, title=doc.title, source=doc.source, author=doc.author, url=doc.url,
        published=doc.published, metadata=doc.metadata, section=doc.section,
    )


def _line_claim(claim: Claim, index: Mapping[SpanId | None, int]) -> LineClaim:
    links = {
        name: index[value.span_id]
        for name, value in claim.values.items()
        if isinstance(value, EntityRef) and value.span_id is not None and value.span_id in index
    }
    return LineClaim(
        claim.start, claim.end, claim.annotator, claim.values, links,
        claim.needs_review, claim.review_note,
    )


# -- import -------------------------------------------------------------------------------
@dataclass
class StudyImportReport:
    """What became of a study file's lines: plain values, so it can cross threads."""

    path: str
    added: list[int] = field(default_factory=list)
    """Ids of the documents the file added."""
    merged: int = 0
    """Lines whose text was in the project already: their annotations were added to it."""
    unchanged: int = 0
    """Lines with nothing new (imported before)."""
    entities: int = 0
    claims: int = 0
    refused: list[str] = field(default_factory=list)
    """``line N: reason`` for every line that was not imported."""
    cancelled_at: int | None = None
    """The line the import was cancelled before (it and the lines after it were not read)."""

    @property
    def landed(self) -> int:
        return len(self.added) + self.merged


def import_study_file(
    project: Project, path: Path, cancel: Event | None = None
) -> StudyImportReport:
    """Import a study file; each line lands whole or is refused with its line number.

    ``cancel`` stops it between lines; the lines before are kept.

    Raises ImportFileError when the file cannot be read at all, ProjectWriteError when the
    project cannot be written (the lines of the group being written are then not saved).
    """
    path = Path(path)
    report = StudyImportReport(str(path))
    codebook = project.codebook()
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ImportFileError(path, f"cannot be read: {exc.strerror or exc}") from exc
    with stream:
        lines = numbered_lines(stream)
        finished = False
        while not finished:
            group: list[Landed] = []
            refused: list[str] = []
            with project.session() as session:
                lander = Lander(session, codebook, path)
                deadline = time.monotonic() + COMMIT_EVERY_S
                finished = True
                for number, raw in lines:
                    if cancel is not None and cancel.is_set():
                        report.cancelled_at = number
                        break
                    try:
                        group.append(lander.land(raw, number))
                    except ProjectWriteError:
                        raise  # the whole group is gone: the import stops
                    except AnnotatorError as exc:
                        refused.append(f"line {number}: {exc}")
                    if time.monotonic() > deadline:
                        finished = False
                        break
            # committed: now they count
            report.refused.extend(refused)
            for landed in group:
                _count(report, landed)
    return report


def _count(report: StudyImportReport, landed: Landed) -> None:
    if landed.new_document:
        report.added.append(landed.document_id)
    elif landed.changed:
        report.merged += 1
    else:
        report.unchanged += 1
    report.entities += landed.entities
    report.claims += landed.claims
