"""CSV, Excel and JSON Lines batches: one article per row or line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from annotator.domain.model import NewDocument
from annotator.io.importers import ImportOptions, read_articles
from annotator.io.importers.csv_table import sniff_delimiter
from tests.io.importers.helpers import fixture, refused

# ---------------------------------------------------------------- CSV


def test_csv_batch_with_common_column_names_and_extra_metadata() -> None:
    articles = read_articles(fixture("batch_comma.csv"))
    assert articles == [
        NewDocument(
            text="The council voted, 7 to 2.\nA second paragraph.",
            title="Budget passes",
            source="Daily News",
            author="Jane Doe",
            url="https://example.org/1",
            published=date(2024, 3, 5),
            original_filename="batch_comma.csv",
            metadata={"row": "1", "id": "1", "topic": "economy"},
        ),
        # row 2 has no text: skipped without a word
        NewDocument(
            text='Rain, wind and "snow" expected.',
            title="Storm warning",
            source="Weekly",
            published=date(2024, 3, 7),
            original_filename="batch_comma.csv",
            metadata={"row": "3", "id": "3", "topic": "weather"},
        ),
        NewDocument(
            text="No headline here.",
            title="batch_comma (row 4)",
            original_filename="batch_comma.csv",
            metadata={"row": "4", "id": "4", "date_raw": "sometime in spring"},
        ),
    ]


def test_semicolon_csv_in_windows_1252_with_a_section_column() -> None:
    articles = read_articles(fixture("batch_semicolon.csv"))
    assert [(a.title, a.text, a.published, a.section, dict(a.metadata)) for a in articles] == [
        ("Wahl", "Die Wahl ist vorbei, sagen alle.", date(2024, 3, 5), "Politik", {"row": "1"}),
        ("Wetter", "Regen, Wind und Schnee in München.", date(2024, 3, 6), None, {"row": "2"}),
    ]


def test_csv_without_a_text_column_lists_columns_and_names_looked_for() -> None:
    reason = refused(
        fixture("no_text_column.csv"),
        "columns found: headline, summary",
        "looked for text, body, content, article, full_text, fulltext, story",
        "import options",
    )
    assert "no text column" in reason


def test_options_choose_the_columns() -> None:
    options = ImportOptions(text_column="summary", title_column="Headline")
    articles = read_articles(fixture("no_text_column.csv"), options)
    assert [(a.title, a.text, dict(a.metadata)) for a in articles] == [
        ("Budget passes", "A short summary.", {"row": "1"})
    ]


def test_a_chosen_column_that_is_missing_is_refused() -> None:
    refused(
        fixture("batch_comma.csv"),
        "no column named 'Teaser' (chosen as the title column)",
        "columns found: id, Headline, Text",
        options=ImportOptions(title_column="Teaser"),
    )


def test_csv_where_every_text_is_empty_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hollow.csv"
    path.write_text("title,text\nA,\nB,   \n", encoding="utf-8")
    refused(path, "no article", "'text'")


def test_csv_with_a_huge_field_tabs_and_odd_headers(tmp_path: Path) -> None:
    long_text = "Word " * 60_000  # over the csv module's default 128 KB field limit
    path = tmp_path / "big.csv"
    path.write_text(
        f"Full Text\t \tnotes\tnotes\trow\n{long_text}\tx\tfirst\tsecond\tR\textra\n",
        encoding="utf-8",
    )
    [article] = read_articles(path)
    assert article.text == long_text
    assert dict(article.metadata) == {
        "row": "1", "column 2": "x", "notes": "first", "notes (2)": "second", "row (2)": "R",
        "column 6": "extra",
    }


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("text\nhello, world\n", ","),  # one column: the fallback
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_csv_header_only_has_no_article(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("title,text\n", encoding="utf-8")
    refused(path, "no article")


# ---------------------------------------------------------------- Excel


def _workbook(tmp_path: Path, rows: list[list[object]], name: str = "batch.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("Ignored")
    other.append(["text"])
    other.append(["from the second sheet"])
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_batch_with_dates_numbers_and_extra_columns(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        [
            ["Headline", "Body", "Published", "Newspaper", "Link", "Authors", "Pages", "Note"],
            ["One", "First text.\r\nSecond line.", datetime(2024, 3, 5, 8, 0), "Times",
             "https://e.org/1", "A. Writer", 3, None],
            [None, None, None, None, None, None, None, None],
            ["Three", "Third text.", "5 March 2024", None, None, None, 2.5, "checked"],
        ],
    )
    assert read_articles(path) == [
        NewDocument(
            text="First text.\nSecond line.",
            title="One",
            source="Times",
            author="A. Writer",
            url="https://e.org/1",
            published=date(2024, 3, 5),
            original_filename="batch.xlsx",
            metadata={"row": "1", "Pages": "3"},
        ),
        NewDocument(
            text="Third text.",
            title="Three",
            published=date(2024, 3, 5),
            original_filename="batch.xlsx",
            metadata={"row": "3", "Pages": "2.5", "Note": "checked"},
        ),
    ]


def test_xlsx_without_a_text_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [["headline", "when"], ["A", "today"]])
    refused(path, "columns found: headline, when", "looked for text, body")


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)  # an old .xls
    refused(path, "cannot read this Excel workbook", "save it again as .xlsx")


def test_empty_worksheet(tmp_path: Path) -> None:
    refused(_workbook(tmp_path, []), "no header row")


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_batch() -> None:
    assert read_articles(fixture("articles.jsonl")) == [
        NewDocument(
            text="First article.\nSecond line.",
            title="One",
            source="Wire",
            published=date(2024, 3, 5),
            original_filename="articles.jsonl",
            metadata={"line": "1", "tags": '["a", "b"]', "score": "3"},
        ),
        # line 2 is blank, line 3 has an empty text: both skipped
        NewDocument(
            text="Third line article.",
            title="articles (line 4)",
            original_filename="articles.jsonl",
            metadata={"line": "4", "lang": "en", "date_raw": "05/03/2024"},
        ),
    ]


def test_jsonl_bad_line_is_named() -> None:
    refused(fixture("bad_line.jsonl"), "line 2 is not valid JSON")


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"text": "ok"}\n["text", "no"]\n', encoding="utf-8")
    refused(path, "line 2 is not a JSON object", "a list")


def test_jsonl_without_text_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_text('{"body2": "x", "id": 1}\n{"id": 2}\n', encoding="utf-8")
    refused(path, "no text key", "keys found: body2, id", "import options")


def test_jsonl_with_a_chosen_text_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_text('{"body2": "x", "id": 1}\n{"id": 2}\n', encoding="utf-8")
    [article] = read_articles(path, ImportOptions(text_column="body2"))
    assert (article.text, dict(article.metadata)) == ("x", {"line": "1", "id": "1"})
