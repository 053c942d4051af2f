"""The Reliability sheet: the data behind every alpha of the Agreement sheet, in wide form.

One row per unit and variable, one column per coder, ready for R (``irr::kripp.alpha``,
``krippendorff``) or the KALPHA macro of SPSS: select a variable's rows and its coder
columns and the figure is reproduced. The rows come from the same reading and matching as
``compute_agreement`` (``read_study``, ``claim_units``, ``variable_data``, ``tokenize``), so
nothing is re-derived by other rules here.

How values are written (also in the Agreement sheet and docs/reliability.md): category
codes and entity references (the linked entity's words) as text; yes/no as 1/0; each value
of a multiple-choice variable is its own variable ``name=code`` with 1 (ticked) / 0; numbers
and scale points as numbers; dates as days since 1970-01-01; entity tokens as the label of
the entity covering the token, or ``none``. A coder who did not code the unit: empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from annotator.domain.agreement.tokens import token_labels, tokenize
from annotator.domain.agreement.units import SpanUnit
from annotator.domain.agreement.values import CodedValues, Comparable, variable_data
from annotator.domain.model import FieldKind
from annotator.io.export import Column, ColumnType, Sheet, unique_names
from annotator.io.export.xlsx import EXCEL_MAX_DATA_ROWS
from annotator.services.agreement.claims import claim_units
from annotator.services.agreement.reading import Study
from annotator.services.export_columns import column_name

TXT, INT = ColumnType.TEXT, ColumnType.INTEGER

#: the variable of the entity token rows (the Agreement sheet's "entities" alpha)
TOKEN_VARIABLE = "entity label"
NO_ENTITY = "none"
EPOCH = date(1970, 1, 1).toordinal()
TEXT_LIMIT = 100  # characters of a claim unit's text shown beside its values

RELIABILITY_CODING = (
    "one row per unit and variable, one column per coder (empty: not coded). Categories: their "
    "codes; entity references: the entity's words; yes/no: 1/0; multiple choice: one variable "
    "name=code per value, 1 ticked, 0 not; numbers and scales: numbers; dates: days since "
    f"1970-01-01; entity tokens (variable '{TOKEN_VARIABLE}'): the label covering the token or "
    f"'{NO_ENTITY}'"
)
FIXED = ("document_id", "unit", "start", "end", "text", "variable", "level")


def reliability_columns(coders: Sequence[str]) -> list[Column]:
    headers = unique_names((column_name(c) for c in coders), reserved=FIXED)
    return [
        Column("document_id", INT), Column("unit", TXT, 10), Column("start", INT), Column("end", INT),
        Column("text", TXT, 40), Column("variable", TXT, 20), Column("level", TXT, 9),
        *(Column(header, ColumnType.VALUE, 12) for header in headers),
    ]


def reliability_sheet(study: Study, check: Callable[[], None] = lambda: None) -> Sheet:
    return Sheet("Reliability", reliability_columns(study.coders), _rows(study, check))


def _rows(study: Study, check: Callable[[], None]) -> Iterator[list[object]]:
    units = claim_units(study.documents)
    shared = [u for u in units if len(u.items) >= 2]
    numbers = _unit_numbers(units)
    texts = {d.document_id: d.text for d in study.documents}
    kinds = {f.name: f.kind for f in study.codebook.fields}
    claim_rows = 0
    for data in variable_data(study.codebook.fields, units):
        check()
        write = _writer(kinds[data.variable])
        for unit, values in zip(shared, data.units, strict=True):
            claim_rows += 1
            text = texts[unit.document_id][unit.start:unit.end]
            yield [
                unit.document_id, f"claim {numbers[id(unit)]}", unit.start, unit.end,
                text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…",
                data.name, data.level.value,
                *(write(values.values.get(c)) for c in study.coders),
            ]
    tokens = sum(len(tokenize(d.text)) for d in study.documents)
    if claim_rows + tokens > EXCEL_MAX_DATA_ROWS:
        # a workbook holds ~1 million rows: keep the claims and say where the tokens went
        yield [None, None, None, None, f"{tokens:,} entity tokens left out: more rows than Excel "
               "holds; export as CSV, or run `annotator agreement`", TOKEN_VARIABLE, "nominal"]
        return
    for doc in study.documents:
        check()
        spans = tokenize(doc.text)
        labels = {
            c: token_labels(spans, [(e.start, e.end, e.label) for e in doc.entities[c]])
            for c in doc.coders
        }
        for i, (start, end) in enumerate(spans):
            yield [
                doc.document_id, f"token {i + 1}", start, end, doc.text[start:end],
                TOKEN_VARIABLE, "nominal",
                *((labels[c][i] or NO_ENTITY) if c in labels else None for c in study.coders),
            ]


def _unit_numbers(units: Sequence[SpanUnit[CodedValues]]) -> dict[int, int]:
    """Each claim unit's number within its document (1, 2, ...), in text order."""
    numbers: dict[int, int] = {}
    seen: dict[int, int] = {}
    for unit in units:
        doc = unit.document_id
        seen[doc] = seen.get(doc, 0) + 1
        numbers[id(unit)] = seen[doc]
    return numbers


def _writer(kind: FieldKind) -> Callable[[Comparable | None], object]:
    """How one variable's compared values are written (see the module's docstring)."""
    if kind is FieldKind.BOOLEAN:
        return lambda v: None if v is None else (1 if v == "yes" else 0)
    if kind is FieldKind.DATE:
        return lambda v: None if v is None else int(v) - EPOCH  # type: ignore[arg-type]
    return _number_or_code


def _number_or_code(value: Comparable | None) -> object:
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return value
