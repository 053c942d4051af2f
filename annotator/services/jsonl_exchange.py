"""A study in and out as JSON Lines with every coder's layer (the format: docs/jsonl-format.md).

Export streams one document at a time from one read snapshot into a temporary file that is
renamed into place at the end. Import reads the file line by line; each line is checked on its
own (:mod:`annotator.io.jsonl_study`) and lands in its own savepoint, so a bad line is refused
with its number and reason while the others land. Lines are committed in groups.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from threading import Event

from sqlalchemy.orm import Session

from annotator.domain.errors import (
    AnnotatorError,
    ExportError,
    ImportFileError,
    ProjectWriteError,
    StudyLineError,
)
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.layers import layer_view
from annotator.domain.model import (
    Claim,
    ClaimValue,
    Codebook,
    Document,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanStatus,
)
from annotator.domain.spans import overlaps
from annotator.io.export.files import replacing
from annotator.io.jsonl_study import (
    LineClaim,
    LineEntity,
    StudyLine,
    decode_line,
    encode_line,
    is_study_file,
    parse_line,
)
from annotator.services.export import ExportCancelled, ExportSummary
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from annotator.storage.repositories.document_lookup import document_with_text

__all__ = ["StudyImportReport", "export_study", "import_study_file", "is_study_file"]

#: Lines are committed in groups: a commit per line would cost more than the import.
COMMIT_EVERY_S = 0.25
_RANK = {DocumentStatus.NEW: 0, DocumentStatus.IN_PROGRESS: 1, DocumentStatus.DONE: 2}


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


class _LineReader:
    """One document's line, read with the repositories (one document in memory at a time)."""

    def __init__(self, session: Session, coder: str | None) -> None:
        self.coder = coder
        self.documents = DocumentRepository(session)
        self.spans = SpanRepository(session)
        self.claims = ClaimRepository(session)
        self.coder_documents = CoderDocumentRepository(session)
        self.sample = self.coder_documents.sample()

    def line(self, document_id: DocumentId) -> StudyLine:
        spans = self.spans.for_document(document_id)
        claims = self.claims.for_document(document_id)
        statuses = self.coder_documents.statuses(document_id)
        assigned = self.coder_documents.assigned_coders(document_id)
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
        claim.start, claim.end, claim.annotator or "", claim.values, links,
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

    @property
    def landed(self) -> int:
        return len(self.added) + self.merged


@dataclass
class _Landed:
    document_id: DocumentId
    new_document: bool
    entities: int = 0
    claims: int = 0
    changed: bool = False


def import_study_file(project: Project, path: Path) -> StudyImportReport:
    """Import a study file; each line lands whole or is refused with its line number.

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
        lines = iter(_numbered_lines(stream))
        finished = False
        while not finished:
            group: list[_Landed] = []
            refused: list[str] = []
            with project.session() as session:
                lander = _Lander(session, codebook, path)
                deadline = time.monotonic() + COMMIT_EVERY_S
                finished = True
                for number, raw in lines:
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


def _numbered_lines(stream: Iterable[bytes]) -> Iterable[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
        if raw.strip():
            yield number, raw


def _count(report: StudyImportReport, landed: _Landed) -> None:
    if landed.new_document:
        report.added.append(landed.document_id)
    elif landed.changed:
        report.merged += 1
    else:
        report.unchanged += 1
    report.entities += landed.entities
    report.claims += landed.claims


class _Lander:
    """Writes one checked line into a session, each in its own savepoint."""

    def __init__(self, session: Session, codebook: Codebook, path: Path) -> None:
        self.session = session
        self.codebook = codebook
        self.path = path
        self.documents = DocumentRepository(session)
        self.spans = SpanRepository(session)
        self.claims = ClaimRepository(session)
        self.coders = CoderRepository(session)
        self.coder_documents = CoderDocumentRepository(session)
        self.sample = self.coder_documents.sample()

    def land(self, raw: bytes, number: int) -> _Landed:
        line = decode_line(parse_line(raw), self.codebook, f"{self.path.stem} (line {number})")
        with self.session.begin_nested():
            return self._write(line)

    def _write(self, line: StudyLine) -> _Landed:
        new = line.document
        document_id = document_with_text(self.session, new.sha256)
        landed = _Landed(document_id or DocumentId(0), document_id is None)
        if document_id is None:
            landed.document_id = self.documents.add(replace(new, original_filename=self.path.name))
        span_ids = self._entities(landed, line)
        self._claims(landed, line, span_ids)
        self._statuses(landed, line)
        return landed

    def _entities(self, landed: _Landed, line: StudyLine) -> list[SpanId]:
        document_id, text = landed.document_id, line.document.text
        stored = [] if landed.new_document else self.spans.for_document(document_id)
        same = {(s.annotator, s.start, s.end, s.label, s.status): s for s in stored}
        span_ids: list[SpanId] = []
        for index, entity in enumerate(line.entities):
            key = (entity.coder, entity.start, entity.end, entity.label, entity.status)
            if key in same:
                span_ids.append(same[key].id)  # type: ignore[arg-type]
                continue
            if entity.coder is not None and entity.status is SpanStatus.ACCEPTED:
                self._no_clash(index, entity, stored)
            span = self.spans.add(EntitySpan(
                document_id, entity.start, entity.end, text[entity.start:entity.end],
                entity.label, entity.origin, entity.status, annotator=entity.coder,
            ))
            stored.append(span)
            same[key] = span
            span_ids.append(span.id)  # type: ignore[arg-type]
            landed.entities += 1
        return span_ids

    @staticmethod
    def _no_clash(index: int, entity: LineEntity, stored: list[EntitySpan]) -> None:
        for span in stored:
            if (
                span.annotator == entity.coder and span.status is SpanStatus.ACCEPTED
                and overlaps(span.start, span.end, entity.start, entity.end)
            ):
                raise StudyLineError(
                    f"entities[{index}] ({entity.start}-{entity.end}) overlaps the entity "
                    f"{span.label} at {span.start}-{span.end} that {entity.coder} accepted in "
                    "the project already"
                )

    def _claims(self, landed: _Landed, line: StudyLine, span_ids: list[SpanId]) -> None:
        document_id, text = landed.document_id, line.document.text
        stored = [] if landed.new_document else self.claims.for_document(document_id)
        seen = {_claim_key(c.annotator, c.start, c.end, c.values) for c in stored}
        for claim in line.claims:
            values = dict(claim.values)
            for name, index in claim.links.items():
                target = line.entities[index]
                values[name] = EntityRef(span_ids[index], text[target.start:target.end])
            key = _claim_key(claim.coder, claim.start, claim.end, values)
            if key in seen:
                continue
            seen.add(key)
            self.claims.add(Claim(
                document_id, claim.start, claim.end, text[claim.start:claim.end], values,
                annotator=claim.coder, needs_review=claim.needs_review,
                review_note=claim.review_note,
            ))
            landed.claims += 1

    def _statuses(self, landed: _Landed, line: StudyLine) -> None:
        """Statuses, assignment and the sample only ever move forward: an import never takes
        a document back from 'done', nor takes work away from a coder."""
        document_id = landed.document_id
        changed = bool(landed.new_document or landed.entities or landed.claims)
        for name, status in line.statuses.items():
            coder_id = self.coders.id_for(name)
            assert coder_id is not None
            if _RANK[status] > _RANK[self.coder_documents.status(document_id, coder_id)]:
                self.coder_documents.set_status(document_id, coder_id, status)
                changed = True
        assigned = set() if landed.new_document else set(self.coder_documents.assigned_coders(document_id))
        for name in line.assigned:
            if name not in assigned:
                coder_id = self.coders.id_for(name)
                assert coder_id is not None
                self.coder_documents.assign([(document_id, coder_id)])
                changed = True
        if line.sample and document_id not in self.sample:
            self.coder_documents.set_sample([document_id])
            self.sample.add(document_id)
            changed = True
        landed.changed = changed


def _claim_key(
    coder: str | None, start: int, end: int, values: Mapping[str, ClaimValue]
) -> tuple[object, ...]:
    def comparable(value: ClaimValue) -> object:
        if isinstance(value, EntityRef):
            return ("entity", value.span_id) if value.span_id is not None else ("text", value.text)
        if isinstance(value, tuple):  # codes: the order they were ticked in does not matter
            return tuple(sorted(set(value)))
        return value

    return (coder, start, end, tuple(sorted((n, comparable(v)) for n, v in values.items())))
