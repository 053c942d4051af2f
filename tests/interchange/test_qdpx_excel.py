"""The Excel export gets a "Codings" sheet when the project has codings (issue 13)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from annotator.services.export import ExportOptions, export_project
from annotator.services.interchange_import import import_annotated
from annotator.services.project import Project
from tests.interchange.qdpx_helpers import package


def test_imported_codings_get_their_own_sheet(tmp_path: Path, project: Project) -> None:
    export_project(project, tmp_path / "none.xlsx")
    assert "Codings" not in load_workbook(tmp_path / "none.xlsx", read_only=True).sheetnames
    import_annotated(project, [package("nvivo", tmp_path / "b.qdpx")])
    export_project(project, tmp_path / "all.xlsx")
    export_project(project, tmp_path / "bilal.xlsx", ExportOptions(coder="Bilal"))
    sheet = load_workbook(tmp_path / "all.xlsx", read_only=True)["Codings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("document_id", "document_title", "coding_id", "start", "end", "text", "code",
                       "parent_code", "coder", "memo")
    assert len(rows) == 1 + 6
    economy = [r for r in rows[1:] if r[6] == "economy" and r[8] == "Bilal"]
    assert economy == [(1, "Budget day", economy[0][2], 18, 57, "Imran Khan said the economy had failed.",
                        "economy", "Themes", "Bilal", "Economy, not blame: he only reports.")]
    bilal = list(load_workbook(tmp_path / "bilal.xlsx", read_only=True)["Codings"].iter_rows(values_only=True))
    assert {r[8] for r in bilal[1:]} == {"Bilal"} and len(bilal) == 1 + 3
