"""The reliability sheets of an export: Agreement (the figures of compute_agreement) and
Reliability (the data behind them, wide), with native charts, in xlsx and CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from openpyxl import load_workbook

from annotator.domain.agreement.report import RELIABLE, TENTATIVE
from annotator.domain.model import DocumentStatus
from annotator.services.agreement import compute_agreement
from annotator.services.export import ExportOptions, export_project
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.study import add_claim, add_document, add_entities, link, set_status

TEXT = "Sharif said the army will leave Lahore. Khan demanded new elections in Karachi today."
FIRST, SECOND = (0, 38), (40, 85)
DONE = DocumentStatus.DONE
CODERS = ("alice", "bob")

# per document: (alice's, bob's) values of the first claim; the second claim agrees
CODINGS = [
    ({"form": "statement", "position": 1, "amount": 3, "frames": ("security",), "anonymous": True,
      "claim_date": date(2024, 3, 1)},
     {"form": "statement", "position": 1, "amount": 3, "frames": ("security",), "anonymous": True,
      "claim_date": date(2024, 3, 1)}),
    ({"form": "demand", "position": 0, "amount": 10, "frames": ("economy",), "anonymous": False,
      "claim_date": date(2024, 3, 2)},
     {"form": "statement", "position": -1, "amount": 12, "frames": ("economy", "rights"),
      "anonymous": False, "claim_date": date(2024, 3, 5)}),
    ({"form": "demand", "position": -1, "amount": 7, "frames": ("rights",), "anonymous": True},
     {"form": "demand", "position": -1, "amount": 7.5, "frames": ("rights",), "anonymous": False}),
    ({"form": "statement", "position": 1, "frames": ("security", "economy")},
     {"form": "statement", "position": 0, "amount": 2, "frames": ("security",)}),
]


@pytest.fixture
def project(tmp_path: Path):
    with Project(tmp_path / "study.annotator", create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened


@pytest.fixture
def team(project: Project) -> Project:
    """Two coders, four documents both marked done, with some disagreements."""
    for n, (first, second) in enumerate(CODINGS):
        doc = add_document(project, TEXT + f" {n}", title=f"article {n}")
        for coder, values in zip(CODERS, (first, second), strict=True):
            entities = [(0, 6, "PERSON"), (32, 38, "LOCATION"), (40, 44, "PERSON")]
            if coder == "bob" and n % 2:
                entities = [(0, 6, "ORG"), (71, 78, "LOCATION")]
            ids = add_entities(project, doc, coder, entities)
            claimant = link(ids[(0, 6)], "Sharif")
            add_claim(project, doc, coder, *FIRST, {**values, "claimant": claimant})
            add_claim(project, doc, coder, *SECOND, {"form": "demand", "position": 0})
            set_status(project, doc, coder, DONE)
    # a third coder who only started: not counted, and no column of values
    set_status(project, add_document(project, TEXT + " later"), "carol", DocumentStatus.IN_PROGRESS)
    return project


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    book = load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    book.close()
    header = rows[0]  # a streamed sheet's rows end at their last value: pad them
    return [dict(zip(header, (*row, *[None] * len(header)), strict=False)) for row in rows[1:]]


def wide_alpha(rows: list[dict[str, object]], variable: str, coders: list[str], level: str) -> float:
    """Krippendorff's alpha from the Reliability sheet's rows of one variable."""
    chosen = [r for r in rows if r["variable"] == variable]
    values = sorted({r[c] for r in chosen for c in coders if r[c] is not None}, key=str)
    code = {v: float(i) for i, v in enumerate(values)} if level == "nominal" else None
    data = np.array([
        [np.nan if r[c] is None else (code[r[c]] if code else float(r[c])) for r in chosen]  # type: ignore[arg-type,index]
        for c in coders
    ])
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def test_agreement_sheet_holds_the_figures_of_compute_agreement(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.xlsx"
    summary = export_project(team, out)
    report = compute_agreement(team, ["alice", "bob", "carol"])
    assert list(summary.rows)[-2:] == ["Agreement", "Reliability"]
    rows = sheet_rows(out, "Agreement")
    by_name = {(r["section"], r["name"]): r for r in rows}

    assert by_name[("study", "coders")]["note"] == "alice, bob, carol"
    assert by_name[("study", "documents compared")]["documents"] == len(report.documents) == 4
    assert by_name[("study", "thresholds")]["tentative"] == TENTATIVE
    assert by_name[("study", "thresholds")]["reliable"] == RELIABLE
    for variable in report.variables:
        row = by_name[("claims", variable.name)]
        assert row["level"] == variable.level
        assert row["alpha"] == pytest.approx(variable.alpha.alpha) if variable.alpha.alpha is not None \
            else row["alpha"] is None and row["note"]
        if variable.alpha.ci95 is not None:
            assert (row["ci95_low"], row["ci95_high"]) == pytest.approx(variable.alpha.ci95)
        assert row["p_below_0800"] == pytest.approx(variable.alpha.p_below_0800)
        assert row["percent_agreement"] == pytest.approx(variable.percent_agreement)
        assert row["kappa"] == pytest.approx(variable.kappa)
        assert (row["units"], row["pairable_values"]) == (variable.units, variable.pairable_values)
        assert row["disagreements"] == len(variable.disagreements)
    entities = by_name[("entities", "entities")]
    assert entities["alpha"] == pytest.approx(report.entities.alpha_tokens.alpha)
    assert entities["f1_exact"] == pytest.approx(report.entities.f1_exact)
    assert entities["units"] == report.entities.alpha_tokens.units
    assert entities["mentions"] == report.entities.units
    assert by_name[("entities", "entities: ORG")]["alpha"] == pytest.approx(
        next(f for f in report.entity_labels if f.label == "ORG").alpha_tokens.alpha
    )
    assert by_name[("claim units", "claims")]["units"] == report.claim_units
    progress = {r["name"]: r for r in rows if r["section"] == "coder"}
    assert set(progress) == {"alice", "bob", "carol"}
    assert (progress["alice"]["done"], progress["alice"]["documents"]) == (4, 4)
    assert (progress["carol"]["in_progress"], progress["carol"]["not_started"]) == (1, 4)


def test_a_variable_without_variation_has_an_empty_alpha_and_a_note(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.xlsx"
    export_project(team, out)
    report = compute_agreement(team, ["alice", "bob", "carol"])
    undefined = [v for v in report.variables if v.alpha.alpha is None]
    assert undefined  # claimant: every claim links "Sharif"
    rows = {r["name"]: r for r in sheet_rows(out, "Agreement") if r["section"] == "claims"}
    for variable in undefined:
        assert rows[variable.name]["alpha"] is None
        assert variable.alpha.note in str(rows[variable.name]["note"])


def test_reliability_rows_reproduce_alpha(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.xlsx"
    export_project(team, out)
    report = compute_agreement(team, ["alice", "bob", "carol"])
    rows = sheet_rows(out, "Reliability")
    assert list(rows[0])[:7] == ["document_id", "unit", "start", "end", "text", "variable", "level"]
    assert list(rows[0])[7:] == ["alice", "bob", "carol"]
    assert all(r["carol"] is None for r in rows)  # started, not done: missing, never a disagreement
    for variable in report.variables:
        if variable.alpha.alpha is None:
            continue
        assert wide_alpha(rows, variable.name, ["alice", "bob", "carol"], variable.level) == \
            pytest.approx(variable.alpha.alpha, abs=1e-9), variable.name
    assert wide_alpha(rows, "entity label", ["alice", "bob"], "nominal") == \
        pytest.approx(report.entities.alpha_tokens.alpha, abs=1e-9)
    # values as written: numbers as numbers, codes as text, yes/no 1/0, dates in days
    first = {r["variable"]: r for r in rows if r["document_id"] == 1 and r["unit"] == "claim 1"}
    assert first["form"]["alice"] == "statement" and first["amount"]["bob"] == 3
    assert first["anonymous"]["alice"] == 1 and first["frames=security"]["bob"] == 1
    assert first["claim_date"]["alice"] == (date(2024, 3, 1) - date(1970, 1, 1)).days
    assert first["claimant"]["alice"] == "Sharif" and first["form"]["text"] == TEXT[slice(*FIRST)]
    tokens = [r for r in rows if r["variable"] == "entity label" and r["document_id"] == 2]
    assert (tokens[0]["text"], tokens[0]["alice"], tokens[0]["bob"]) == ("Sharif", "PERSON", "ORG")
    assert tokens[1]["alice"] == tokens[1]["bob"] == "none"


def test_charts_are_native_excel_charts(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.xlsx"
    export_project(team, out)
    book = load_workbook(out)
    charts = book["Agreement"]._charts
    assert len(charts) == 2
    alpha, progress = charts
    assert [s.tx.strRef is None and s.tx.v for s in alpha.series] == ["alpha"]
    assert [s.tx.v for s in alpha._charts[1].series] == ["tentative", "reliable"]  # the threshold lines
    assert progress.grouping == "stacked"
    assert [s.tx.v for s in progress.series] == ["done", "in_progress", "not_started"]
    rows = sheet_rows(out, "Agreement")
    first_alpha = next(i for i, r in enumerate(rows, start=2) if r["section"] == "entities")
    assert alpha.series[0].val.numRef.f == (
        f"'Agreement'!$D${first_alpha}:$D${first_alpha + sum(r['section'] in ('entities', 'claims') for r in rows) - 1}"
    )
    assert book["Documents"]._charts == []


def test_a_single_coder_project_is_exported_as_before(project: Project, tmp_path: Path) -> None:
    doc = add_document(project, TEXT)
    add_entities(project, doc, "alice", [(0, 6, "PERSON")])
    add_claim(project, doc, "alice", *FIRST, {"form": "statement"})
    set_status(project, doc, "alice", DONE)
    summary = export_project(project, tmp_path / "one.xlsx")
    assert list(summary.rows) == ["Documents", "Entities", "Claims", "Codebook", "Summary", "Matrix"]
    assert load_workbook(tmp_path / "one.xlsx").sheetnames == list(summary.rows)


def test_the_sheets_can_be_left_out_and_one_coders_export_has_none(team: Project, tmp_path: Path) -> None:
    summary = export_project(team, tmp_path / "without.xlsx", ExportOptions(agreement=False))
    assert "Agreement" not in summary.rows and "Reliability" not in summary.rows
    summary = export_project(team, tmp_path / "alice.xlsx", ExportOptions(coder="alice"))
    assert "Agreement" not in summary.rows


def test_csv_export_has_the_two_files(team: Project, tmp_path: Path) -> None:
    summary = export_project(team, tmp_path / "csv", ExportOptions(format="csv"))
    assert Path(summary.files["Agreement"]).name == "Agreement.csv"
    with open(summary.files["Reliability"], encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    xlsx = tmp_path / "same.xlsx"
    export_project(team, xlsx)
    assert len(rows) == len(sheet_rows(xlsx, "Reliability"))
    amount = next(r for r in rows if r["variable"] == "amount" and r["bob"] == "7.5")
    assert amount["alice"] == "7" and amount["carol"] == ""


def test_libreoffice_opens_the_reliability_sheets(team: Project, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-calc-nogui)")
    out = tmp_path / "study.xlsx"
    export_project(team, out)
    # sheet 7 (Agreement, with its charts) to CSV: LibreOffice read the workbook and its charts
    result = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,7",
         "--outdir", str(tmp_path / "lo-out"), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    converted = sorted((tmp_path / "lo-out").glob("*.csv"))
    assert converted, result.stdout
    text = converted[0].read_text(encoding="utf-8")
    assert "documents compared" in text and "entities: PERSON" in text


def test_cli_export_lists_the_sheets_and_no_agreement_leaves_them_out(
    team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli.main import run

    team.close()
    assert run(["export", str(team.path), str(tmp_path / "with.xlsx")], open_gui=lambda _r: 0) == 0
    assert "Agreement" in capsys.readouterr().out
    assert run(["export", str(team.path), str(tmp_path / "without.xlsx"), "--no-agreement"],
               open_gui=lambda _r: 0) == 0
    assert "Agreement" not in capsys.readouterr().out
    assert "Agreement" not in load_workbook(tmp_path / "without.xlsx", read_only=True).sheetnames


def test_two_coders_with_no_document_in_common_get_the_sheets_with_a_note(
    project: Project, tmp_path: Path
) -> None:
    for coder in CODERS:
        doc = add_document(project, TEXT + f" {coder}")
        add_claim(project, doc, coder, *FIRST, {"form": "statement"})
        set_status(project, doc, coder, DONE)
    out = tmp_path / "apart.xlsx"
    summary = export_project(project, out)
    assert summary.rows["Reliability"] == 0
    notes = [r["note"] for r in sheet_rows(out, "Agreement") if r["name"] == "note"]
    assert notes and "no document was marked done by two of the coders" in str(notes[0])
    assert len(load_workbook(out)["Agreement"]._charts) == 2  # progress; alpha bars are empty


def test_a_value_column_keeps_numbers_and_never_makes_a_formula(tmp_path: Path) -> None:
    from annotator.io.export import Column, ColumnType, Sheet, write_csv_folder, write_workbook

    sheet = lambda: Sheet("Values", [Column("v", ColumnType.VALUE)],  # noqa: E731
                          [[3], [7.5], [True], ["=1+1"], ["statement"], [None], [float("nan")]])
    write_workbook(tmp_path / "v.xlsx", [sheet()])
    cells = [row[0] for row in load_workbook(tmp_path / "v.xlsx")["Values"].iter_rows(values_only=True)]
    assert cells == ["v", 3, 7.5, 1, "=1+1", "statement"]  # empty rows at the end are not stored
    assert load_workbook(tmp_path / "v.xlsx")["Values"]["A5"].data_type == "s"
    files = write_csv_folder(tmp_path / "csv", [sheet()])
    lines = files["Values"].read_text(encoding="utf-8-sig").splitlines()
    assert lines[:6] == ["v", "3", "7.5", "1", "'=1+1", "statement"] and len(lines) == 8


def test_progress_says_when_the_figures_are_computed(team: Project, tmp_path: Path) -> None:
    reports: list[tuple[str, int]] = []
    export_project(team, tmp_path / "study.xlsx", progress=lambda sheet, rows: reports.append((sheet, rows)))
    sheets = [sheet for sheet, _rows in reports]
    assert sheets.index("Agreement") > sheets.index("Matrix")  # the usual sheets are out first
    assert reports[sheets.index("Agreement")] == ("Agreement", 0)
    assert sheets[-1] == "Reliability"
