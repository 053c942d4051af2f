"""The sheets of an export, as streams of rows read from one consistent snapshot of a project.

Each builder returns a ``Sheet`` whose rows are a generator: the writer pulls them one at a
time, so a project of any size is exported in flat memory.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session

from annotator.domain.codebook import missing_required
from annotator.domain.errors import ExportError
from annotator.domain.model import (
    Claim,
    Codebook,
    DocumentStatus,
    SpanStatus,
)
from annotator.domain.spans import sentence_at, sentence_starts
from annotator.io.export import Column, ColumnType, Sheet, unique_names
from annotator.services.export_columns import (
    CLAIM_FIRST_COLUMNS,
    CLAIM_LAST_COLUMNS,
    claim_variable_columns,
    column_name,
    variable_cells,
)
from annotator.services.export_final import LAYER_COLUMN, FinalLayerRule, final_coder
from annotator.services.export_layers import LayerCounts, LayerRule
from annotator.storage.repositories import ClaimRepository, CoderDocumentRepository, CoderRepository
from annotator.storage.repositories.reports import ExportScope, ReportQueries, claim_completeness

TXT, INT, NUM, DAY, MOMENT, FLAG = (
    ColumnType.TEXT, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DATE,
    ColumnType.DATETIME, ColumnType.BOOLEAN,
)


TEXT_PAGE = 200


@dataclass(frozen=True)
class ExportOptions:
    include_suggestions: bool = False
    include_text: bool = False
    status: DocumentStatus | None = None
    format: str = "xlsx"
    coder: str | None = None  # one coder's layer; None: every coder's
    agreement: bool = True  # Agreement and Reliability sheets when two coders have work

    @property
    def span_statuses(self) -> tuple[SpanStatus, ...]:
        if self.include_suggestions:
            return (SpanStatus.ACCEPTED, SpanStatus.SUGGESTED, SpanStatus.REJECTED)
        return (SpanStatus.ACCEPTED,)


class SheetBuilder:
    """Builds every sheet from one session; ``check`` is called between rows (cancellation).

    ``where`` names the project in messages (an unknown coder is an ``ExportError``)."""

    def __init__(
        self, session: Session, options: ExportOptions, check: Callable[[], None] = lambda: None,
        where: str = "the project",
    ) -> None:
        self.session = session
        self.options = options
        self.check = check
        self.reports = ReportQueries(session)
        self.codebook: Codebook = _codebook(session)
        self.coder_id = _coder_id(session, options.coder, where)
        self.layer_column = False  # set by _layers: exporting every coder's layer
        self._layers(session)
        self.doc_ids = self.reports.document_ids(self.scope)
        self.titles = self.reports.titles()
        counts = claim_completeness(session, coder_id=self.coder_id)
        if self.final is not None:  # adjudicated documents count the final layer's claims
            counts = {k: n for k, n in counts.items() if k[0] not in self.final.final_documents}
            counts.update(claim_completeness(session, coder_id=self.final.final_id))
        self._claim_counts: Counter[tuple[int, bool]] = Counter(
            {key: n for key, n in counts.items() if key[0] in self.doc_ids}
        )
        self.variable_columns = claim_variable_columns(self.codebook)

    def _layers(self, session: Session) -> None:
        """Whose layers and statuses: one coder's (``--coder``); with several coders, a
        status column each; a project without coders exports its rows as they are."""
        coders = self.reports.working_coders()
        any_assigned = CoderDocumentRepository(session).any_assigned()
        self.rule: LayerRule | None = None
        self.final: FinalLayerRule | None = None
        if self.coder_id is not None:
            status_coders: tuple[int | None, ...] = (self.coder_id,)
            self.rule = LayerRule([self.coder_id])
        elif coders:
            assignments = CoderDocumentRepository(session).assignments() if any_assigned else None
            self._final_layer(coders, assignments)
            if self.final is not None:  # the final layer has no status column of its own
                coders = [(i, name) for i, name in coders if i != self.final.final_id]
            ids = [i for i, _ in coders]
            status_coders = tuple(ids) if len(ids) > 1 else (ids[0],) if ids else (None,)
        else:
            status_coders = (None,)
        self.status_headers = (
            [f"status_{column_name(name)}" for _, name in coders] if len(status_coders) > 1 else ["status"]
        )
        self.scope = ExportScope(self.options.status, self.coder_id, status_coders, any_assigned)
        # the Matrix keeps one status: the coder's, or the team's (done once all have done it)
        self.matrix_scope = self.scope._replace(
            status_coders=status_coders if len(status_coders) == 1 else (None,)
        )

    def _final_layer(self, coders: list[tuple[int, str]], assignments) -> None:  # type: ignore[no-untyped-def]
        """Every coder's layers, and in an adjudicated study the final layer where there is
        one (``services.export_final``); either way with a ``layer`` column."""
        ids = [i for i, _ in coders]
        final_id = final_coder(coders)
        self.layer_column = len(coders) > 1  # a team's export: whose layer each row is
        if final_id is None:
            self.rule = LayerRule(ids, assignments)
        else:
            documents = self.reports.documents_coded_by(final_id)
            self.rule = self.final = FinalLayerRule(ids, assignments, final_id, documents)

    @cached_property
    def _layer_counts(self) -> LayerCounts | None:
        if self.rule is None:
            return None
        statuses = {s.value for s in self.options.span_statuses}
        return LayerCounts(self.reports.layer_spans(self.coder_id), self.rule, statuses, self.doc_ids)

    def sheets(self) -> list[Sheet]:
        return [
            self.documents(), self.entities(), self.claims(), self.codebook_sheet(),
            self.summary(), self.matrix(),
        ]

    # -- Documents -----------------------------------------------------------------------
    def documents(self) -> Sheet:
        columns = [
            Column("document_id", INT), Column("title", TXT, 40), Column("source", TXT, 20),
            Column("author", TXT, 20), Column("url", TXT, 30), Column("published", DAY),
            Column("section", TXT, 16),
            *(Column(header, TXT, 12) for header in self.status_headers),
            Column("in_sample", FLAG), Column("assigned_to", TXT, 20),
            Column("word_count", INT), Column("imported_at", MOMENT),
            Column("original_file", TXT, 24),
            *(Column(f"entities_{s.value}", INT) for s in SpanStatus),
            Column("claims_complete", INT), Column("claims_incomplete", INT),
        ]
        if self.options.include_text:
            columns.append(Column("text", TXT, 80))
        return Sheet("Documents", columns, self._document_rows())

    def _document_rows(self) -> Iterator[list[object]]:
        layered = self._layer_counts
        spans = layered.by_status if layered is not None else self.reports.span_counts()
        assigned = self.reports.assigned_names()
        for doc in self.reports.documents(self.scope, self.options.include_text):
            self.check()
            row: list[object] = [
                doc.id, doc.title, doc.source, doc.author, doc.url, doc.published, doc.section,
                *doc.statuses, doc.in_sample, assigned.get(doc.id),
                doc.word_count, doc.imported_at, doc.original_filename,
                *(spans.get((doc.id, s.value), 0) for s in SpanStatus),
                self._claim_counts[(doc.id, True)], self._claim_counts[(doc.id, False)],
            ]
            if self.options.include_text:
                row.append(doc.text)
            yield row

    # -- Entities ------------------------------------------------------------------------
    def entities(self) -> Sheet:
        columns = [
            Column("document_id", INT), Column("document_title", TXT, 30), Column("entity_id", INT),
            Column("start", INT), Column("end", INT), Column("text", TXT, 28), Column("label", TXT, 14),
            Column("status", TXT, 11), Column("origin", TXT, 9), Column("coder", TXT, 14),
            Column("model", TXT, 22), Column("last_change", MOMENT), Column("sentence", TXT, 80),
        ]
        if self.layer_column:
            columns.append(layer_column(columns))
        return Sheet("Entities", columns, self._entity_rows())

    def _entity_rows(self) -> Iterator[tuple[object, ...]]:
        titles, doc_ids = self.titles, self.doc_ids
        texts: dict[int, str] = {}
        current, text, starts = -1, "", [0]
        sentences: dict[int, str] = {}
        # Entities that claims link to are listed even while still suggestions, so every
        # *_entity_id of the Claims sheet is found in the Entities sheet.
        rows = self._entity_source()
        for n, row in enumerate(rows):
            (doc_id, span_id, start, end, span_text, label, status, origin, coder, model, version,
             changed) = row[:12]
            if doc_id not in doc_ids:
                continue
            if n % 500 == 0:
                self.check()
            if doc_id != current:
                current = doc_id
                if doc_id not in texts:  # entities come in document order: read texts by pages
                    texts = self.reports.texts_from(doc_id, TEXT_PAGE)
                text = texts[doc_id]
                starts = sentence_starts(text)
                sentences = {}
            index = bisect_right(starts, start)
            sentence = sentences.get(index)
            if sentence is None:
                sentence = sentences[index] = sentence_at(text, starts, start)
            yield (
                doc_id, titles.get(doc_id), span_id, start, end, span_text, label, status, origin,
                coder, f"{model} {version or ''}".rstrip() if model else None, changed, sentence,
            ) + ((coder,) if self.layer_column else ())

    def _entity_source(self) -> Iterable[tuple[object, ...]]:
        statuses = self.options.span_statuses
        if self.rule is None:
            return self.reports.entity_rows(statuses, linked=True)
        rows = self.reports.entity_rows(statuses, linked=True, layered=True, coder_id=self.coder_id)
        # own entities a coder did not want exported still hid suggestions from them
        return (row for row in self.rule.shown(rows, 2, 3, 12) if row[13])

    # -- Claims --------------------------------------------------------------------------
    def claims(self) -> Sheet:
        columns = list(CLAIM_FIRST_COLUMNS)
        for field in self.codebook.fields:
            columns.extend(self.variable_columns[field.name])
        columns += CLAIM_LAST_COLUMNS
        if self.layer_column:
            columns.append(layer_column(columns))
        return Sheet("Claims", columns, self._claim_rows())

    def _claims(self) -> Iterator[Claim]:
        coder = self.options.coder
        for claim in ClaimRepository(self.session).iter_all():
            if (claim.document_id in self.doc_ids and (coder is None or claim.annotator == coder)
                    and (self.final is None or self.final.claim_shown(claim.document_id, claim.annotator))):
                yield claim

    def _claim_rows(self) -> Iterator[list[object]]:
        for claim in self._claims():
            self.check()
            row: list[object] = [
                claim.document_id, self.titles.get(claim.document_id), claim.id, claim.start,
                claim.end, claim.text,
            ]
            for field in self.codebook.fields:
                row.extend(variable_cells(field, claim.values.get(field.name)))
            missing = missing_required(self.codebook, claim)
            complete = not missing and not claim.needs_review  # domain.codebook.is_complete
            row += [
                claim.annotator, claim.updated_at, complete,
                ", ".join(missing) or None, claim.needs_review, claim.review_note or None,
            ]
            if self.layer_column:
                row.append(claim.annotator)
            yield row

    # -- Codebook ------------------------------------------------------------------------
    def codebook_sheet(self) -> Sheet:
        columns = [
            Column("section", TXT, 16), Column("name", TXT, 24), Column("kind", TXT, 10),
            Column("description", TXT, 60), Column("colour", TXT, 10), Column("shortcut", TXT, 9),
            Column("spacy_labels", TXT, 20), Column("required", FLAG), Column("values", TXT, 50),
            Column("minimum", NUM), Column("maximum", NUM), Column("entity_labels", TXT, 24),
            Column("claims_columns", TXT, 30),
        ]
        return Sheet("Codebook", columns, self._codebook_rows(), swatch_column="colour")

    def _codebook_rows(self) -> Iterator[list[object]]:
        for lb in self.codebook.labels:
            yield ["entity label", lb.name, None, lb.description, lb.color, lb.shortcut,
                   ", ".join(lb.spacy_labels), None, None, None, None, None, None]
        for f in self.codebook.fields:
            values = "; ".join(
                f"{v.code} = {v.display}" + (f" [{v.shortcut}]" if v.shortcut else "") for v in f.values
            )
            columns = ", ".join(c.name for c in self.variable_columns[f.name])  # where it is in Claims
            yield ["claim variable", f.name, f.kind.value, f.description, None, None, None,
                   f.required, values or None, f.minimum, f.maximum, ", ".join(f.entity_labels) or None,
                   columns or None]
        for p in self.codebook.patterns:
            pattern = p.pattern if isinstance(p.pattern, str) else str(list(p.pattern))
            yield ["pattern", p.label, None, pattern, None, None, None, None, None, None, None, None, None]

    # -- Summary -------------------------------------------------------------------------
    def summary(self) -> Sheet:
        columns = [Column("table", TXT, 30), Column("name", TXT, 40), Column("detail", TXT, 20),
                   Column("count", INT)]
        return Sheet("Summary", columns, self._summary_rows())

    def _summary_rows(self) -> Iterator[tuple[object, ...]]:
        layered = self._layer_counts
        if layered is None:
            by_label = self.reports.label_status_counts()
        else:
            by_label = layered.label_status_rows([lb.name for lb in self.codebook.labels])
        for label, status, n in by_label:
            yield ("entities by label and status", label, status, n)
        for (doc_id, complete), n in sorted(self._claim_counts.items()):
            title = self.titles.get(doc_id, "")
            yield ("claims by document", f"{title} (document {doc_id})",
                   "complete" if complete else "incomplete", n)
        for coder, what, n in self.reports.coder_activity():
            if self.options.coder is None or coder == self.options.coder:
                yield ("work by coder", coder, what, n)

    # -- Matrix --------------------------------------------------------------------------
    def matrix(self) -> Sheet:
        labels = [lb.name for lb in self.codebook.labels]
        fixed = ("document_id", "title", "status", "claims")
        headers = unique_names(labels, reserved=fixed)  # a label called "status" -> "status_2"
        columns = [Column("document_id", INT), Column("title", TXT, 40), Column("status", TXT, 12),
                   *(Column(header, INT) for header in headers), Column("claims", INT)]
        return Sheet("Matrix", columns, self._matrix_rows(labels))

    def _matrix_rows(self, labels: list[str]) -> Iterator[list[object]]:
        layered = self._layer_counts
        counts = layered.by_label if layered is not None else self.reports.label_counts(
            self.options.span_statuses
        )
        for doc in self.reports.documents(self.matrix_scope):
            self.check()
            claims = self._claim_counts[(doc.id, True)] + self._claim_counts[(doc.id, False)]
            yield [doc.id, doc.title, doc.statuses[0], *(counts.get((doc.id, lb), 0) for lb in labels),
                   claims]


def layer_column(columns: list[Column]) -> Column:
    """The ``layer`` column, renamed should a variable already be called so."""
    return Column(next(unique_names([LAYER_COLUMN], reserved=[c.name for c in columns])), TXT, 12)


def _coder_id(session: Session, name: str | None, where: str) -> int | None:
    """The id of the coder to export, or None for every coder; an unknown name is an error
    naming the project's coders."""
    if name is None:
        return None
    coders = CoderRepository(session)
    found = coders.find(name)
    if found is None:
        names = [c.name for c in coders.all()]
        known = f"its coders are {', '.join(names)}" if names else "it has no coders yet"
        raise ExportError(f"{where}: no coder named {name!r} in this project ({known})")
    return int(found)


def _codebook(session: Session) -> Codebook:
    from annotator.storage.repositories import CodebookRepository

    return CodebookRepository(session).codebook()
