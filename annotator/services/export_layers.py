"""Which entities an export shows when a project has coders: the exported coders' layers.

The rule is ``domain.layers.layer_view``'s, applied to the plain tuples the export streams,
one document at a time (rows come in document order, so memory stays flat): every coder's
own entities are shown; a shared entity (no coder: a model suggestion, or one an import
brought) is shown while one of the coders who have the document has not decided it, that
is, while none of *their* own entities covers its text. Exporting one coder, that is their
view of the document; exporting everyone, a suggestion leaves the export once every coder
it was given to has decided it (each decision is then a row of its own).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from annotator.domain.layers import Coverage

Row = Sequence[Any]


class LayerRule:
    """``coders``: the coder ids exported. ``assignments`` (document -> coder ids), when the
    project assigns work: only the coders a document is assigned to have it."""

    def __init__(
        self, coders: Collection[int], assignments: Mapping[int, Collection[int]] | None = None
    ) -> None:
        self.coders = frozenset(coders)
        self.assignments = assignments

    def with_document(self, document_id: int) -> Collection[int]:
        """The exported coders who have the document (and so see its suggestions)."""
        if self.assignments is None:
            return self.coders
        return self.coders.intersection(self.assignments.get(document_id, ()))

    def shown(self, rows: Iterable[Row], start: int, end: int, coder: int) -> Iterator[Row]:
        """The rows (of any shape, in document order, the document id first) in the exported
        layers; ``start``, ``end`` and ``coder`` are the positions of those values in a row."""
        for document_id, group in groupby(rows, key=itemgetter(0)):
            document = list(group)
            if all(row[coder] is not None for row in document):
                yield from document  # no shared entity: nothing to decide
                continue
            deciders = self.with_document(document_id)
            if not deciders:
                yield from document  # nobody has it: every suggestion is still open
                continue
            own: dict[int, list[tuple[int, int]]] = {c: [] for c in deciders}
            for row in document:
                ranges = own.get(row[coder])
                if ranges is not None:
                    ranges.append((row[start], row[end]))  # rows are in offset order
            covers = [Coverage(ranges) for ranges in own.values()]
            for row in document:
                if row[coder] is not None or any(not c.overlaps(row[start], row[end]) for c in covers):
                    yield row


class LayerCounts:
    """Entity counts of the exported layers, from ``ReportQueries.layer_spans`` rows
    (document, start, end, coder, status, label): what the Documents, Summary and Matrix
    sheets count, so they agree with the Entities sheet."""

    def __init__(
        self, rows: Iterable[Row], rule: LayerRule, statuses: Collection[str], documents: Collection[int]
    ) -> None:
        self.by_status: Counter[tuple[int, str]] = Counter()
        self.by_label: Counter[tuple[int, str]] = Counter()  # of the exported statuses
        self.label_status: Counter[tuple[str, str]] = Counter()  # of the exported documents
        exported = (row for row in rows if row[0] in documents)
        for document_id, _s, _e, _c, status, label in rule.shown(exported, 1, 2, 3):
            self.by_status[(document_id, status)] += 1
            self.label_status[(label, status)] += 1
            if status in statuses:
                self.by_label[(document_id, label)] += 1

    def label_status_rows(self, label_order: Sequence[str]) -> list[tuple[str, str, int]]:
        """(label, status, count), labels in codebook order, as the Summary sheet lists them."""
        position = {label: n for n, label in enumerate(label_order)}
        keys = sorted(self.label_status, key=lambda k: (position.get(k[0], len(position)), k[0], k[1]))
        return [(label, status, self.label_status[(label, status)]) for label, status in keys]
