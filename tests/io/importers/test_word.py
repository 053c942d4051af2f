"""Word files: reading order through tables, metadata, and files python-docx cannot read."""

from __future__ import annotations

from pathlib import Path

from tests.io.fixtures import make_fixtures as made
from tests.io.importers.helpers import fixture, read_one, refused

CANNOT_READ = "cannot read this Word file (it may be in 'Strict Open XML' format or damaged)"


def test_table_cells_stand_between_the_paragraphs_around_the_table() -> None:
    article = read_one(fixture("table.docx"))
    assert article.text == (
        "Paragraph before the table.\n"
        "Name\nVotes\nSmith\n12\nTwo lines\nin one cell\n"
        "Paragraph after the table."
    )
    assert article.title == "Council vote"
    assert article.author == "Jane Doe"
    assert article.original_filename == "table.docx"


def test_runs_tracked_changes_tabs_breaks_and_content_controls(tmp_path: Path) -> None:
    body = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t xml:space='preserve'>A </w:t></w:r>"
        "<w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink>"
        "<w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t xml:space='preserve'> inserted</w:t></w:r></w:ins>"
        "<w:r><w:tab/><w:t>tab</w:t><w:br/><w:t>break</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent>" + made._p("in a content control") + "</w:sdtContent></w:sdt>"
        "<w:p/>" + made._p("after an empty paragraph")
    )
    path = tmp_path / "runs.docx"
    path.write_bytes(made.docx_bytes(body))
    assert read_one(path).text == (
        "A link inserted\ttab\nbreak\nin a content control\n\nafter an empty paragraph"
    )


def test_nested_table_is_read_inside_its_cell(tmp_path: Path) -> None:
    inner = "<w:tbl><w:tr>" + made._tc("inner 1") + made._tc("inner 2") + "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tr><w:tc>" + made._p("outer") + inner + "</w:tc>" + made._tc("next")
        + "</w:tr></w:tbl>"
    )
    path = tmp_path / "nested.docx"
    path.write_bytes(made.docx_bytes(body))
    assert read_one(path).text == "outer\ninner 1\ninner 2\nnext"


def test_iso_strict_docx_is_refused_with_advice() -> None:
    refused(fixture("strict.docx"), CANNOT_READ, "save it again as a normal .docx")


def test_strict_namespace_with_transitional_relationships_is_refused(tmp_path: Path) -> None:
    data = made.docx_bytes(strict=True).replace(
        made.STRICT_OFFICE_DOCUMENT_REL.encode(), made.OFFICE_DOCUMENT_REL.encode()
    )
    path = tmp_path / "half_strict.docx"
    path.write_bytes(data)
    refused(path, CANNOT_READ)


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    refused(fixture("not_a_docx.docx"), CANNOT_READ)


def test_file_that_is_not_a_zip_is_refused() -> None:
    refused(fixture("plain_text.docx"), "is not a Word .docx file", "save it again as .docx")


def test_document_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    path.write_bytes(made.docx_bytes("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"))
    refused(path, "no text")


def test_without_a_title_property_the_first_line_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "no_properties.docx"
    path.write_bytes(made.docx_bytes(made._p("Floods in Sindh") + made._p("Teams arrived."), core=False))
    article = read_one(path)
    assert (article.title, article.author) == ("Floods in Sindh", None)


def test_a_long_first_line_leaves_the_file_stem_as_title(tmp_path: Path) -> None:
    path = tmp_path / "no_properties.docx"
    path.write_bytes(made.docx_bytes(made._p("word " * 60), core=False))
    assert read_one(path).title == "no_properties"


def test_text_box_text_follows_its_paragraph_once_not_twice_from_the_fallback() -> None:
    article = read_one(fixture("text_box.docx"))
    assert article.text == (
        "Council approves flood barrier\nKey facts\nCost: 40 million\nThe council voted 7 to 2 on Tuesday."
    )


def test_vml_only_text_box_and_a_box_inside_a_box(tmp_path: Path) -> None:
    vml = (
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        + made._p("Old-style box")
        + "<w:p>" + made.text_box("Inner box") + "</w:p>"
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    path = tmp_path / "vml.docx"
    path.write_bytes(made.docx_bytes("<w:p><w:r><w:t>Lead</w:t></w:r>" + vml + "</w:p>" + made._p("End")))
    assert read_one(path).text == "Lead\nOld-style box\n\nInner box\nEnd"
