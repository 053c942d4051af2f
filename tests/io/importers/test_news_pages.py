"""The HTML importer on the news pages of tests/io/fixtures/news (see its README).

Every expected paragraph is imported, and the furniture the extractor used to leave —
cookie notices, "Read more:" lines, navigation tables as ``| … |`` rows, comment threads,
related-story lists — is gone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io.importers.boilerplate import normal
from benchmarks.bench_boilerplate import AFTER, BEFORE, VARIANTS, Score, score
from tests.io.importers.helpers import FIXTURES, read_one

NEWS = FIXTURES / "news"
PAGES = sorted(NEWS.glob("*.html"))

GONE = {  # boilerplate each page used to leave in the imported text
    "modelled_pk_breaking.html": ["Breaking News", "Read more:", "Also read:"],
    "modelled_de_cookie.html": ["Lesen Sie auch", "Wir verwenden Cookies", "Newsletter abonnieren"],
    "modelled_nav_table.html": ["| Home |", "| Editorial |", "Share this article", "Also read:",
                                "Read more:", "Click here to subscribe", "Copyright 2024"],
    "newspaper4k_time_001.html": ["More Must-Reads From TIME", "The Best Inventions of 2023"],
    "newspaper4k_spanish_article.html": ["Hace 28 minutos", "El contenido de los comentarios"],
    "newspaper4k_latvian_article.html": ["Piesakies LSM pasta", "Iesaki šo rakstu"],
    "newspaper4k_video_article_02.html": ["MAKE SOMEONE'S DAY"],
    "newspaper4k_cnn_article.html": ["5 healthy eating tips for holiday travelers"],
    "newspaper4k_yna_co_kr.html": ["(END)", "@yna.co.kr"],
    "newspaper4k_fox13now_001.html": ["All rights reserved"],
}


def test_every_page_has_its_expected_text() -> None:
    assert len(PAGES) >= 10
    for page in PAGES:
        assert page.with_suffix(".expected.txt").is_file(), page.name
    assert sum(page.stat().st_size for page in NEWS.iterdir()) < 450_000  # small fixtures


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_every_expected_paragraph_is_imported_and_the_furniture_is_gone(page: Path) -> None:
    article = read_one(page)
    text = normal(article.text)
    for line in page.with_suffix(".expected.txt").read_text("utf-8").split("\n"):
        assert normal(line) in text, f"missing: {line[:80]}"
    for furniture in GONE.get(page.name, []):
        assert furniture not in article.text, furniture


def test_the_boilerplate_share_is_reduced_without_losing_text() -> None:
    before, after = Score(), Score()
    for page in PAGES:
        before.add(score(page, VARIANTS[BEFORE]))
        after.add(score(page, VARIANTS[AFTER]))
    assert after.recall == before.recall == 1.0
    assert after.boilerplate_share < 0.15 < 0.3 < before.boilerplate_share


def test_modelled_pages_keep_their_title_and_metadata() -> None:
    article = read_one(NEWS / "modelled_pk_breaking.html")
    assert article.title == "Cabinet Approves Flood Barrier For Riverside Districts"
    assert article.source == "Daily Frontier"
    assert str(article.published) == "2024-06-24"
    table_page = read_one(NEWS / "modelled_nav_table.html")
    assert table_page.title == "Water tariff rise postponed after protests"
    # the story sat in a layout table's cell: its paragraphs stay paragraphs, not one `| … |` row
    assert table_page.text.split("\n")[0].startswith("The water board has postponed")
    assert len(table_page.text.split("\n")) == 4
