"""The columns of the export's sheets that follow the codebook and the team: one or more
columns per claim variable (with their cells), and coder names as parts of headings."""

from __future__ import annotations

import re
from dataclasses import replace

from annotator.domain.model import ClaimField, Codebook, EntityRef, FieldKind
from annotator.io.export import Column, ColumnType, unique_names

TXT, INT, NUM, DAY, MOMENT, FLAG = (
    ColumnType.TEXT, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DATE,
    ColumnType.DATETIME, ColumnType.BOOLEAN,
)


def column_name(name: str) -> str:
    """A coder's name as part of a column heading that SPSS, Stata and R accept as is."""
    return re.sub(r"\W+", "_", name.strip()).strip("_") or "coder"


CLAIM_FIRST_COLUMNS = (
    Column("document_id", INT), Column("document_title", TXT, 30), Column("claim_id", INT),
    Column("start", INT), Column("end", INT), Column("claim_text", TXT, 60),
)
CLAIM_LAST_COLUMNS = (
    Column("coder", TXT, 14), Column("last_change", MOMENT), Column("complete", FLAG),
    Column("missing", TXT, 24), Column("needs_review", FLAG), Column("review_note", TXT, 30),
)


def claim_variable_columns(codebook: Codebook) -> dict[str, list[Column]]:
    """The Claims sheet's columns of each variable, by variable name, with unique headers.

    The fixed columns keep their names; a variable column that would repeat one, or an
    earlier variable's column (a boolean ``a_b`` beside the multi-choice ``a`` with the value
    ``b``), gets a suffix: ``document_id_2``, ``a_b_2``. The Codebook sheet lists each
    variable's columns, so the renamed ones are found.
    """
    fixed = [c.name for c in (*CLAIM_FIRST_COLUMNS, *CLAIM_LAST_COLUMNS)]
    plain = [(field.name, column) for field in codebook.fields for column in _variable_columns(field)]
    headers = unique_names((column.name for _, column in plain), reserved=fixed)
    result: dict[str, list[Column]] = {field.name: [] for field in codebook.fields}
    for (name, column), header in zip(plain, headers, strict=True):
        result[name].append(replace(column, name=header))
    return result


def _variable_columns(field: ClaimField) -> list[Column]:
    kind = field.kind
    if kind is FieldKind.ENTITY:
        return [Column(field.name, TXT, 22), Column(f"{field.name}_entity_id", INT)]
    if kind is FieldKind.MULTI:
        return [Column(f"{field.name}_{v.code}", FLAG) for v in field.values]
    if kind in (FieldKind.NUMBER, FieldKind.SCALE):
        return [Column(field.name, NUM)]
    if kind is FieldKind.BOOLEAN:
        return [Column(field.name, FLAG)]
    if kind is FieldKind.DATE:
        return [Column(field.name, DAY)]
    return [Column(field.name, TXT, 30 if kind is FieldKind.TEXT else 16)]


def variable_cells(field: ClaimField, value: object) -> list[object]:
    kind = field.kind
    if kind is FieldKind.ENTITY:
        if isinstance(value, EntityRef):
            return [value.text, value.span_id]
        return [None, None]
    if kind is FieldKind.MULTI:
        if value is None:
            return [None] * len(field.values)  # not coded: blank, not "no"
        chosen = set(value)  # type: ignore[call-overload]
        return [v.code in chosen for v in field.values]
    return [value]
