"""Claim agreement: unit F1 over matched claims, then per variable alpha, percent agreement
and kappa over the units at least two coders' claims share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from annotator.domain.agreement.report import Disagreement, VariableFigure
from annotator.domain.agreement.units import PairCounts, SpanUnit, match_claims, unit_pair_counts
from annotator.domain.agreement.values import CodedValues, VariableData, variable_data
from annotator.domain.model import ClaimField, FieldKind, MeasurementLevel
from annotator.services.agreement.reading import DocumentCodings
from annotator.services.agreement.statistics import alpha_estimate, kappa, percent_agreement, table


def claim_units(documents: Sequence[DocumentCodings]) -> list[SpanUnit[CodedValues]]:
    units: list[SpanUnit[CodedValues]] = []
    for doc in documents:
        units.extend(match_claims(doc.document_id, {c: doc.claims[c] for c in doc.coders}))
    return units


def unit_figures(
    documents: Sequence[DocumentCodings], coders: Sequence[str], units: Sequence[SpanUnit[CodedValues]]
) -> tuple[float | None, dict[str, float | None], list[Disagreement]]:
    """(unit F1 averaged over pairs, per pair, the unitizing disagreements)."""
    by_doc: dict[int, list[SpanUnit[CodedValues]]] = {}
    for unit in units:
        by_doc.setdefault(unit.document_id, []).append(unit)
    pairs: dict[str, float | None] = {}
    for a, b in combinations(coders, 2):
        counts = PairCounts(0, 0, 0)
        for doc in documents:
            if a in doc.coders and b in doc.coders:
                counts = counts + unit_pair_counts(by_doc.get(doc.document_id, []), a, b)
        if counts.first or counts.second:
            pairs[f"{a}/{b}"] = counts.f1
    coders_of = {doc.document_id: doc.coders for doc in documents}
    disagreements = [
        Disagreement(u.document_id, u.start, u.end, {
            c: ("claim" if c in u.items else None) for c in coders_of[u.document_id]
        })
        for u in units
        if len(u.items) < len(coders_of[u.document_id])
    ]
    defined = [f for f in pairs.values() if f is not None]
    return (sum(defined) / len(defined) if defined else None), pairs, disagreements


def variable_figures(
    fields: Sequence[ClaimField], coders: Sequence[str], units: Sequence[SpanUnit[CodedValues]],
    draws: int, seed: int,
) -> list[VariableFigure]:
    kinds = {f.name: f.kind for f in fields}
    return [_figure(data, coders, kinds[data.variable], draws, seed) for data in variable_data(fields, units)]


def _figure(
    data: VariableData, coders: Sequence[str], kind: FieldKind, draws: int, seed: int
) -> VariableFigure:
    nominal = data.level is MeasurementLevel.NOMINAL
    t = table([u.values for u in data.units], coders, nominal)
    estimate = alpha_estimate(t, data.level.value, draws, seed)
    value, kind_name, kappa_units, kappa_note = kappa(t)
    agreement = percent_agreement(t)
    notes = [kappa_note] if kappa_note else []
    if agreement is None:
        notes.append("percent agreement: no unit was coded by two coders")
    show = (lambda v: date.fromordinal(int(v)).isoformat()) if kind is FieldKind.DATE else _plain
    disagreements = tuple(
        Disagreement(u.document_id, u.start, u.end, {c: show(v) for c, v in u.values.items()})
        for u in data.units
        if len(u.values) >= 2 and len(set(u.values.values())) > 1
    )
    return VariableFigure(
        name=data.name, variable=data.variable, level=data.level.value, alpha=estimate,
        percent_agreement=agreement, kappa=value, kappa_kind=kind_name, kappa_units=kappa_units,
        units=len(data.units), pairable_values=estimate.pairable_values,
        disagreements=disagreements, notes=tuple(notes),
    )


def _plain(value: str | float) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return value
