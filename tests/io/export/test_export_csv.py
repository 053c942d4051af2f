"""write_csv_folder: files read back with the csv module."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from annotator.domain.errors import ExportError
from annotator.io.export import Column, ColumnType, Sheet, write_csv_folder
from annotator.io.export.csv_export import csv_file_name

T = ColumnType
INJECTIONS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"]


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_file_starts_with_a_bom_and_round_trips(tmp_path: Path) -> None:
    karachi = timezone(timedelta(hours=5))
    sheet = Sheet(
        "claims",
        [
            Column("id", T.INTEGER),
            Column("text"),
            Column("score", T.NUMBER),
            Column("published", T.DATE),
            Column("coded_at", T.DATETIME),
            Column("is_claim", T.BOOLEAN),
        ],
        [
            [1, "وزیر اعظم, 总理 🎉", -5, date(2024, 3, 1), datetime(2024, 3, 1, 14, 5, 9, 123), True],
            [2, 'quote " and\nnew line', 0.25, None, datetime(2024, 3, 1, 10, tzinfo=karachi), False],
            [3, None, float("nan"), "2024-01-02", None, None],
        ],
    )
    paths = write_csv_folder(tmp_path, [sheet])
    path = paths["claims"]
    assert path == tmp_path / "claims.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,text,")
    assert raw.count(b"\xef\xbb\xbf") == 1
    assert read_csv(path) == [
        ["id", "text", "score", "published", "coded_at", "is_claim"],
        ["1", "وزیر اعظم, 总理 🎉", "-5", "2024-03-01", "2024-03-01 14:05:09", "1"],
        ["2", 'quote " and\nnew line', "0.25", "", "2024-03-01 05:00:00", "0"],
        ["3", "", "", "2024-01-02", "", ""],
    ]


def test_formula_like_text_is_prefixed_with_a_quote(tmp_path: Path) -> None:
    sheet = Sheet("s", [Column("t"), Column("n", T.NUMBER)], [[text, -5] for text in INJECTIONS])
    rows = read_csv(write_csv_folder(tmp_path, [sheet])["s"])[1:]
    assert [row[0] for row in rows] == ["'" + text for text in INJECTIONS]
    assert [row[1] for row in rows] == ["-5"] * len(INJECTIONS)  # numbers are not prefixed


def test_text_is_cleaned_and_cut(tmp_path: Path) -> None:
    sheet = Sheet("s", [Column("t")], [["a\x00b\x0b\ud800\uffff"], ["\x00=x"], ["z" * 40_000]])
    rows = read_csv(write_csv_folder(tmp_path, [sheet])["s"])[1:]
    assert rows[0] == ["ab"]
    assert rows[1] == ["'=x"]
    assert len(rows[2][0]) <= 32_767
    assert rows[2][0].endswith(" […cut: 40,000 characters in all]")


def test_formula_like_header_is_prefixed(tmp_path: Path) -> None:
    path = write_csv_folder(tmp_path, [Sheet("s", [Column("=cmd"), Column("ok")], [])])["s"]
    assert read_csv(path) == [["'=cmd", "ok"]]


def test_empty_sheet_has_just_the_header(tmp_path: Path) -> None:
    path = write_csv_folder(tmp_path, [Sheet("s", [Column("a"), Column("b")], [])])["s"]
    assert path.read_bytes() == b"\xef\xbb\xbfa,b\r\n"


def test_folder_is_created_and_file_names_are_safe(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "export"
    names = ["Claims: all", "claims_ all", "CON", 'a/b\\c*?<>|"', "dots...", ""]
    paths = write_csv_folder(folder, [Sheet(name, [Column("a")], [["v"]]) for name in names])
    assert [paths[name].name for name in names] == [
        "Claims_ all.csv",
        "claims_ all (2).csv",
        "_CON.csv",
        "a_b_c______.csv",
        "dots.csv",
        "sheet.csv",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths.values())


def test_csv_file_name_helper() -> None:
    taken: set[str] = set()
    assert csv_file_name("lpt1.backup", taken) == "_lpt1.backup.csv"
    assert csv_file_name("x" * 300, taken) == "x" * 100 + ".csv"
    assert csv_file_name("وزیر", taken) == "وزیر.csv"


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[str, int]] = []
    sheet = Sheet("s", [Column("i", T.INTEGER)], ([i] for i in range(2001)))
    write_csv_folder(tmp_path, [sheet], progress=lambda *call: calls.append(call))
    assert calls == [("s", 1000), ("s", 2000), ("s", 2001)]


def failing_rows() -> Iterator[list[object]]:
    yield ["new"]
    raise RuntimeError("database went away")


def test_failing_rows_keep_the_earlier_file_and_leave_no_temporary(tmp_path: Path, leftovers) -> None:
    write_csv_folder(tmp_path, [Sheet("s", [Column("a")], [["old"]])])
    earlier = (tmp_path / "s.csv").read_bytes()
    with pytest.raises(RuntimeError):
        write_csv_folder(tmp_path, [Sheet("s", [Column("a")], failing_rows())])
    assert (tmp_path / "s.csv").read_bytes() == earlier
    assert leftovers(tmp_path) == []


def test_failing_rows_leave_no_file(tmp_path: Path, leftovers) -> None:
    with pytest.raises(RuntimeError):
        write_csv_folder(tmp_path, [Sheet("s", [Column("a")], failing_rows())])
    assert list(tmp_path.iterdir()) == []


def test_bad_value_names_sheet_row_and_column(tmp_path: Path) -> None:
    sheet = Sheet("s", [Column("a"), Column("when", T.DATE)], [["x", "2024-01-01"], ["y", "soon"]])
    with pytest.raises(ExportError, match=r"sheet 's', row 2, column 'when' \(date\)"):
        write_csv_folder(tmp_path, [sheet])
    assert not (tmp_path / "s.csv").exists()


def test_folder_that_is_a_file_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "export"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError) as caught:
        write_csv_folder(blocker, [Sheet("s", [Column("a")], [])])
    assert str(blocker) in str(caught.value)


def test_no_sheets_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no sheets"):
        write_csv_folder(tmp_path / "out", [])


def test_two_sheets_with_the_same_name_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="two sheets are named 'a'"):
        write_csv_folder(tmp_path, [Sheet("a", [Column("x")], []), Sheet("a", [Column("x")], [])])
