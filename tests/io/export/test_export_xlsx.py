"""write_workbook: files reopened with openpyxl in normal read mode, plus the raw sheet XML."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import openpyxl.writer.excel
import pytest
from openpyxl.worksheet import _writer as openpyxl_writer

from annotator.domain.errors import ExportError
from annotator.io.export import Column, ColumnType, Sheet, write_workbook
from annotator.io.export import files as export_files
from annotator.io.export import xlsx as xlsx_module
from annotator.io.export.xlsx import column_width, sheet_title

INJECTIONS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"]
CUT_MARKER = re.compile(r" \[…cut: [\d,]+ characters in all\]$")

T = ColumnType
COLUMNS = [
    Column("id", T.INTEGER),
    Column("text"),
    Column("score", T.NUMBER),
    Column("published", T.DATE),
    Column("coded_at", T.DATETIME),
    Column("is_claim", T.BOOLEAN),
]


def one_column(rows: list[object], kind: ColumnType = T.TEXT) -> Sheet:
    return Sheet("data", [Column("value", kind)], [[value] for value in rows])


def column_values(path: Path, column: int = 1, sheet: int = 0) -> list[openpyxl.cell.Cell]:
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook.worksheets[sheet]
    return [row[column - 1] for row in worksheet.iter_rows(min_row=2)]


# ------------------------------------------------------------------------------ injection


def test_formula_like_text_comes_back_as_the_same_string(tmp_path: Path, sheet_xml) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(INJECTIONS)])

    cells = column_values(path)
    assert [cell.value for cell in cells] == INJECTIONS
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.data_type != "f"
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert xml.count('t="inlineStr"') == len(INJECTIONS) + 1  # + the header


def test_formula_like_text_carries_the_quote_prefix_flag(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["=1+1", "plain"])])
    cells = column_values(path)
    assert cells[0].quotePrefix is True
    assert not cells[1].quotePrefix


def test_error_code_text_stays_text(tmp_path: Path, sheet_xml) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["#N/A", "#REF!"])])
    cells = column_values(path)
    assert [(cell.value, cell.data_type) for cell in cells] == [("#N/A", "s"), ("#REF!", "s")]
    assert 't="e"' not in sheet_xml(path)


def test_negative_numbers_stay_numbers(tmp_path: Path, sheet_xml) -> None:
    path = tmp_path / "out.xlsx"
    sheet = Sheet(
        "numbers",
        [Column("n", T.NUMBER), Column("i", T.INTEGER), Column("t")],
        [[-5, -7, "-5"], [-2.5, 0, "=A1"]],
    )
    write_workbook(path, [sheet])
    worksheet = openpyxl.load_workbook(path).active
    assert [c.value for c in worksheet[2]] == [-5, -7, "-5"]
    assert [c.data_type for c in worksheet[2]] == ["n", "n", "s"]
    assert worksheet["A3"].value == -2.5
    assert "<f>" not in sheet_xml(path)


def test_formula_like_header_is_text(tmp_path: Path, sheet_xml) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [Sheet("s", [Column("=HYPERLINK(1)")], [])])
    assert openpyxl.load_workbook(path).active["A1"].value == "=HYPERLINK(1)"
    assert "<f>" not in sheet_xml(path)


# ------------------------------------------------------------------------- text contents


def test_forbidden_characters_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    texts = ["a\x00b", "a\x0bb", "a\x1fb", "a\ud800b", "a\uffffb", "=\x00x"]
    write_workbook(path, [one_column(texts)])
    assert [cell.value for cell in column_values(path)] == ["ab", "ab", "ab", "ab", "ab", "=x"]


def test_long_text_is_cut_with_a_marker(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["x" * 40_000, "=" + "y" * 40_000])])
    for cell in column_values(path):
        assert len(cell.value) <= 32_767
        assert cell.value.endswith(" […cut: 40,000 characters in all]") or CUT_MARKER.search(cell.value)
        assert cell.data_type == "s"


@pytest.mark.parametrize("text", ["وزیر اعظم", "总理", "🎉", "Ünïcödé – “quotes”", "line\nbreak\ttab"])
def test_non_latin_text_round_trips(tmp_path: Path, text: str) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [Sheet("وزیر 总理 🎉", [Column("متن")], [[text]])])
    worksheet = openpyxl.load_workbook(path).active
    assert worksheet.title == "وزیر 总理 🎉"
    assert worksheet["A1"].value == "متن"
    assert worksheet["A2"].value == text


def test_leading_and_trailing_spaces_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["  padded  ", "  -x"])])
    assert [cell.value for cell in column_values(path)] == ["  padded  ", "  -x"]


# -------------------------------------------------------------------------- layout, types


def typed_sheet() -> Sheet:
    karachi = timezone(timedelta(hours=5))
    rows = [
        [1, "first", 0.5, date(2024, 3, 1), datetime(2024, 3, 1, 14, 5, 9), True],
        [2, "second", -3, date(2023, 12, 31), datetime(2024, 3, 1, 10, 0, tzinfo=karachi), False],
        [3, None, None, None, None, None],
    ]
    return Sheet("claims", COLUMNS, rows)


def test_header_is_bold_frozen_and_filtered(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_workbook(path, [typed_sheet()]) == {"claims": 3}
    worksheet = openpyxl.load_workbook(path).active
    assert [cell.value for cell in worksheet[1]] == [c.name for c in COLUMNS]
    assert all(cell.font.b for cell in worksheet[1])
    assert not worksheet["A2"].font.b
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:F4"


def test_column_widths_come_from_type_and_header(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    columns = [*COLUMNS, Column("a_rather_long_header_for_a_flag", T.BOOLEAN), Column("w", width=7.5)]
    write_workbook(path, [Sheet("s", columns, [])])
    widths = openpyxl.load_workbook(path).active.column_dimensions
    assert widths["A"].width == 10  # integer
    assert widths["B"].width == 40  # text
    assert widths["D"].width == 12  # date
    assert widths["E"].width == 20  # date-time
    assert widths["F"].width == 11  # "is_claim" (8) + the filter button (3)
    assert widths["G"].width == len("a_rather_long_header_for_a_flag") + 3
    assert widths["H"].width == 7.5  # the column's own width


def test_column_width_counts_wide_characters_twice() -> None:
    assert column_width(Column("总理总理总理", T.BOOLEAN)) == 15
    assert column_width(Column("x" * 200, T.INTEGER)) == 60


def test_values_have_real_types(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [typed_sheet()])
    worksheet = openpyxl.load_workbook(path).active
    first, second, empty = worksheet[2], worksheet[3], worksheet[4]

    assert first[0].value == 1 and type(first[0].value) is int
    assert first[2].value == 0.5
    assert isinstance(first[3].value, datetime)
    assert first[3].value == datetime(2024, 3, 1)
    assert first[3].number_format == "yyyy-mm-dd"
    assert first[3].is_date
    assert first[4].value == datetime(2024, 3, 1, 14, 5, 9)
    assert first[4].number_format == "yyyy-mm-dd hh:mm:ss"
    assert (first[5].value, second[5].value) == (1, 0)
    assert type(first[5].value) is int
    assert second[4].value == datetime(2024, 3, 1, 5, 0)  # converted to UTC
    assert [cell.value for cell in empty] == [3, None, None, None, None, None]


def test_dates_before_1900_and_huge_integers_become_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    sheet = Sheet(
        "s",
        [Column("d", T.DATE), Column("dt", T.DATETIME), Column("i", T.INTEGER)],
        [[date(1857, 5, 10), datetime(1899, 12, 31, 23, 0), 2**60]],
    )
    write_workbook(path, [sheet])
    row = openpyxl.load_workbook(path).active[2]
    assert [cell.value for cell in row] == ["1857-05-10", "1899-12-31 23:00:00", str(2**60)]


def test_swatch_column_cells_are_filled_with_their_colour(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    sheet = Sheet(
        "labels",
        [Column("label"), Column("colour")],
        [["PERSON", "#ff0000"], ["ORG", "#00AA55"], ["GPE", "not a colour"], ["X", None], ["Y", "#ff0000"]],
        swatch_column="colour",
    )
    write_workbook(path, [sheet])
    worksheet = openpyxl.load_workbook(path).active
    colours = [(c.value, c.fill.fill_type, c.fill.fgColor.rgb) for c in worksheet["B"][1:]]
    assert colours[0] == ("#ff0000", "solid", "FFFF0000")
    assert colours[1] == ("#00AA55", "solid", "FF00AA55")
    assert colours[2][:2] == ("not a colour", None)
    assert colours[3][:2] == (None, None)
    assert colours[4] == ("#ff0000", "solid", "FFFF0000")
    assert worksheet["A2"].fill.fill_type is None


def test_unknown_swatch_column_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="swatch column 'nope'"):
        write_workbook(tmp_path / "out.xlsx", [Sheet("s", [Column("a")], [], swatch_column="nope")])
    assert not (tmp_path / "out.xlsx").exists()


# ------------------------------------------------------------------------ sheets and names


def test_empty_sheet_has_a_valid_header(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_workbook(path, [Sheet("empty", COLUMNS, [])]) == {"empty": 0}
    worksheet = openpyxl.load_workbook(path).active
    assert worksheet.max_row == 1
    assert worksheet.auto_filter.ref == "A1:F1"
    assert worksheet.freeze_panes == "A2"


def test_no_sheets_is_an_error_and_writes_nothing(tmp_path: Path, leftovers) -> None:
    path = tmp_path / "out.xlsx"
    with pytest.raises(ExportError, match="no sheets"):
        write_workbook(path, [])
    assert not path.exists()
    assert leftovers(tmp_path) == []


def test_sheet_without_columns_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no columns"):
        write_workbook(tmp_path / "out.xlsx", [Sheet("s", [], [])])


def test_several_sheets_get_valid_unique_titles(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    names = ["Claims: all [2024]", "claims_ all _2024_", "x" * 40, "History", "'quoted'", ""]
    counts = write_workbook(path, (Sheet(name, [Column("a")], [["v"]] * 2) for name in names))
    assert counts == dict.fromkeys(names, 2)
    titles = openpyxl.load_workbook(path).sheetnames
    assert titles == [
        "Claims_ all _2024_",
        "claims_ all _2024_ (2)",
        "x" * 31,
        "History_",
        "quoted",
        "Sheet",
    ]


def test_sheet_title_helper() -> None:
    taken: set[str] = set()
    assert sheet_title("a/b\\c?d*e", taken) == "a_b_c_d_e"
    assert sheet_title("A/B\\C?D*E", taken) == "A_B_C_D_E (2)"
    assert sheet_title("a\x00b", taken) == "ab"


def test_two_sheets_with_the_same_name_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    with pytest.raises(ExportError, match="two sheets are named 'a'"):
        write_workbook(path, [Sheet("a", [Column("x")], []), Sheet("a", [Column("x")], [])])
    assert not path.exists()


# ---------------------------------------------------------------------- bad values, rows


def test_value_that_does_not_fit_its_column_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    sheet = Sheet("claims", COLUMNS, [[1, "a", 1, None, None, None], [2, "b", "lots", None, None, None]])
    with pytest.raises(ExportError, match=r"sheet 'claims', row 2, column 'score' \(number\)"):
        write_workbook(path, [sheet])
    assert not path.exists()


def test_row_longer_than_the_columns_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="row 1: 3 values for 2 columns"):
        write_workbook(tmp_path / "o.xlsx", [Sheet("s", [Column("a"), Column("b")], [[1, 2, 3]])])


def test_short_rows_leave_cells_empty(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [Sheet("s", [Column("a"), Column("b", T.INTEGER)], [["x"], [], ["y"]])])
    worksheet = openpyxl.load_workbook(path).active
    assert [[c.value for c in row] for row in worksheet.iter_rows(min_row=2, max_col=2)] == [
        ["x", None],
        [None, None],
        ["y", None],
    ]
    assert worksheet.auto_filter.ref == "A1:B4"


def test_column_type_may_be_given_as_a_plain_string(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [Sheet("s", [Column("d", "date")], [["2024-01-02"]])])  # type: ignore[arg-type]
    assert openpyxl.load_workbook(path).active["A2"].value == datetime(2024, 1, 2)


# ----------------------------------------------------------------------------- progress


def test_progress_is_reported_every_1000_rows_and_at_the_end(tmp_path: Path) -> None:
    calls: list[tuple[str, int]] = []
    sheets = [
        Sheet("big", [Column("i", T.INTEGER)], ([i] for i in range(2500))),
        Sheet("round", [Column("i", T.INTEGER)], ([i] for i in range(1000))),
        Sheet("none", [Column("i", T.INTEGER)], []),
    ]
    counts = write_workbook(tmp_path / "out.xlsx", sheets, progress=lambda *call: calls.append(call))
    assert counts == {"big": 2500, "round": 1000, "none": 0}
    assert calls == [("big", 1000), ("big", 2000), ("big", 2500), ("round", 1000), ("none", 0)]


def test_progress_callback_can_cancel_the_export(tmp_path: Path, leftovers) -> None:
    class Cancelled(Exception):
        pass

    def cancel(sheet: str, rows: int) -> None:
        raise Cancelled

    path = tmp_path / "out.xlsx"
    with pytest.raises(Cancelled):
        write_workbook(path, [Sheet("s", [Column("i", T.INTEGER)], ([i] for i in range(5000)))], cancel)
    assert not path.exists()
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------------- atomic writes


def failing_rows(after: int) -> Iterator[list[object]]:
    for i in range(after):
        yield [i, f"row {i}", i / 2, None, None, None]
    raise RuntimeError("database went away")


def test_failing_rows_leave_no_file_and_no_temporary_file(tmp_path: Path, leftovers) -> None:
    path = tmp_path / "out.xlsx"
    before = list(openpyxl_writer.ALL_TEMP_FILES)
    with pytest.raises(RuntimeError, match="database went away"):
        write_workbook(path, [Sheet("ok", COLUMNS, []), Sheet("claims", COLUMNS, failing_rows(1500))])
    assert not path.exists()
    assert leftovers(tmp_path) == []
    assert list(tmp_path.iterdir()) == []
    assert before == openpyxl_writer.ALL_TEMP_FILES  # openpyxl's streaming files are gone too


def test_failing_rows_keep_the_earlier_file_intact(tmp_path: Path, leftovers) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [typed_sheet()])
    earlier = path.read_bytes()
    with pytest.raises(RuntimeError):
        write_workbook(path, [Sheet("claims", COLUMNS, failing_rows(10))])
    assert path.read_bytes() == earlier
    assert leftovers(tmp_path) == []
    assert openpyxl.load_workbook(path).active["B2"].value == "first"


def test_successful_write_replaces_the_earlier_file(tmp_path: Path, leftovers) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["old"])])
    write_workbook(path, [one_column(["new"])])
    assert [cell.value for cell in column_values(path)] == ["new"]
    assert leftovers(tmp_path) == []


def test_missing_folder_is_an_export_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "folder" / "out.xlsx"
    with pytest.raises(ExportError) as caught:
        write_workbook(path, [one_column(["x"])])
    assert str(path) in str(caught.value)
    assert "does not exist" in str(caught.value)


def test_folder_in_the_way_is_an_export_error(tmp_path: Path, leftovers) -> None:
    path = tmp_path / "out.xlsx"
    path.mkdir()
    with pytest.raises(ExportError) as caught:
        write_workbook(path, [one_column(["x"])])
    assert str(path) in str(caught.value)
    assert "folder" in str(caught.value)
    assert leftovers(tmp_path) == []


def test_locked_file_is_an_export_error_and_keeps_the_earlier_file(
    tmp_path: Path, leftovers, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["old"])])
    earlier = path.read_bytes()

    def locked(source: object, target: object) -> None:  # what Windows does while Excel has it open
        raise PermissionError(13, "The process cannot access the file", str(target))

    monkeypatch.setattr(export_files.os, "replace", locked)
    with pytest.raises(ExportError) as caught:
        write_workbook(path, [one_column(["new"])])
    message = str(caught.value)
    assert str(path) in message
    assert "open in another program" in message
    assert path.read_bytes() == earlier
    assert leftovers(tmp_path) == []


def test_disk_full_is_an_export_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.xlsx"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.writer.excel.ExcelWriter, "save", full)
    with pytest.raises(ExportError, match="the disk is full"):
        write_workbook(path, [one_column(["x"])])
    assert list(tmp_path.iterdir()) == []


def test_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["x"])])
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_more_rows_than_excel_holds_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_module, "EXCEL_MAX_DATA_ROWS", 5)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [one_column(["x"] * 5)])  # exactly the limit is fine
    with pytest.raises(ExportError, match=r"more than 5 rows.*CSV"):
        write_workbook(path, [one_column(["x"] * 6)])
    assert len(column_values(path)) == 5


def test_data_errors_name_the_file_too(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    sheet = Sheet("s", [Column("n", "integer")], [["many"]])  # type: ignore[arg-type]
    with pytest.raises(ExportError) as caught:
        write_workbook(path, [sheet])
    assert str(caught.value).startswith(f"{path}: sheet 's', row 1, column 'n' (integer): ")
