"""The agreement report as rows of text for the Reliability view: one row per claim variable
and one per entity label, each alpha with its verdict against Krippendorff's thresholds, and
the disagreements behind the row."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from annotator.domain.agreement.report import (
    RELIABLE,
    TENTATIVE,
    AgreementReport,
    AlphaEstimate,
    Disagreement,
    EntityFigure,
    VariableFigure,
)

NONE = "—"


class Verdict(Enum):
    """Krippendorff (2004): rely on variables with alpha >= .800, draw tentative
    conclusions from .667 on, discard the rest. Each has a mark of its own shape and a word,
    so the verdict never rests on colour alone."""

    RELIABLE = ("●", "reliable ≥ .800", "#1b7f3b")
    TENTATIVE = ("◐", "tentative ≥ .667", "#b06d00")
    UNRELIABLE = ("○", "unreliable < .667", "#c62828")
    UNDEFINED = ("", "", "#707070")

    def __init__(self, mark: str, words: str, color: str) -> None:
        self.mark, self.words, self.color = mark, words, color

    @property
    def text(self) -> str:
        return f"{self.mark} {self.words}"


def verdict(alpha: float | None) -> Verdict:
    if alpha is None:
        return Verdict.UNDEFINED
    if alpha >= RELIABLE:
        return Verdict.RELIABLE
    return Verdict.TENTATIVE if alpha >= TENTATIVE else Verdict.UNRELIABLE


def number(value: float | None) -> str:
    return NONE if value is None else f"{value:.3f}"


def interval(ci: tuple[float, float] | None) -> str:
    return NONE if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def percent(value: float | None) -> str:
    return NONE if value is None else f"{100 * value:.1f} %"


@dataclass(frozen=True)
class FigureRow:
    """One row of a figures table: its cells, the alpha it is judged by, its notes."""

    name: str
    cells: tuple[str, ...]
    alpha: AlphaEstimate | None
    disagreements: tuple[Disagreement, ...]
    notes: tuple[str, ...] = ()
    summary: bool = False  # the overall row (all labels; claim units): shown in bold

    @property
    def verdict(self) -> Verdict:
        return verdict(self.alpha.alpha if self.alpha is not None else None)

    @property
    def verdict_text(self) -> str:
        """The mark and its words, or why there is no alpha (a null figure shows its note)."""
        if self.alpha is None:
            return ""
        if self.alpha.alpha is None:
            return self.alpha.note or "cannot be computed"
        return self.verdict.text


VARIABLE_COLUMNS = (
    "Variable", "Level", "Alpha", "Verdict", "95 % interval", "P(α < .667)", "P(α < .800)",
    "% agreement", "Kappa", "Units", "Pairable values", "Disagreements", "Notes",
)
ENTITY_COLUMNS = (
    "Label", "F1 exact", "F1 overlap", "Token alpha", "Verdict", "95 % interval", "Units",
    "Tokens", "Disagreements", "Notes",
)
#: where the verdict and the notes are in each table
VERDICT_COLUMN = {"variables": 3, "entities": 4}


def variable_rows(report: AgreementReport) -> list[FigureRow]:
    """The claim units first (unitizing: which spans the coders made claims of), then each
    variable, a multiple-choice one as one row per value."""
    unit_note = "" if report.f1_units is not None else "no claims in the documents compared"
    rows = [FigureRow(
        "claims (units)",
        ("claims (units)", "unitizing", NONE, "", NONE, NONE, NONE, NONE, NONE,
         f"{report.claim_units:,}", NONE, f"{len(report.unit_disagreements):,}",
         unit_note or f"unit F1 {number(report.f1_units)}: how far the coders marked the same claims"),
        None, report.unit_disagreements, (unit_note,) if unit_note else (), summary=True,
    )]
    rows.extend(_variable_row(v) for v in report.variables)
    return rows


def _variable_row(v: VariableFigure) -> FigureRow:
    a = v.alpha
    notes = tuple(n for n in (a.note, *v.notes) if n)
    kappa = NONE if v.kappa is None else f"{v.kappa:.3f} ({v.kappa_kind})"
    cells = (
        v.name, v.level, number(a.alpha), "", interval(a.ci95), number(a.p_below_0667),
        number(a.p_below_0800), percent(v.percent_agreement), kappa, f"{v.units:,}",
        f"{v.pairable_values:,}", f"{len(v.disagreements):,}", "; ".join(notes),
    )
    return FigureRow(v.name, cells, a, v.disagreements, notes)


def entity_rows(report: AgreementReport) -> list[FigureRow]:
    """All labels together first, then each label."""
    return [_entity_row(report.entities, summary=True)] + [_entity_row(f) for f in report.entity_labels]


def _entity_row(f: EntityFigure, summary: bool = False) -> FigureRow:
    a = f.alpha_tokens
    name = f.label if f.label is not None else "all labels"
    notes = tuple(n for n in (f.note, a.note) if n)
    cells = (
        name, number(f.f1_exact), number(f.f1_overlap), number(a.alpha), "", interval(a.ci95),
        f"{f.units:,}", f"{a.units:,}", f"{len(f.disagreements):,}", "; ".join(notes),
    )
    return FigureRow(name, cells, a, f.disagreements, notes, summary)


def scope_text(report: AgreementReport) -> str:
    """One line under the options: whose work, how many documents, how the intervals came."""
    documents = len(report.documents)
    which = "started or done" if report.include_unfinished else "marked done"
    return (
        f"{documents:,} document{'s' if documents != 1 else ''} {which} by at least two of "
        f"{', '.join(report.coders)} · 95 % intervals from {report.draws:,} bootstrap draws "
        f"(seed {report.seed})"
    )
