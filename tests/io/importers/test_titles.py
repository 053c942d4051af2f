"""Title detection skips kicker lines ("Breaking News", dates, bylines) above the headline."""

from __future__ import annotations

import pytest

from annotator.io.importers.titles import headline, is_kicker
from tests.io.importers.helpers import fixture, read_one

HEADLINE = "Flood Barrier Approved To Protect Riverside Districts"


def test_the_headline_not_the_breaking_news_kicker_is_the_title() -> None:
    article = read_one(fixture("kicker_article.txt"))
    assert article.title == HEADLINE
    assert article.text.startswith("Breaking News\n\n")  # the text itself is kept as it was


@pytest.mark.parametrize(
    "line",
    [
        "Breaking News", "BREAKING NEWS:", "Exclusive", "Live", "Live updates", "Opinion",
        "Updated", "Eilmeldung", "Updated 10:42 GMT, June 22, 2024", "Saturday, June 22, 2024",
        "22.06.2024", "2024-06-22", "June 22, 2024 at 10:42 pm", "By Jane Doe",
        "By J. R. Smith and Ana Ruiz, Reuters", "Von Anna Müller", "5 min read", "World › Asia",
        "Home / Politics / Pakistan", "WORLD", "MIDDLE EAST", "— Analysis —",
    ],
)
def test_kicker_lines(line: str) -> None:
    assert is_kicker(line)


@pytest.mark.parametrize(
    "line",
    [
        HEADLINE, "Council approves budget", "March for Peace draws 10,000", "9.11 Memorial opens",
        "Von der Leyen visits Kyiv", "By-election called in Lahore", "By the numbers: the budget",
        "From Kabul to Kyiv", "Live: Election results as they come in", "Update: vote delayed",
        "May Day rally in Karachi",
    ],
)
def test_headlines_are_not_kickers(line: str) -> None:
    assert not is_kicker(line)


def test_several_kickers_a_date_and_a_byline_are_skipped() -> None:
    text = "EXCLUSIVE\nOpinion\nJune 22, 2024\nBy Jane Doe\nThe real headline\nBody text."
    assert headline(text) == "The real headline"


def test_a_text_of_kickers_only_keeps_its_first_line() -> None:
    assert headline("Breaking News\n\nLive\n") == "Breaking News"


def test_the_search_stops_at_the_first_paragraph() -> None:
    body = "word " * 60
    assert headline(f"Breaking News\n{body}\nA short line later") == "Breaking News"


def test_a_long_first_line_is_still_no_title() -> None:
    assert headline("word " * 60 + "\nShort second line") is None


def test_markdown_heading_marks_are_dropped() -> None:
    assert headline("## Opinion\n# The Headline #\n\nBody.", markdown=True) == "The Headline"
