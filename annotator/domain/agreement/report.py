"""The agreement figures as plain values: what the CLI prints, and what a Reliability view or
a workbook sheet can show without recomputing. Each figure keeps the disagreements behind it
(document and offsets), so a screen can open the document at each one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.domain.ids import DocumentId

#: Krippendorff's thresholds: below 0.667 data are discarded, 0.800 is reliable
TENTATIVE, RELIABLE = 0.667, 0.800


@dataclass(frozen=True)
class Disagreement:
    """A place where the coders differ: each coder's coding there (None: nothing)."""

    document_id: DocumentId
    start: int
    end: int
    values: Mapping[str, str | None]


@dataclass(frozen=True)
class AlphaEstimate:
    """Krippendorff's alpha with its bootstrap interval; None (with a note) when undefined."""

    alpha: float | None
    ci95: tuple[float, float] | None = None
    p_below_0667: float | None = None  # share of bootstrap draws below 0.667
    p_below_0800: float | None = None
    units: int = 0  # units with at least two values
    pairable_values: int = 0  # the values in them
    note: str = ""


@dataclass(frozen=True)
class EntityFigure:
    """Entity agreement for one label (``label`` None: all labels together)."""

    label: str | None
    f1_exact: float | None  # averaged over coder pairs
    f1_overlap: float | None
    pairs: Mapping[str, tuple[float | None, float | None]]  # "alice/bob" -> (exact, overlap)
    alpha_tokens: AlphaEstimate
    units: int  # entity mentions: places at least one coder marked
    disagreements: tuple[Disagreement, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class VariableFigure:
    """Agreement on one claim variable (or one value of a multiple-choice one)."""

    name: str
    variable: str
    level: str
    alpha: AlphaEstimate
    percent_agreement: float | None
    kappa: float | None
    kappa_kind: str  # "cohen" (two coders) or "fleiss" (more)
    kappa_units: int  # units every coder coded (kappa needs complete units)
    units: int  # matched claim units
    pairable_values: int
    disagreements: tuple[Disagreement, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    documents: tuple[DocumentId, ...]
    include_unfinished: bool
    draws: int
    seed: int
    entities: EntityFigure
    entity_labels: tuple[EntityFigure, ...]
    claim_units: int
    f1_units: float | None
    unit_pairs: Mapping[str, float | None]
    unit_disagreements: tuple[Disagreement, ...]
    variables: tuple[VariableFigure, ...] = ()
    notes: tuple[str, ...] = field(default=())


def report_to_dict(report: AgreementReport) -> dict[str, Any]:
    """The report as one JSON-ready object (``annotator agreement --json``)."""
    claims: dict[str, Any] = {
        "units": report.claim_units,
        "f1_units": report.f1_units,
        "pairs": dict(report.unit_pairs),
        "unitizing_disagreements": len(report.unit_disagreements),
        "variables": {v.name: _variable(v) for v in report.variables},
    }
    if report.f1_units is None:
        claims["note"] = "no claims in the documents compared"
    result: dict[str, Any] = {
        "coders": list(report.coders),
        "documents": len(report.documents),
        "include_unfinished": report.include_unfinished,
        "bootstrap": {"draws": report.draws, "seed": report.seed},
        "entities": {
            "overall": _entity(report.entities),
            "labels": {f.label: _entity(f) for f in report.entity_labels},
        },
        "claims": claims,
    }
    if report.notes:
        result["notes"] = list(report.notes)
    return result


def _alpha(a: AlphaEstimate, key: str) -> dict[str, Any]:
    return {
        key: a.alpha,
        "ci95": list(a.ci95) if a.ci95 is not None else None,
        "p_below_0667": a.p_below_0667,
        "p_below_0800": a.p_below_0800,
    }


def _entity(f: EntityFigure) -> dict[str, Any]:
    data: dict[str, Any] = {"f1_exact": f.f1_exact, "f1_overlap": f.f1_overlap}
    alpha = _alpha(f.alpha_tokens, "alpha_tokens")
    data["alpha_tokens"] = alpha.pop("alpha_tokens")
    data.update({f"alpha_tokens_{k}": v for k, v in alpha.items()})
    data.update({
        "units": f.units,
        "tokens": f.alpha_tokens.units,
        "pairable_values": f.alpha_tokens.pairable_values,
        "pairs": {k: {"f1_exact": e, "f1_overlap": o} for k, (e, o) in f.pairs.items()},
        "disagreements": len(f.disagreements),
    })
    notes = [n for n in (f.note, f.alpha_tokens.note) if n]
    if notes:
        data["note"] = "; ".join(notes)
    return data


def _variable(v: VariableFigure) -> dict[str, Any]:
    data: dict[str, Any] = {"level": v.level, **_alpha(v.alpha, "alpha")}
    data.update({
        "percent_agreement": v.percent_agreement,
        "kappa": v.kappa,
        "kappa_kind": v.kappa_kind,
        "kappa_units": v.kappa_units,
        "units": v.units,
        "pairable_values": v.pairable_values,
        "disagreements": len(v.disagreements),
    })
    notes = [n for n in (v.alpha.note, *v.notes) if n]
    if notes:
        data["note"] = "; ".join(notes)
    return data
