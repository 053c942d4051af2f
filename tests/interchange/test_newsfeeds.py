"""News-database batch files (Nexis Uni, Factiva), RSS/Atom feeds, and .rtf/.odt articles.

The fixtures in fixtures/news/ are made-up articles laid out as the databases export them;
the .docx, .rtf and .odt ones are written by fixtures/news/make_news_fixtures.py.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers import read_articles
from annotator.services.browse import Browser
from annotator.services.importing import Outcome, run_import
from annotator.services.project import Project
from tests.cli.test_cli import annotator

NEWS = Path(__file__).resolve().parent / "fixtures" / "news"

NEXIS_BOILERPLATE = (
    "User Name", "Job Number", "Search Terms", "Client/Matter", "Documents (3)", "Load-Date",
    "End of Document", "Copyright", "Classification", "Language:", "Subject:", "Byline:",
    "Length:", "Section:", "Body", "Page 1 of 3",
)
FACTIVA_BOILERPLATE = (
    "Document ", "(c) 2024", "Copyright", "words", "English", "Search Summary", "Factiva",
    "HD", "WC", "SN", "NHERLD", "VALCOU", "EASTEN", "MIDCHR", "glab", "|",
)


def read(name: str) -> list[NewDocument]:
    return read_articles(NEWS / name)


def assert_no_boilerplate(articles: list[NewDocument], marks: tuple[str, ...]) -> None:
    for article in articles:
        for mark in marks:
            assert mark not in article.text, f"{mark!r} left in {article.title!r}"


# --- Nexis Uni ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nexis_uni_export.txt", "nexis_uni_export.docx", "nexis_uni_export.rtf"])
def test_a_nexis_uni_export_gives_one_document_per_article_with_its_details(name: str) -> None:
    articles = read(name)
    assert [a.title for a in articles] == [
        "Harbour plan divides council", "Ferry operator cuts winter timetable",
        "School meals pilot extended",
    ]
    first, second, third = articles
    assert (first.source, first.published, first.author, first.section) == (
        "The Riverton Gazette", date(2024, 3, 12), "Jane Doe", "LOCAL NEWS; Pg. 4"
    )
    assert first.metadata["length"] == "96"
    assert first.metadata["edition"] == "Final Edition"
    assert first.metadata["dateline"] == "RIVERTON"
    assert first.metadata["language"] == "ENGLISH"
    assert first.metadata["database"] == "Nexis Uni"
    assert first.text.startswith("Councillors in Riverton split seven to six")
    assert first.text.endswith("before any contract is signed.")
    assert "Ana Kovač" in first.text
    assert (second.author, second.source, second.published) == (
        "Tomás Ruiz and Lee Chen", "Coastal Morning Post", date(2024, 3, 11)
    )
    assert third.author is None and third.section is None and third.metadata["length"] == "40"
    assert all(a.original_filename == name and not a.warnings for a in articles)
    assert_no_boilerplate(articles, NEXIS_BOILERPLATE)


def test_a_broken_nexis_article_is_named_with_its_number_and_reason_and_the_rest_lands() -> None:
    articles = read("nexis_uni_broken.txt")
    assert [a.title for a in articles] == ["Harbour plan divides council"]
    assert articles[0].warnings == (
        'Nexis Uni article 2 was not imported: no line "Body" separates its title and fields '
        "from its text",
        'Nexis Uni article 3 was not imported: its text (after the line "Body") is empty',
    )


def test_an_export_whose_articles_are_all_broken_is_refused_naming_the_first(tmp_path: Path) -> None:
    broken = tmp_path / "nexis.txt"
    broken.write_text(
        "Title\nOutlet\nMarch 1, 2024 Friday\nLength: 3 words\n\nNo body marker here\n"
        "Load-Date: March 2, 2024\nEnd of Document\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        read_articles(broken)
    assert caught.value.path == broken
    assert caught.value.reason.startswith("no article could be imported: Nexis Uni article 1 ")


def test_a_text_that_only_mentions_end_of_document_stays_one_article(tmp_path: Path) -> None:
    plain = tmp_path / "essay.txt"
    plain.write_text("Endings\n\nThe clerk typed End of Document and went home.\n", encoding="utf-8")
    (article,) = read_articles(plain)
    assert article.title == "Endings" and "End of Document" in article.text


def test_a_lexisnexis_academic_export_splits_on_its_documents_headers(tmp_path: Path) -> None:
    lighthouse, flood = read("lexisnexis_academic.txt")
    assert (lighthouse.title, lighthouse.source, lighthouse.published) == (
        "Lighthouse to be sold at auction", "The Harbour Times (Riverton)", date(2010, 3, 12)
    )
    assert (lighthouse.author, lighthouse.section) == ("Priya Nair", "NEWS; Pg. 7")
    assert lighthouse.metadata["length"] == "58" and lighthouse.metadata["dateline"] == "RIVERTON"
    assert lighthouse.text == (
        "The old lighthouse on Gull Point will be sold at auction next month, the harbour board "
        "said.\n\nBids are expected from a hotel group and a local trust."
    )
    assert (flood.title, flood.source, flood.author) == (
        "Flood defences finished early", "Valley Courier", None
    )
    assert_no_boilerplate(
        [lighthouse, flood], ("DOCUMENTS", "LOAD-DATE", "LANGUAGE", "Copyright", "Rights", "BYLINE")
    )
    broken = tmp_path / "ln.txt"
    text = (NEWS / "lexisnexis_academic.txt").read_text(encoding="utf-8")
    broken.write_text(text.replace("LENGTH: 58 words", ""), encoding="utf-8")
    (only,) = read_articles(broken)
    assert only.title == "Flood defences finished early"
    assert only.warnings == (
        'LexisNexis article 1 was not imported: no "LENGTH:" line ends its title and fields',
    )


# --- Factiva -----------------------------------------------------------------------------


def test_a_factiva_rtf_export_with_field_codes_gives_one_document_per_article() -> None:
    articles = read("factiva_coded.rtf")
    assert [a.title for a in articles] == [
        "Bridge repairs to close main road for a month", "Allotment waiting list reaches record",
    ]
    bridge = articles[0]
    assert (bridge.author, bridge.source, bridge.published) == (
        "Renée Martin", "Eastfield Evening News", date(2024, 1, 22)
    )
    assert bridge.metadata["length"] == "1204"
    assert bridge.metadata["database_id"] == "EASTEN0020240122ek1m0000d"
    assert bridge.text == (
        "The main road through Eastfield will close for a month from 1 March while the river "
        "bridge is repaired.\nBuses will be diverted through Westgate.\nShops on the high street "
        "fear a quiet spring – but the council says the work cannot wait."
    )
    assert bridge.warnings == (
        "Factiva article 2 was not imported: it has no text (fields LP and TD are empty)",
    )
    assert_no_boilerplate(articles, FACTIVA_BOILERPLATE)


def test_a_factiva_html_export_without_codes_reads_each_article_block() -> None:
    articles = read("factiva_articles.html")
    wind, museum = articles
    assert wind.title == "Wind farm approved off the northern cape"
    assert (wind.author, wind.source, wind.published, wind.metadata["length"]) == (
        "Maria Olsen", "Northern Herald", date(2024, 2, 4), "214"
    )
    assert wind.text == (
        "The regional authority approved forty turbines eleven kilometres off the cape on Friday."
        "\nFishing groups said they would appeal against the decision."
    )
    assert (museum.title, museum.section, museum.source, museum.author) == (
        "Museum reopens after two-year repair", "Culture", "Valley Courier", None
    )
    assert museum.text == (
        "The town museum opened its doors again on Saturday, with a new roof and a café."
    )
    assert wind.warnings == (
        'Factiva article 3 was not imported: no "N words" line follows its headline',
    )
    assert_no_boilerplate(articles, (*FACTIVA_BOILERPLATE, "Dow Jones", "Search"))


def test_a_factiva_html_export_with_field_codes_keeps_the_section_and_drops_the_index() -> None:
    (strike,) = read("factiva_coded.html")
    assert (strike.title, strike.author, strike.section, strike.published) == (
        "Rail strike called off after late talks", "Sam Patel", "National", date(2024, 1, 19)
    )
    assert strike.source == "The Midland Chronicle" and strike.metadata["language"] == "English"
    assert strike.text.splitlines() == [
        "A strike planned for Monday has been called off after talks ran past midnight.",
        "Union leaders said the new offer would be put to members next week.",
        "Commuters welcomed the news.",
    ]
    assert_no_boilerplate([strike], FACTIVA_BOILERPLATE)


# --- Feeds -------------------------------------------------------------------------------


def test_an_rss_feed_gives_one_document_per_item_with_its_full_content_as_text() -> None:
    harbour, ferry = read("news_feed.rss")
    assert harbour.title == "Harbour plan divides council"
    assert harbour.url == "https://gazette.example.org/local/harbour-plan"
    assert (harbour.published, harbour.author) == (date(2024, 3, 12), "Jane Doe")
    assert harbour.source == "Riverton Gazette – Local"
    assert harbour.metadata["guid"] == "gazette-2024-0312-001"
    # content:encoded wins over the description; its markup and script are gone
    assert harbour.text == (
        "Councillors in Riverton split seven to six on Monday over a plan to dredge the old "
        "harbour.\nThe mayor said a public meeting would be held."
    )
    assert ferry.text == "Islanders will have two sailings a day instead of four."
    assert ferry.author is None
    assert harbour.warnings == ("feed item 3 was not imported: it has no description or content",)


def test_an_atom_feed_saved_as_xml_reads_content_or_summary_and_the_published_date() -> None:
    museum, bridge = read("atom_feed.xml")
    assert (museum.title, museum.author, museum.published, museum.url) == (
        "Museum reopens after two-year repair", "Li Wei", date(2024, 2, 3),
        "https://courier.example.net/museum-reopens",
    )
    assert museum.text == (
        "The town museum opened its doors again on Saturday.\nVisitors queued round the square."
    )
    assert bridge.published == date(2024, 2, 2)  # no <published>: its <updated>
    assert bridge.text == "The main road will close for a month from 1 March."
    assert museum.source == "Valley Courier"


def test_a_feed_never_reads_files_its_entities_point_to(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    feed = tmp_path / "evil.rss"
    feed.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title>"
        "<description>before &s; after</description></item></channel></rss>",
        encoding="utf-8",
    )
    (article,) = read_articles(feed)
    assert "before" in article.text and "TOP-SECRET" not in article.text


def test_xml_that_is_not_a_feed_is_refused_with_the_reason() -> None:
    with pytest.raises(ImportFileError) as caught:
        read("not_a_feed.xml")
    assert "not an RSS or Atom feed" in caught.value.reason


def test_a_feed_cut_short_keeps_the_items_before_the_cut(tmp_path: Path) -> None:
    whole = (NEWS / "news_feed.rss").read_text(encoding="utf-8")
    cut = tmp_path / "cut.rss"
    cut.write_text(whole[: whole.index("<item>", whole.index("</item>"))] + "<item><title>Half", encoding="utf-8")
    articles = read_articles(cut)
    assert articles[0].title == "Harbour plan divides council"


# --- Single articles: .rtf and .odt -----------------------------------------------------


def test_an_rtf_article_imports_like_a_word_file() -> None:
    (article,) = read("article.rtf")
    assert article.title == "Night buses return to the city centre"
    assert article.text.splitlines()[1] == "By Aisha Rahman"
    assert "Café owners" in article.text and "“it was like a ghost town”" in article.text
    assert "Times New Roman" not in article.text and "Draft" not in article.text


def test_an_odt_article_imports_its_heading_and_paragraphs_without_notes_or_comments() -> None:
    (article,) = read("article.odt")
    assert article.title == "Tram line extension opens"
    assert article.text == (
        "Tram line extension opens\nBy Sofia Marquez\n"
        "The new tram stop at Eastgate opened on Saturday, two months late.\n"
        "Riders said the journey took  twelve minutes — half the bus time."
    )


def test_rtf_escapes_are_read_in_the_code_page_the_file_declares(tmp_path: Path) -> None:
    cyrillic = tmp_path / "privet.rtf"
    cyrillic.write_bytes(b"{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2\\par}")
    (article,) = read_articles(cyrillic)
    assert article.text == "Привет"


def test_files_with_the_right_name_but_the_wrong_content_are_refused(tmp_path: Path) -> None:
    fake_rtf = tmp_path / "fake.rtf"
    fake_rtf.write_text("just text", encoding="utf-8")
    fake_odt = tmp_path / "fake.odt"
    fake_odt.write_bytes(b"not a zip")
    for path, reason in ((fake_rtf, "is not an RTF file"), (fake_odt, "is not an OpenDocument")):
        with pytest.raises(ImportFileError) as caught:
            read_articles(path)
        assert caught.value.reason.startswith(reason)


# --- Through the import service and the command line ------------------------------------


def test_import_service_lands_the_good_articles_and_warns_about_the_broken_ones(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("nexis_uni_broken.txt", "news_feed.rss", "factiva_coded.rtf", "article.odt"):
        shutil.copy(NEWS / name, folder / name)
    report = run_import(project, [folder])
    browser = Browser(project)
    titles = [s.title for s in browser.page()]
    by_name = {Path(r.path).name: r for r in report.results}
    assert {n: r.documents for n, r in by_name.items()} == {
        "article.odt": 1, "factiva_coded.rtf": 2, "news_feed.rss": 2, "nexis_uni_broken.txt": 1,
    }
    assert all(r.outcome is Outcome.IMPORTED for r in report.results)
    assert len(by_name["nexis_uni_broken.txt"].warnings) == 2
    assert browser.count() == 6 and titles.count("Harbour plan divides council") == 2
    assert "Allotment waiting list reaches record" in titles


def test_cli_import_of_database_exports_and_a_feed(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    result = annotator(
        "import", project, NEWS / "nexis_uni_export.docx", NEWS / "factiva_articles.html",
        NEWS / "atom_feed.xml",
    )
    assert result.returncode == 0, result.stderr
    assert "Imported 7 document(s) from 3 file(s)" in result.stdout
    assert (
        "factiva_articles.html: Factiva article 3 was not imported: no \"N words\" line follows "
        "its headline" in result.stdout + result.stderr
    )
