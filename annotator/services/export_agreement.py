"""The reliability sheets of an export (issue 12.7): Agreement and Reliability, with charts.

When a project has at least two coders with work (a document in progress or done), the
workbook (or CSV folder) gets two more sheets after the usual ones:

- **Agreement**: the figures of ``compute_agreement`` (alpha with its bootstrap interval and
  the share of draws below the thresholds, percent agreement, kappa, F1), each with its n, the
  coders and documents they come from, the thresholds and a note for every figure that could
  not be computed; plus one row per coder with their progress. Two native charts: alpha per
  variable against the 0.667 and 0.800 thresholds, and the coders' progress;
- **Reliability**: the data behind each alpha in wide form (``export_reliability``).

The figures are computed when the writer reaches these sheets, after the others are out, so
the usual sheets stream as before; the agreement study itself is held in memory while its
sheets are written (it is what ``annotator agreement`` reads too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from annotator.domain.agreement.report import RELIABLE, TENTATIVE, AgreementReport, AlphaEstimate
from annotator.io.export import Chart, Column, ColumnType, Sheet
from annotator.services.agreement import compute_agreement
from annotator.services.agreement.reading import FINAL_LAYER, read_study
from annotator.services.coders import CoderProgress, CoderService
from annotator.services.export_reliability import RELIABILITY_CODING, reliability_sheet
from annotator.services.export_sheets import ExportOptions
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository

TXT, INT, NUM = ColumnType.TEXT, ColumnType.INTEGER, ColumnType.NUMBER

AGREEMENT_COLUMNS = (
    Column("section", TXT, 12), Column("name", TXT, 28), Column("level", TXT, 9),
    Column("alpha", NUM), Column("ci95_low", NUM), Column("ci95_high", NUM),
    Column("p_below_0667", NUM), Column("p_below_0800", NUM),
    Column("tentative", NUM), Column("reliable", NUM),
    Column("percent_agreement", NUM), Column("kappa", NUM), Column("kappa_kind", TXT, 11),
    Column("f1_exact", NUM), Column("f1_overlap", NUM),
    Column("units", INT), Column("pairable_values", INT), Column("mentions", INT),
    Column("disagreements", INT), Column("documents", INT),
    Column("done", INT), Column("in_progress", INT), Column("not_started", INT),
    Column("note", TXT, 70),
)
_WIDTH = len(AGREEMENT_COLUMNS)
_AT = {column.name: i for i, column in enumerate(AGREEMENT_COLUMNS)}


def agreement_sheets(
    project: Project, options: ExportOptions, check: Callable[[], None] = lambda: None,
    progress: Callable[[str, int], None] | None = None,
) -> Iterator[Sheet]:
    """The Agreement and Reliability sheets, or nothing: with ``options.agreement`` off, for
    one coder's export, or when fewer than two coders have work. A generator, so nothing is
    computed before the writer asks for these sheets; ``progress("Agreement", 0)`` says that
    the figures are being computed (a few seconds on a large study)."""
    if not options.agreement or options.coder is not None:
        return
    team = [p for p in CoderService(project).progress() if p.name != FINAL_LAYER]
    coders = [p.name for p in team if p.in_progress or p.done]
    if len(coders) < 2:
        return
    check()
    if progress is not None:
        progress("Agreement", 0)
    report = compute_agreement(project, coders)
    check()
    study = read_study(project, coders)
    with project.read_session() as session:
        total = DocumentRepository(session).count()
    working = [p for p in team if p.name in coders]
    compared = {c: sum(1 for d in study.documents if c in d.coders) for c in coders}
    yield agreement_sheet(report, working, compared, total)
    yield reliability_sheet(study, check)


def agreement_sheet(
    report: AgreementReport, progress: Sequence[CoderProgress], compared: dict[str, int], total: int
) -> Sheet:
    rows = [*_study_rows(report), *(_coder_row(p, compared.get(p.name, 0), total) for p in progress)]
    coders_first, coders_last = len(rows) - len(progress) + 1, len(rows)
    alphas = [*_entity_rows(report), *_variable_rows(report)]
    alpha_first = len(rows) + 1
    rows += alphas
    alpha_last = len(rows)
    rows += _unit_rows(report)
    charts = [
        Chart("Krippendorff's alpha per variable, against 0.667 and 0.800", "name", ["alpha"],
              alpha_first, alpha_last, lines=["tentative", "reliable"], y_title="alpha", y_max=1.0,
              y_format="0.0", y_step=0.2),
        Chart("Coders' progress (documents)", "name", ["done", "in_progress", "not_started"],
              coders_first, coders_last, stacked=True, y_title="documents"),
    ]
    return Sheet("Agreement", AGREEMENT_COLUMNS, rows, charts=charts)


def _row(section: str, name: str, **values: object) -> list[object]:
    row: list[object] = [None] * _WIDTH
    row[0], row[1] = section, name
    for key, value in values.items():
        row[_AT[key]] = value
    return row


def _study_rows(report: AgreementReport) -> list[list[object]]:
    counted = "done or in progress" if report.include_unfinished else "marked done"
    rows = [
        _row("study", "coders", note=", ".join(report.coders)),
        _row("study", "documents compared", documents=len(report.documents),
             note=f"documents {counted} by at least two of the coders; only these count"),
        _row("study", "bootstrap",
             note=f"{report.draws:,} draws resampling units (seed {report.seed}): the 95 % interval "
                  "and the share of draws below each threshold"),
        _row("study", "thresholds", tentative=TENTATIVE, reliable=RELIABLE,
             note="Krippendorff: alpha >= 0.800 reliable; 0.667 to 0.800 for tentative conclusions "
                  "only; below 0.667 do not rely on the variable"),
        _row("study", "Reliability sheet", note=RELIABILITY_CODING),
    ]
    rows += [_row("study", "note", note=note) for note in report.notes]
    return rows


def _coder_row(p: CoderProgress, compared: int, total: int) -> list[object]:
    # without assignments every document is a coder's to code
    planned = p.assigned or total
    return _row("coder", p.name, documents=compared, done=p.done, in_progress=p.in_progress,
                not_started=max(planned - p.done - p.in_progress, 0),
                note=f"{p.role.value}; {p.assigned:,} assigned" if p.assigned else p.role.value)


def _alpha(a: AlphaEstimate) -> dict[str, object]:
    low, high = a.ci95 if a.ci95 is not None else (None, None)
    return dict(alpha=a.alpha, ci95_low=low, ci95_high=high, p_below_0667=a.p_below_0667,
                p_below_0800=a.p_below_0800, tentative=TENTATIVE, reliable=RELIABLE,
                units=a.units, pairable_values=a.pairable_values)


def _entity_rows(report: AgreementReport) -> Iterator[list[object]]:
    for figure in (report.entities, *report.entity_labels):
        name = "entities" if figure.label is None else f"entities: {figure.label}"
        note = "; ".join(n for n in (figure.note, figure.alpha_tokens.note) if n)
        yield _row("entities", name, level="nominal", **_alpha(figure.alpha_tokens),
                   f1_exact=figure.f1_exact, f1_overlap=figure.f1_overlap, mentions=figure.units,
                   disagreements=len(figure.disagreements), documents=len(report.documents),
                   note=note or "alpha over tokens (units: tokens); F1 averaged over coder pairs")


def _variable_rows(report: AgreementReport) -> Iterator[list[object]]:
    for v in report.variables:
        note = "; ".join(n for n in (v.alpha.note, *v.notes) if n)
        kappa_n = f"kappa over the {v.kappa_units:,} units every coder coded" if v.kappa is not None else ""
        figures = {**_alpha(v.alpha), "units": v.units}  # matched claim units, as in --json
        yield _row("claims", v.name, level=v.level, **figures,
                   percent_agreement=v.percent_agreement, kappa=v.kappa, kappa_kind=v.kappa_kind,
                   disagreements=len(v.disagreements),
                   documents=len(report.documents), note="; ".join(n for n in (note, kappa_n) if n) or None)


def _unit_rows(report: AgreementReport) -> Iterator[list[object]]:
    yield _row("claim units", "claims", f1_overlap=report.f1_units, units=report.claim_units,
               disagreements=len(report.unit_disagreements), documents=len(report.documents),
               note="claims of two coders are one unit when they overlap by at least half of the "
                    "shorter; a claim alone in its unit is a unitizing disagreement"
                    + ("" if report.f1_units is not None else "; no claims in the documents compared"))
    for pair, f1 in report.unit_pairs.items():
        yield _row("coder pairs", f"claims {pair}", f1_overlap=f1)
    for pair, (exact, loose) in report.entities.pairs.items():
        yield _row("coder pairs", f"entities {pair}", f1_exact=exact, f1_overlap=loose)
