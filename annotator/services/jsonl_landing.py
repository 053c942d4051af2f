"""Where one checked line of a study file lands: its document (new, or the one with its text)
and every coder's rows, added only where they are not there already."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.domain.errors import StudyLineError
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import (
    Claim,
    ClaimValue,
    Codebook,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    SpanStatus,
)
from annotator.domain.spans import overlaps
from annotator.io.jsonl_study import LineEntity, StudyLine, decode_line, parse_line
from annotator.storage.layer_writer import LayerWriter
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    DocumentRepository,
    SpanRepository,
)
from annotator.storage.repositories.document_lookup import document_with_text

_RANK = {DocumentStatus.NEW: 0, DocumentStatus.IN_PROGRESS: 1, DocumentStatus.DONE: 2}
_EntityKey = tuple[str | None, int, int, str, SpanStatus]


@dataclass
class Landed:
    """What one line did."""

    document_id: DocumentId
    new_document: bool
    entities: int = 0
    claims: int = 0
    changed: bool = False


class Lander:
    """Writes lines into one session, each in its own savepoint: a line lands whole or not."""

    def __init__(self, session: Session, codebook: Codebook, path: Path) -> None:
        self.session = session
        self.codebook = codebook
        self.path = path
        self.writer = LayerWriter(session)
        self.documents = DocumentRepository(session)
        self.coder_documents = CoderDocumentRepository(session)
        self.sample = self.coder_documents.sample()

    def land(self, raw: bytes, number: int) -> Landed:
        """Check the line and write it; StudyLineError (or another AnnotatorError) if it fails."""
        line = decode_line(parse_line(raw), self.codebook, f"{self.path.stem} (line {number})")
        with self.session.begin_nested():
            return self._write(line)

    def _write(self, line: StudyLine) -> Landed:
        new = line.document
        document_id = document_with_text(self.session, new.sha256)
        landed = Landed(document_id or DocumentId(0), document_id is None)
        if document_id is None:
            landed.document_id = self.documents.add(replace(new, original_filename=self.path.name))
        span_ids = self._entities(landed, line)
        self._claims(landed, line, span_ids)
        self._statuses(landed, line)
        return landed

    def _entities(self, landed: Landed, line: StudyLine) -> list[SpanId]:
        """Adds the entities not there yet; returns the span id of every entity of the line."""
        document_id, text = landed.document_id, line.document.text
        stored = [] if landed.new_document else SpanRepository(self.session).for_document(document_id)
        found: dict[_EntityKey, SpanId] = {
            (s.annotator, s.start, s.end, s.label, s.status): s.id for s in stored  # type: ignore[misc]
        }
        fresh: list[EntitySpan] = []
        fresh_at: dict[_EntityKey, int] = {}
        where: list[tuple[bool, int | SpanId]] = []  # per line entity: (is new, position or id)
        for index, entity in enumerate(line.entities):
            key = (entity.coder, entity.start, entity.end, entity.label, entity.status)
            if key in found:
                where.append((False, found[key]))
                continue
            if key not in fresh_at:  # the same entity twice on a line is one entity
                if entity.coder is not None and entity.status is SpanStatus.ACCEPTED:
                    _no_clash(index, entity, stored)
                fresh_at[key] = len(fresh)
                fresh.append(EntitySpan(
                    document_id, entity.start, entity.end, text[entity.start:entity.end],
                    entity.label, entity.origin, entity.status, annotator=entity.coder,
                ))
            where.append((True, fresh_at[key]))
        new_ids = self.writer.add_entities(document_id, fresh)
        landed.entities = len(fresh)
        return [new_ids[at] if is_new else SpanId(at) for is_new, at in where]

    def _claims(self, landed: Landed, line: StudyLine, span_ids: list[SpanId]) -> None:
        document_id, text = landed.document_id, line.document.text
        stored = [] if landed.new_document else ClaimRepository(self.session).for_document(document_id)
        seen = {claim_key(c.annotator, c.start, c.end, c.values) for c in stored}
        fresh: list[Claim] = []
        for claim in line.claims:
            values = dict(claim.values)
            for name, index in claim.links.items():
                target = line.entities[index]
                values[name] = EntityRef(span_ids[index], text[target.start:target.end])
            key = claim_key(claim.coder, claim.start, claim.end, values)
            if key in seen:
                continue
            seen.add(key)
            fresh.append(Claim(
                document_id, claim.start, claim.end, text[claim.start:claim.end], values,
                annotator=claim.coder, needs_review=claim.needs_review,
                review_note=claim.review_note,
            ))
        self.writer.add_claims(document_id, fresh)
        landed.claims = len(fresh)

    def _statuses(self, landed: Landed, line: StudyLine) -> None:
        """Statuses, assignment and the sample only ever move forward: an import never takes
        a document back from 'done', nor takes work away from a coder."""
        document_id, new_document = landed.document_id, landed.new_document
        changed = bool(new_document or landed.entities or landed.claims)
        now = {} if new_document or not line.statuses else self.coder_documents.statuses(document_id)
        forward = {
            self.writer.coder_id(name): status for name, status in line.statuses.items()
            if _RANK[status] > _RANK[now.get(name, DocumentStatus.NEW)]
        }
        self.writer.set_statuses(document_id, forward)
        changed = changed or bool(forward)
        assigned = set() if new_document else set(self.coder_documents.assigned_coders(document_id))
        fresh = [name for name in line.assigned if name not in assigned]
        if fresh:
            self.coder_documents.assign([(document_id, self.writer.coder_id(n)) for n in fresh])
            changed = True
        if line.sample and document_id not in self.sample:
            self.coder_documents.set_sample([document_id])
            self.sample.add(document_id)
            changed = True
        landed.changed = changed


def _no_clash(index: int, entity: LineEntity, stored: list[EntitySpan]) -> None:
    """A coder's accepted entity may not overlap one they accepted in the project already."""
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


def claim_key(
    coder: str | None, start: int, end: int, values: Mapping[str, ClaimValue]
) -> tuple[object, ...]:
    """What makes two claims the same claim: coder, offsets and values."""

    def comparable(value: ClaimValue) -> object:
        if isinstance(value, EntityRef):
            return ("entity", value.span_id) if value.span_id is not None else ("text", value.text)
        if isinstance(value, tuple):  # codes: the order they were ticked in does not matter
            return tuple(sorted(set(value)))
        return value

    return (coder, start, end, tuple(sorted((n, comparable(v)) for n, v in values.items())))
