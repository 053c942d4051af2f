"""Exported workbooks reopened with openpyxl and checked sheet by sheet against the project."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from threading import Event

import pytest
from openpyxl import load_workbook

from annotator.domain.errors import ExportError
from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.services.claims import ClaimCoding
from annotator.services.corrections import Corrections
from annotator.services.export import ExportCancelled, ExportOptions, export_project
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository

URDU = "وزیر اعظم شہباز شریف نے کہا۔ 🎉 总理 visited Lahore."
EVIL = "=HYPERLINK(\"http://evil\",\"click\") said Sharif.\n@cmd and -2+3 and +SUM(A1)\x0b\x00 end."


def add(project: Project, text: str, title: str, **extra: object) -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=text, title=title, **extra))  # type: ignore[arg-type]


@pytest.fixture
def coded(project: Project) -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["urdu"] = add(project, URDU, "اردو خبر", published=date(2024, 6, 22), source="Dawn")
    ids["evil"] = add(project, EVIL, "=1+1")
    ids["long"] = add(project, "Long " + "word " * 9000, "Long article")
    corrections = Corrections(project, coder="ayesha")
    lahore = URDU.index("Lahore")
    ids["lahore"] = corrections.create(ids["urdu"], lahore, lahore + 6, "LOCATION").after.id  # type: ignore[union-attr]
    sharif = EVIL.index("Sharif")
    ids["sharif"] = corrections.create(ids["evil"], sharif, sharif + 6, "PERSON").after.id  # type: ignore[union-attr]
    with project.session() as session:
        SpanRepository(session).add(EntitySpan(
            document_id=ids["evil"], start=EVIL.index("cmd"), end=EVIL.index("cmd") + 3, text="cmd",
            label="ORG", origin=SpanOrigin.MODEL, status=SpanStatus.SUGGESTED, model_name="m",
            model_version="1"))
    coding = ClaimCoding(project, coder="ayesha")
    claim = coding.create(ids["evil"], 0, EVIL.index("\n")).after
    ids["claim"] = claim.id  # type: ignore[union-attr]
    for name, value in [("claimant", ids["sharif"]), ("form", "statement"), ("position", 1),
                        ("frames", ["security"]), ("claim_date", "2024-06-22"), ("anonymous", True)]:
        coding.set_value(claim.id, name, value)  # type: ignore[union-attr]
    coding.create(ids["urdu"], 0, 10)  # incomplete
    corrections.set_document_status(ids["urdu"], DocumentStatus.DONE)
    return ids


def rows(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = load_workbook(path)[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def test_every_sheet_matches_the_project(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "study.xlsx"
    summary = export_project(project, out, ExportOptions(include_text=True))
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Documents", "Entities", "Claims", "Codebook", "Summary", "Matrix"]
    assert summary.rows["Entities"] == 2  # only final entities by default

    docs = {r["document_id"]: r for r in rows(out, "Documents")}
    urdu = docs[coded["urdu"]]
    assert urdu["title"] == "اردو خبر" and urdu["text"] == URDU
    assert urdu["published"] == datetime(2024, 6, 22) and urdu["status"] == "done"
    assert (urdu["entities_accepted"], urdu["claims_complete"], urdu["claims_incomplete"]) == (1, 0, 1)
    assert isinstance(urdu["word_count"], int) and isinstance(urdu["imported_at"], datetime)
    evil = docs[coded["evil"]]
    assert evil["title"] == "=1+1"  # text, not a formula
    assert evil["text"] == EVIL.replace("\x0b", "").replace("\x00", "")  # forbidden characters removed
    long_text = docs[coded["long"]]["text"]
    assert isinstance(long_text, str) and len(long_text) <= 32767 and "cut" in long_text[-60:]

    entities = {r["entity_id"]: r for r in rows(out, "Entities")}
    lahore = entities[coded["lahore"]]
    assert (lahore["text"], lahore["label"], lahore["status"], lahore["origin"], lahore["coder"]) == (
        "Lahore", "LOCATION", "accepted", "manual", "ayesha")
    assert lahore["start"] == URDU.index("Lahore") and isinstance(lahore["start"], int)
    assert lahore["sentence"] == "🎉 总理 visited Lahore."
    assert isinstance(lahore["last_change"], datetime)

    claims = rows(out, "Claims")
    assert len(claims) == 2
    claim = next(c for c in claims if c["claim_id"] == coded["claim"])
    assert (claim["claimant"], claim["claimant_entity_id"]) == ("Sharif", coded["sharif"])
    assert (claim["form"], claim["position"], claim["frames_security"], claim["frames_rights"]) == (
        "statement", 1, 1, 0)
    assert claim["claim_date"] == datetime(2024, 6, 22) and claim["anonymous"] == 1
    assert claim["complete"] == 1 and claim["coder"] == "ayesha"
    assert str(claim["claim_text"]).startswith("=HYPERLINK")
    incomplete = next(c for c in claims if c["claim_id"] != coded["claim"])
    assert incomplete["complete"] == 0 and incomplete["missing"] == "claimant, form, position"
    assert incomplete["frames_security"] is None  # not coded is blank, not "no"
    header = [c.value for c in load_workbook(out)["Claims"][1]]
    assert header.index("claimant") < header.index("form") < header.index("frames_security")

    codebook = rows(out, "Codebook")
    assert {r["name"] for r in codebook if r["section"] == "entity label"} == {"PERSON", "ORG", "LOCATION"}
    position = next(r for r in codebook if r["name"] == "position")
    assert (position["kind"], position["minimum"], position["maximum"], position["required"]) == ("scale", -1, 1, 1)
    person_cell = next(c for c in load_workbook(out)["Codebook"]["E"] if c.value == "#0072B2")
    assert person_cell.fill.fgColor.rgb.endswith("0072B2")

    summary_rows = rows(out, "Summary")
    assert ("entities by label and status", "LOCATION", "accepted", 1) in [tuple(r.values()) for r in summary_rows]
    assert ("work by coder", "ayesha", "claims coded", 2) in [tuple(r.values()) for r in summary_rows]

    matrix = {r["document_id"]: r for r in rows(out, "Matrix")}
    assert (matrix[coded["evil"]]["PERSON"], matrix[coded["evil"]]["ORG"], matrix[coded["evil"]]["claims"]) == (1, 0, 1)

    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode("utf-8")
    ws = workbook["Entities"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws["A1"].font.bold


def test_suggestions_and_status_filter(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    export_project(project, out, ExportOptions(include_suggestions=True))
    statuses = {r["text"]: r["status"] for r in rows(out, "Entities")}
    assert statuses["cmd"] == "suggested"
    done = tmp_path / "done.xlsx"
    export_project(project, done, ExportOptions(status=DocumentStatus.DONE))
    assert [r["document_id"] for r in rows(done, "Documents")] == [coded["urdu"]]
    assert {r["document_id"] for r in rows(done, "Entities")} == {coded["urdu"]}


def test_empty_project_exports_headers_only(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsx"
    summary = export_project(project, out)
    assert summary.rows["Documents"] == 0
    assert load_workbook(out)["Documents"]["A1"].value == "document_id"


def test_csv_export_is_injection_safe_with_a_bom(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    summary = export_project(project, tmp_path / "csv", ExportOptions(format="csv"))
    path = Path(summary.files["Documents"])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert "'=1+1" in titles and "اردو خبر" in titles


def test_bad_targets_and_cancel_leave_nothing(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"ending in \.xlsx"):
        export_project(project, tmp_path / "out.txt")
    with pytest.raises(ExportError, match="missing"):
        export_project(project, tmp_path / "missing" / "out.xlsx")
    cancel = Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export_project(project, tmp_path / "cancelled.xlsx", cancel=cancel)
    assert not (tmp_path / "cancelled.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_libreoffice_opens_the_export(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-calc-nogui)")
    out = tmp_path / "study.xlsx"
    export_project(project, out)
    result = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
         "--outdir", str(tmp_path / "lo-out"), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    converted = sorted((tmp_path / "lo-out").glob("*.csv"))
    assert converted, result.stdout
    text = "\n".join(p.read_text(encoding="utf-8") for p in converted)
    assert "=1+1" in text and "Lahore" in text


def test_claim_counts_follow_the_domain_rule(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    """The export counts completeness in SQL; it must agree with domain.codebook.is_complete."""
    from annotator.domain.codebook import is_complete
    from annotator.services.stats import project_stats

    Corrections(project, coder="ayesha").delete(coded["sharif"])  # the claimant goes: flagged for review
    out = tmp_path / "after.xlsx"
    export_project(project, out)
    docs = {r["document_id"]: r for r in rows(out, "Documents")}
    coding = ClaimCoding(project)
    codebook = coding.codebook()
    for doc_id in (coded["evil"], coded["urdu"]):
        claims = coding.claims(doc_id)  # type: ignore[arg-type]
        complete = sum(is_complete(codebook, c) for c in claims)
        assert (docs[doc_id]["claims_complete"], docs[doc_id]["claims_incomplete"]) == (
            complete, len(claims) - complete)
    assert docs[coded["evil"]]["claims_incomplete"] == 1
    assert project_stats(project)["claims_incomplete"] == 2
    claim = next(r for r in rows(out, "Claims") if r["claim_id"] == coded["claim"])
    assert (claim["claimant"], claim["claimant_entity_id"], claim["needs_review"]) == ("Sharif", None, 1)


def test_an_entity_a_claim_links_to_is_exported_even_as_a_suggestion(
    project: Project, coded: dict[str, int], tmp_path: Path
) -> None:
    """The claimant proposal may link an undecided suggestion: the claim's entity id must still
    be found in the Entities sheet of an export of accepted entities."""
    with project.session() as session:
        start = EVIL.index("evil")
        other = SpanRepository(session).add(EntitySpan(
            document_id=coded["evil"], start=start, end=start + 4, text="evil", label="ORG",
            origin=SpanOrigin.MODEL, status=SpanStatus.SUGGESTED, model_name="m", model_version="1"))
    ClaimCoding(project, coder="ayesha").set_value(coded["claim"], "claimant", other.id)  # type: ignore[arg-type]
    out = tmp_path / "linked.xlsx"
    export_project(project, out)
    entities = {r["entity_id"]: r for r in rows(out, "Entities")}
    assert entities[other.id]["status"] == "suggested"
    assert "cmd" not in {r["text"] for r in entities.values()}  # other suggestions stay out
    claim = next(c for c in rows(out, "Claims") if c["claim_id"] == coded["claim"])
    assert claim["claimant_entity_id"] == other.id
    matrix = {r["document_id"]: r for r in rows(out, "Matrix")}
    assert matrix[coded["evil"]]["ORG"] == 0  # the counts stay those of accepted entities


def test_short_code_columns_are_narrow(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    """Status and origin hold one short word: no 40-character columns to scroll past."""
    out = tmp_path / "widths.xlsx"
    export_project(project, out)
    workbook = load_workbook(out)
    for sheet, name in [("Documents", "status"), ("Entities", "status"), ("Entities", "origin"), ("Matrix", "status")]:
        ws = workbook[sheet]
        letter = next(c.column_letter for c in ws[1] if c.value == name)
        assert ws.column_dimensions[letter].width <= 12, (sheet, name)
