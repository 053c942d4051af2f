"""Importing other tools' annotations (docs/formats.md) into one coder's layer (issue 13).

Every document lands whole or not at all (a savepoint each): a document with a wrong line
(past the text, text that does not match, an unknown label) is refused with its file, line
and reason, and the others land. Spans become the coder's accepted entities (origin
"imported"; a span the file marks rejected becomes a rejected one, a known negative; a span
whose file names its coder goes to that coder's layer); a span overlapping one kept before
it is skipped and reported, since a coder's entities do not overlap. A document whose text
is in the project already gets the spans added. Labels map by ``label_map``, then by name,
then by name ignoring case, spaces, - and _.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.domain.codings import Code, Coding
from annotator.domain.errors import AnnotatorError, ImportFileError, ProjectWriteError
from annotator.domain.model import (
    DocumentStatus,
    Label,
    NewDocument,
    SpanStatus,
)
from annotator.io.interchange.formats import NAMES, detect_format, read_sources
from annotator.io.interchange.records import ForeignCode, ForeignDocument, ForeignSpan, ReadOptions
from annotator.services.codebook import CodebookService
from annotator.services.interchange_landing import Landed, choose_spans, entities, land_new
from annotator.services.project import Project
from annotator.storage.layer_writer import LayerWriter
from annotator.storage.repositories import CoderDocumentRepository, DocumentRepository, SpanRepository
from annotator.storage.repositories.codings import CodingRepository
from annotator.storage.repositories.document_lookup import document_with_text

__all__ = [
    "NAMES", "AnnotatedImportReport", "ReadOptions", "detect_format", "import_annotated",
    "read_label_map",
]

DEFAULT_CODER = "imported"
_GROUP = 500  # documents per commit
_COLORS = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5")


@dataclass
class AnnotatedImportReport:
    """Plain values: what an import did, for the CLI (and a thread) to show."""

    format: str
    coder: str
    files: int = 0
    added: int = 0
    merged: int = 0
    entities: int = 0
    notes: int = 0
    refused: list[str] = field(default_factory=list)
    """``name: line N: reason`` per refused document line, or ``file: reason``."""
    skipped: list[str] = field(default_factory=list)
    """``name: line N: what`` for what landed without a part the project cannot hold."""
    unmapped: list[str] = field(default_factory=list)
    """File labels with no project label (refused unless ``add_labels``: then added)."""
    added_labels: list[str] = field(default_factory=list)
    codings: int = 0
    """REFI-QDA codings landed in the code layer (they may overlap; docs/formats.md)."""

    def summary(self) -> str:
        """One line: what landed and how much was refused."""
        return (f"Imported {self.format} into {self.coder}'s layer: {self.added} new document(s), "
                f"{self.merged} already in the project, {self.entities} entities, {self.notes} "
                f"note(s); refused {len(self.refused)}.")

    def label_lines(self) -> list[str]:
        lines = []
        if self.added_labels:
            lines.append(f"added labels to the codebook: {', '.join(self.added_labels)}")
        if self.unmapped:
            lines.append(f"labels not in the codebook: {', '.join(self.unmapped)} (map them with "
                         "--label-map FILE.json or add them with --add-labels)")
        return lines


def read_label_map(path: Path) -> dict[str, str]:
    """A --label-map file: a JSON object of file label -> project label."""
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ImportFileError(path, f"is not a readable JSON file ({exc})") from exc
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
    ):
        raise ImportFileError(path, 'must be one JSON object of "file label": "project label"')
    return dict(loaded)


def import_annotated(
    project: Project, paths: Iterable[Path], format_name: str | None = None,
    coder: str | None = None, label_map: Mapping[str, str] | None = None,
    add_labels: bool = False, options: ReadOptions | None = None,
) -> AnnotatedImportReport:
    paths = [Path(p) for p in paths]
    format_name = format_name or detect_format(paths)
    if format_name not in NAMES:
        raise ImportFileError(paths[0] if paths else "", "holds no annotated files of a known "
                              f"format (name one with --format {'|'.join(NAMES)})")
    coder = (coder or DEFAULT_CODER).strip() or DEFAULT_CODER
    report = AnnotatedImportReport(format_name, coder)
    sources = read_sources(paths, format_name, options)
    report.files = sources.files
    report.refused.extend(sources.failed)
    report.skipped.extend(sources.skipped)
    labels = _Labels(project, label_map or {})
    wanted = [s.label for d in sources.documents if not d.problems for s in d.spans]
    report.unmapped = labels.unmapped([*wanted, *sources.declared])
    if add_labels and report.unmapped:
        labels.add(report.unmapped)
        report.added_labels, report.unmapped = report.unmapped, []
    ready: list[ForeignDocument] = []
    for document in sources.documents:
        for span in document.spans:
            if labels.resolve(span.label) is None:
                document.problems.append(f"line {span.line}: label {span.label!r} is not in the "
                                         "project's codebook (map it with --label-map or add it "
                                         "with --add-labels)")
        if document.problems:
            report.refused.extend(f"{document.name}: {p}" for p in document.problems)
        else:
            ready.append(document)
    for at in range(0, len(ready), _GROUP):
        try:
            _land_group(project, ready[at:at + _GROUP], labels, coder, report, sources.codes)
        except ProjectWriteError as exc:  # the groups before are saved; this one and the rest not
            report.refused.extend(f"{d.name}: not saved ({exc.short})" for d in ready[at:])
            break
    return report


class _Labels:
    def __init__(self, project: Project, label_map: Mapping[str, str]) -> None:
        self.project = project
        self.label_map = dict(label_map)
        self._load()

    def _load(self) -> None:
        self.names = {label.name for label in self.project.codebook().labels}
        self._resolved: dict[str, str | None] = {}
        self.keys = {_key(name): name for name in sorted(self.names, reverse=True)}

    def resolve(self, label: str) -> str | None:
        if label not in self._resolved:
            self._resolved[label] = self._resolve(label)
        return self._resolved[label]

    def _resolve(self, label: str) -> str | None:
        target = self.label_map.get(label, label)
        if target in self.names:
            return target
        return self.keys.get(_key(target))

    def unmapped(self, labels: Iterable[str]) -> list[str]:
        """The mapping's targets for labels with no project label, each once, in order."""
        missing = [self.label_map.get(lb, lb) for lb in labels if self.resolve(lb) is None]
        return list(dict.fromkeys(missing))

    def add(self, names: list[str]) -> None:
        service = CodebookService(self.project)
        current = service.current()
        start = max((lb.position for lb in current.labels), default=-1) + 1
        fresh = tuple(
            Label(name, _COLORS[(start + i) % len(_COLORS)], position=start + i)
            for i, name in enumerate(names)
        )
        service.save(replace(current, labels=current.labels + fresh))
        self._load()


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def _land_group(
    project: Project, documents: list[ForeignDocument], labels: _Labels, coder: str,
    report: AnnotatedImportReport, codes: list[ForeignCode] | None = None,
) -> None:
    """One commit. New texts land together in a few statements; texts already in the project,
    documents with QDA codings (and the group's new texts, should that fail) land one by one,
    each in its own savepoint. Nothing is counted before the commit."""
    landed: list[Landed] = []
    refused: list[str] = []
    with project.session() as session:
        lander = _Lander(session, coder)
        if codes:  # the file's code tree (parents, colours), kept with the group's codings
            CodingRepository(session).ensure_codes(Code(c.name, c.color, c.parent) for c in codes)
        coded = [d for d in documents if d.codings]
        pairs = [(d, _new_document(d, labels)) for d in documents if not d.codings]
        try:
            with session.begin_nested():
                landed, one_by_one = land_new(lander.writer, pairs, labels.resolve, coder)
        except ProjectWriteError:
            raise
        except AnnotatorError:  # one by one, then, with a writer whose cached ids were not rolled back
            landed, one_by_one, lander = [], [d for d, _ in pairs], _Lander(session, coder)
        for document in [*one_by_one, *coded]:
            try:
                with session.begin_nested():
                    result = lander.land(document, labels)
                landed.append(result)
                lander.codings += lander.pending
            except ProjectWriteError:
                raise  # the whole group is gone: the import stops, its documents unsaved
            except AnnotatorError as exc:
                refused.append(f"{document.name}: {exc}")
                counted, lander = lander.codings, _Lander(session, coder)  # its cached coder ids
                lander.codings = counted  # may belong to the savepoint just rolled back
    report.refused.extend(refused)
    report.codings += lander.codings
    for result in landed:
        report.added += result.new
        report.merged += not result.new
        report.entities += result.entities
        report.notes += result.notes
        report.skipped.extend(result.skipped)


class _Lander:
    """The one-by-one path: a document whose text may be in the project already, or that
    brings QDA codings."""

    def __init__(self, session: Session, coder: str) -> None:
        self.session = session
        self.coder = coder
        self.writer = LayerWriter(session)
        self.documents = DocumentRepository(session)
        self.coder_documents = CoderDocumentRepository(session)
        self.spans = SpanRepository(session)
        self.coding_rows = CodingRepository(session)
        self.codings = 0  # of documents whose savepoint held
        self.pending = 0  # of the document being landed

    def land(self, document: ForeignDocument, labels: _Labels) -> Landed:
        self.pending = 0
        new = _new_document(document, labels)
        document_id = document_with_text(self.session, new.sha256)
        fresh = document_id is None
        skipped = [f"{document.name}: {s}" for s in document.skipped]
        notes = sum(len(s.notes) for s in document.spans)
        if fresh and not document.codings:
            landed, _ = land_new(self.writer, [(document, new)], labels.resolve, self.coder)
            return landed[0]
        if fresh:
            document_id = self.documents.add(new)
            chosen = choose_spans(document, labels.resolve, self.coder)
        else:
            if notes:
                skipped.append(f"{document.name}: {notes} note(s) not kept (the document was in "
                               "the project already)")
            rows = self.spans.for_document(document_id)
            chosen = choose_spans(document, labels.resolve, self.coder, lambda coder: [
                s for s in rows if s.annotator == coder and s.status is not SpanStatus.SUGGESTED
            ])
        assert document_id is not None
        self.writer.add_entities(document_id, entities(document_id, document.text, chosen))
        coders = (chosen.coders if document.spans else set()) | self.land_codings(
            document, document_id, fresh)
        known = set() if fresh else set(self.coder_documents.statuses(document_id))
        self.writer.set_statuses(document_id, {
            self.writer.coder_id(c): DocumentStatus.IN_PROGRESS
            for c in sorted((coders or {self.coder}) - known)
        })
        accepted = sum(s[3] is not SpanStatus.REJECTED for s in chosen.spans)
        return Landed(fresh, accepted, notes if fresh else 0, skipped + chosen.skipped)

    def land_codings(self, document: ForeignDocument, document_id: int, fresh: bool) -> set[str]:
        """Add the document's codings (the code layer: overlaps kept); the coders they name."""
        stored = set() if fresh else {
            (c.start, c.end, c.code, c.coder) for c in self.coding_rows.for_document(document_id)
        }
        new = []
        for c in document.codings:
            coder = c.coder or self.coder
            if (c.start, c.end, c.code, coder) in stored:
                continue  # imported before
            stored.add((c.start, c.end, c.code, coder))
            new.append(Coding(document_id, c.start, c.end, document.text[c.start:c.end], c.code,
                              coder, c.memo))
        self.pending = self.coding_rows.add(new)
        return {c.coder for c in new if c.coder}


def _new_document(document: ForeignDocument, labels: _Labels) -> NewDocument:
    """The document, with the details a doccano export of this project carries as keys, and
    the notes of its spans (the project's entities have none: the document keeps them)."""
    meta = dict(document.metadata)
    noted = [s for s in document.spans if s.notes]
    if noted:
        meta["notes"] = _notes_text(document.text, noted, labels)
    details = {key: meta.pop(key, None) or None for key in ("source", "author", "url", "section")}
    published = None
    if meta.get("published"):
        try:
            published = date.fromisoformat(meta["published"])
            del meta["published"]
        except ValueError:
            pass  # kept as it is, in the metadata
    return NewDocument(document.text, title=document.title, original_filename=document.name,
                       metadata=meta, published=published, **details)


def _notes_text(text: str, spans: list[ForeignSpan], labels: _Labels) -> str:
    return "\n".join(
        f"{labels.resolve(s.label)} {s.start}-{s.end} {text[s.start:s.end]!r}: {note}"
        for s in spans for note in s.notes
    )
