"""Landing a group of another tool's documents whose texts are new to the project, in a few
statements: an import of 10,000 documents must not pay a round trip per row (issue 13's
benchmark, ``benchmarks/bench_interchange.py``).

The rules are those of the one-by-one path in ``interchange_import`` (which still lands texts
already in the project, and any group this path refuses): the span choice is shared.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.domain.spans import overlaps
from annotator.io.interchange.records import ForeignDocument
from annotator.storage.layer_writer import EntityRow, LayerWriter

Resolve = Callable[[str], "str | None"]


@dataclass
class Chosen:
    """The spans of one document to store, as (start, end, label, status, coder)."""

    spans: list[tuple[int, int, str, SpanStatus, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    coders: set[str] = field(default_factory=set)


def choose_spans(
    document: ForeignDocument, resolve: Resolve, default_coder: str,
    stored: Callable[[str], list[EntitySpan]] | None = None,
) -> Chosen:
    """The document's spans a coder's layer can take: not imported before (``stored`` gives a
    coder's decided entities of a document already in the project), not overlapping one of
    the same coder kept before it (reported as skipped)."""
    if stored is None:
        plain = _plain(document, resolve, default_coder)
        if plain is not None:
            return plain
    chosen = Chosen()
    kept: dict[str, _Layer] = {}
    for span in document.spans:
        coder = span.coder or default_coder
        if coder not in kept:
            kept[coder] = _Layer(stored(coder) if stored else [])
            chosen.coders.add(coder)
        layer = kept[coder]
        label = resolve(span.label)
        assert label is not None  # checked before landing
        status = SpanStatus.REJECTED if span.rejected else SpanStatus.ACCEPTED
        key = (span.start, span.end, label, status)
        if key in layer.keys:
            continue  # imported before
        clash = layer.clash(span.start, span.end)
        if clash is not None:
            chosen.skipped.append(
                f"{document.name}: line {span.line}: {label} {span.start}-{span.end} skipped: it "
                f"overlaps {clash[2]} {clash[0]}-{clash[1]} (one coder's entities do not overlap)"
            )
            continue
        layer.add(key)
        chosen.spans.append((span.start, span.end, label, status, coder))
    chosen.coders = chosen.coders or {default_coder}
    return chosen


def _plain(document: ForeignDocument, resolve: Resolve, coder: str) -> Chosen | None:
    """The common case of a new document, at speed: all of it goes to one coder's layer and
    no span overlaps or repeats another. None when that is not so."""
    end = -1
    for span in sorted(document.spans, key=lambda s: (s.start, s.end)):
        if span.coder is not None or span.start < end:
            return None
        end = span.end
    accepted, rejected = SpanStatus.ACCEPTED, SpanStatus.REJECTED
    return Chosen([
        (s.start, s.end, resolve(s.label) or s.label, rejected if s.rejected else accepted, coder)
        for s in document.spans
    ], [], {coder})


class _Layer:
    """One coder's entities of a document so far: they never overlap, so sorted by start they
    are sorted by end too, and a new span can only clash with its neighbours."""

    def __init__(self, stored: list[EntitySpan]) -> None:
        self.keys = {(s.start, s.end, s.label, s.status) for s in stored}
        self.spans = sorted((s.start, s.end, s.label) for s in stored)

    def clash(self, start: int, end: int) -> tuple[int, int, str] | None:
        at = bisect.bisect_left(self.spans, (start,))
        for neighbour in self.spans[max(at - 1, 0):at + 1]:
            if overlaps(neighbour[0], neighbour[1], start, end):
                return neighbour
        return None

    def add(self, key: tuple[int, int, str, SpanStatus]) -> None:
        self.keys.add(key)
        bisect.insort(self.spans, key[:3])


def entities(document_id: DocumentId, text: str, chosen: Chosen) -> list[EntitySpan]:
    """The chosen spans as entities of the document (the one-by-one path)."""
    return [
        EntitySpan(document_id, start, end, text[start:end], label, SpanOrigin.IMPORTED, status,
                   annotator=coder)
        for start, end, label, status, coder in chosen.spans
    ]


@dataclass(frozen=True)
class Landed:
    """What landing one document did, counted in the report once its group is committed."""

    new: bool
    """A new document (False: the text was in the project and got the spans added)."""
    entities: int
    notes: int
    skipped: list[str]


def land_new(
    writer: LayerWriter, documents: Sequence[tuple[ForeignDocument, NewDocument]],
    resolve: Resolve, default_coder: str,
) -> tuple[list[Landed], list[ForeignDocument]]:
    """Land the documents whose text is new (first of each text only); return what landed and
    the documents left for the one-by-one path (texts in the project already, repeats)."""
    present = writer.texts_present([new.sha256 for _, new in documents])
    fresh: list[tuple[ForeignDocument, NewDocument]] = []
    rest: list[ForeignDocument] = []
    for foreign, new in documents:
        if new.sha256 in present:
            rest.append(foreign)
        else:
            present.add(new.sha256)
            fresh.append((foreign, new))
    choices = [choose_spans(foreign, resolve, default_coder) for foreign, _ in fresh]
    ids = writer.add_documents([new for _, new in fresh])
    rows: list[EntityRow] = []
    statuses = []
    landed = []
    imported = SpanOrigin.IMPORTED
    for (foreign, _), document_id, chosen in zip(fresh, ids, choices, strict=True):
        text = foreign.text
        rows.extend((document_id, start, end, text[start:end], label, imported, status, coder)
                    for start, end, label, status, coder in chosen.spans)
        statuses.extend((document_id, writer.coder_id(c), DocumentStatus.IN_PROGRESS)
                        for c in sorted(chosen.coders))
        landed.append(Landed(
            True, sum(s[3] is not SpanStatus.REJECTED for s in chosen.spans),
            sum(len(s.notes) for s in foreign.spans),
            [f"{foreign.name}: {s}" for s in foreign.skipped] + chosen.skipped,
        ))
    writer.add_entity_rows(rows)
    writer.add_new_statuses(statuses)
    return landed, rest
