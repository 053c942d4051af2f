"""`annotator agreement PROJECT`: inter-coder reliability, as a table or one JSON object."""

from __future__ import annotations

import argparse
import json
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.domain.agreement.report import (
    RELIABLE,
    TENTATIVE,
    AgreementReport,
    AlphaEstimate,
    report_to_dict,
)
from annotator.services.agreement import DEFAULT_SEED, MIN_DRAWS, compute_agreement


def register(sub: Any) -> None:
    p = sub.add_parser(
        "agreement",
        help="inter-coder reliability: Krippendorff's alpha, F1, kappa per label and variable",
        description=(
            "Agreement between coders on the documents at least two of them marked done: entity "
            "F1 (exact and overlap) and alpha over tokens, claim unit F1, and per claim variable "
            "Krippendorff's alpha at its level with a bootstrap 95% interval, percent agreement "
            "and Cohen's (two coders) or Fleiss' (more) kappa. See docs/reliability.md."
        ),
    )
    p.add_argument("project", type=project_location, help="the project file (.annotator)")
    p.add_argument("--coders", type=_names, metavar="A,B,...",
                   help="the coders to compare (default: every coder)")
    p.add_argument("--include-unfinished", action="store_true",
                   help="also count documents a coder has started but not marked done")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of the bootstrap (default {DEFAULT_SEED}): the same seed, the same intervals")
    p.add_argument("--draws", type=int, default=MIN_DRAWS,
                   help=f"bootstrap draws per alpha (default and minimum {MIN_DRAWS:,})")
    p.set_defaults(handler=cmd_agreement)


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected coder names separated by commas, e.g. alice,bob")
    return names


def cmd_agreement(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True, require_labels=False) as project:
        report = compute_agreement(
            project, coders=args.coders, include_unfinished=args.include_unfinished,
            draws=args.draws, seed=args.seed,
        )
    if args.json:
        print(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False))
    else:
        print(render(report))
    return 0


def render(report: AgreementReport) -> str:
    """The report as a terminal table."""
    scope = "started or done" if report.include_unfinished else "marked done"
    lines = [
        f"Coders: {', '.join(report.coders)}. Documents {scope} by at least two of them: "
        f"{len(report.documents)}. Bootstrap: {report.draws:,} draws, seed {report.seed}.",
        f"Alpha: >= {RELIABLE:.3f} reliable, >= {TENTATIVE:.3f} tentative, below: not reliable.",
        *(f"Note: {n}" for n in report.notes),
        "",
        "Entities            F1 exact  F1 overlap  alpha (tokens)  95% interval     mentions",
    ]
    for figure in (report.entities, *report.entity_labels):
        name = figure.label or "all labels"
        lines.append(
            f"{name[:18]:<18}  {_num(figure.f1_exact):>8}  {_num(figure.f1_overlap):>10}  "
            f"{_num(figure.alpha_tokens.alpha):>14}  {_ci(figure.alpha_tokens):<15}  {figure.units:>8}"
        )
    lines += [
        "",
        f"Claims: {report.claim_units} units, unit F1 {_num(report.f1_units)}, "
        f"{len(report.unit_disagreements)} claimed by some coders only",
        "",
        "Variable              level     alpha   95% interval     P(<.667)  %agree  kappa"
        "          units  values",
    ]
    for v in report.variables:
        kappa = f"{_num(v.kappa)} {v.kappa_kind[0].upper()}" if v.kappa is not None else "—"
        lines.append(
            f"{v.name[:20]:<20}  {v.level:<8}  {_num(v.alpha.alpha):>6}  {_ci(v.alpha):<15}  "
            f"{_num(v.alpha.p_below_0667, 2):>8}  {_pct(v.percent_agreement):>6}  {kappa:<13}  "
            f"{v.units:>5}  {v.pairable_values:>6}  {_verdict(v.alpha.alpha)}"
        )
    notes = [(v.name, n) for v in report.variables for n in (v.alpha.note, *v.notes) if n]
    notes += [(f.label or "entities", f.alpha_tokens.note) for f in (report.entities, *report.entity_labels)
              if f.alpha_tokens.note]
    if notes:
        lines += ["", *(f"{name}: {note}" for name, note in notes)]
    lines += ["", "kappa: C = Cohen's (two coders), F = Fleiss' (more); — where it cannot be computed."]
    return "\n".join(lines)


def _num(value: float | None, places: int = 3) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _ci(a: AlphaEstimate) -> str:
    return "—" if a.ci95 is None else f"[{a.ci95[0]:.3f}, {a.ci95[1]:.3f}]"


def _verdict(alpha: float | None) -> str:
    if alpha is None:
        return ""
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "not reliable"
