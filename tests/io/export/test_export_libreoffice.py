"""A saved workbook opens in LibreOffice (headless), a second, independent reader of .xlsx.

Skipped when LibreOffice is not installed (Debian: ``apt-get install libreoffice-calc-nogui``).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from annotator.io.export import Column, ColumnType, Sheet, write_workbook

T = ColumnType


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("LibreOffice not installed: no soffice or libreoffice on PATH")


def convert_to_csv(program: str, workbook: Path, folder: Path) -> list[list[str]]:
    """The first sheet of ``workbook`` as LibreOffice shows it, via its CSV export (UTF-8)."""
    out = folder / "out"
    result = subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = out / (workbook.stem + ".csv")
    assert converted.exists(), f"LibreOffice did not convert {workbook}: {result.stdout} {result.stderr}"
    with open(converted, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_libreoffice_opens_the_workbook_and_keeps_text_as_text(tmp_path: Path) -> None:
    program = soffice()
    path = tmp_path / "export.xlsx"
    sheet = Sheet(
        "claims",
        [
            Column("id", T.INTEGER),
            Column("text"),
            Column("score", T.NUMBER),
            Column("published", T.DATE),
            Column("coded_at", T.DATETIME),
            Column("is_claim", T.BOOLEAN),
            Column("colour"),
        ],
        [
            [1, "=1+1", -5, date(2024, 3, 1), datetime(2024, 3, 1, 14, 5, 9), True, "#ff0000"],
            [2, "وزیر اعظم 总理 🎉", 0.5, None, None, False, "#N/A"],
            [3, "+SUM(A1)", None, None, None, None, None],
            [4, "@cmd", None, None, None, None, None],
        ],
        swatch_column="colour",
    )
    write_workbook(path, [sheet])

    rows = convert_to_csv(program, path, tmp_path)
    assert rows[0] == ["id", "text", "score", "published", "coded_at", "is_claim", "colour"]
    assert rows[1] == ["1", "=1+1", "-5", "2024-03-01", "2024-03-01 14:05:09", "1", "#ff0000"]
    assert rows[2] == ["2", "وزیر اعظم 总理 🎉", "0.5", "", "", "0", "#N/A"]
    assert rows[3][1] == "+SUM(A1)"
    assert rows[4][1] == "@cmd"


def test_libreoffice_would_evaluate_a_real_formula(tmp_path: Path) -> None:
    """The control for the test above: the same text written by bare openpyxl is a formula."""
    program = soffice()
    path = tmp_path / "bare.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet("s")
    worksheet.append(["=1+1"])
    workbook.save(path)
    assert convert_to_csv(program, path, tmp_path) == [["2"]]
