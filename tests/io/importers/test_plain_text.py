"""Plain text and Markdown files: encodings, newlines, titles, and the files we refuse."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.io.importers import read_articles
from tests.io.fixtures import make_fixtures as made
from tests.io.importers.helpers import fixture, read_one, refused


def test_utf16_le_without_bom_is_decoded_not_read_as_utf8_with_nuls() -> None:
    article = read_one(fixture("utf16le_no_bom.txt"))
    assert article.text == made.UTF16_TEXT
    assert "\x00" not in article.text
    assert article.title == "Überraschung in Zürich"
    assert article.original_filename == "utf16le_no_bom.txt"


def test_utf16_be_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "be.txt"
    path.write_bytes(made.UTF16_TEXT.encode("utf-16-be"))
    assert read_one(path).text == made.UTF16_TEXT


def test_cp1252_with_curly_quotes_accents_and_euro() -> None:
    article = read_one(fixture("cp1252.txt"))
    assert article.text == made.CP1252_TEXT
    assert article.title == "L’été à Paris"


def test_utf8_bom_is_dropped_from_the_text() -> None:
    article = read_one(fixture("utf8_bom.txt"))
    assert article.text == made.UTF8_BOM_TEXT
    assert article.title == "Título con BOM"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),  # starts with the UTF-16-LE mark
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks(tmp_path: Path, bom: bytes, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Grüße aus Köln\n".encode(encoding))
    assert read_one(path).text == "Grüße aus Köln\n"


def test_crlf_and_lone_cr_become_lf_and_nothing_else_changes() -> None:
    article = read_one(fixture("crlf.txt"))
    assert article.text == "First line\nSecond line\n\nFourth line after a lone CR\n"
    assert article.title == "First line"


def test_inner_and_outer_whitespace_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "spaces.txt"
    path.write_text("\n\n  Indented   title  \n\tBody  with  spaces.  \n\n", encoding="utf-8")
    article = read_one(path)
    assert article.text == "\n\n  Indented   title  \n\tBody  with  spaces.  \n\n"
    assert article.title == "Indented title"


def test_markdown_title_is_the_heading_text_and_the_text_is_untouched() -> None:
    article = read_one(fixture("heading.md"))
    assert article.text == made.MARKDOWN_TEXT
    assert article.title == "Council approves budget"


def test_a_long_first_line_is_not_a_title() -> None:
    article = read_one(fixture("long_first_line.txt"))
    assert article.title == "long_first_line"
    assert article.text == made.LONG_LINE_TEXT


def test_suffix_case_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "LOUD.TXT"
    path.write_text("Hello", encoding="utf-8")
    assert read_one(path).text == "Hello"
    assert read_one(path).published is None
    assert read_one(path).metadata == {}


def test_empty_file_is_refused() -> None:
    refused(fixture("empty.txt"), "empty")


def test_whitespace_only_file_is_refused() -> None:
    refused(fixture("whitespace.txt"), "no text")


def test_png_bytes_with_a_txt_name_are_a_binary_file() -> None:
    refused(fixture("image.txt"), "binary file")


def test_undecodable_bytes_without_nuls_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8 + b"\x01\x02\x03\x04" * 64)
    refused(path, "cannot be decoded as text")


def test_several_files_are_independent(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Fine.", encoding="utf-8")
    assert [a.text for a in read_articles(good)] == ["Fine."]
    refused(fixture("image.txt"), "binary")
    assert [a.text for a in read_articles(good)] == ["Fine."]
