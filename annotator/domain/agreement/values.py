"""Matched claims as reliability data: for each variable, each unit's value per coder.

Category, yes/no and entity-reference variables are nominal; each value of a multiple-choice
variable is its own 0/1 nominal variable (``frames=security``); number and scale variables
are at their codebook level; dates are interval, in days. Free text has no agreement. A value
a coder did not code is missing (absent from the unit's values), never a disagreement; a
multiple-choice variable with nothing ticked counts as not coded, since a project stores no
difference between "none applies" and "not coded".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from annotator.domain.agreement.units import SpanUnit
from annotator.domain.ids import DocumentId
from annotator.domain.model import ClaimField, FieldKind, MeasurementLevel

#: a value as agreement compares it: a code (nominal) or a number
Comparable = str | float

#: a claim's coded values as agreement reads them: the codebook's values, except that an
#: entity reference is the linked entity's text (each coder has their own entity rows, so
#: row ids never agree; the words they link do)
CodedValues = Mapping[str, object]


@dataclass(frozen=True)
class UnitValues:
    document_id: DocumentId
    start: int
    end: int
    values: Mapping[str, Comparable]  # coder -> value; coders without one are missing


@dataclass(frozen=True)
class VariableData:
    name: str  # the variable, or "variable=code" for one value of a multiple-choice one
    variable: str  # the codebook variable it comes from
    level: MeasurementLevel
    units: tuple[UnitValues, ...]  # the units at least two coders' claims share


def variable_data(
    fields: Sequence[ClaimField], units: Sequence[SpanUnit[CodedValues]]
) -> list[VariableData]:
    """One VariableData per variable (and per value of a multiple-choice one), in codebook order."""
    shared = [u for u in units if len(u.items) >= 2]
    result = []
    for field in sorted(fields, key=lambda f: f.position):
        level = field.measurement_level
        if level is None:
            continue  # free text
        if field.kind is FieldKind.MULTI:
            for value in field.values:
                rows = tuple(
                    _unit(u, lambda v, code=value.code: 1.0 if code in v else 0.0, field.name)
                    for u in shared
                )
                result.append(VariableData(f"{field.name}={value.code}", field.name, level, rows))
            continue
        rows = tuple(_unit(u, _converter(field), field.name) for u in shared)
        result.append(VariableData(field.name, field.name, level, rows))
    return result


def _unit(unit: SpanUnit[CodedValues], convert, name: str) -> UnitValues:  # type: ignore[no-untyped-def]
    values: dict[str, Comparable] = {}
    for coder, coded in unit.items.items():
        value = coded.get(name)
        if value is None or value == "" or value == ():
            continue
        values[coder] = convert(value)
    return UnitValues(unit.document_id, unit.start, unit.end, values)


def _converter(field: ClaimField):  # type: ignore[no-untyped-def]
    kind = field.kind
    if kind in (FieldKind.NUMBER, FieldKind.SCALE):
        return float
    if kind is FieldKind.DATE:
        return lambda v: float((v if isinstance(v, date) else date.fromisoformat(v)).toordinal())
    if kind is FieldKind.BOOLEAN:
        return lambda v: "yes" if v else "no"
    return lambda v: " ".join(str(v).split())  # a code, or an entity's words
