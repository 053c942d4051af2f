"""The boilerplate rules, one by one: furniture lines, navigation and layout tables, teasers."""

from __future__ import annotations

import lxml.html
import pytest

from annotator.io.importers.boilerplate import (
    clean_tables,
    drop_furniture_lines,
    furniture_block_lines,
    is_furniture,
)
from annotator.io.importers.html import extract_page


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Cabinet Reshuffle Expected Before Budget Session", "Also read: Water shortage",
        "READ MORE: Riot is considering changes", "Lesen Sie auch: Haushalt 2024", "Related Stories",
        "Share this article: Facebook Twitter", "Follow us on Twitter",
        "We use cookies to ensure that we give you the best experience on our website.",
        "© 2024 Daily Frontier. All rights reserved.", "| About us | Contact | Copyright 2024 Herald |",
        "kokobj@yna.co.kr", "Write to Alejandro de la Garza at alejandro@time.example", "(END)",
        "Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren.",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "The minister said she would read more reports before deciding.",
        "Related parties must declare their interests, the regulator said.",
        "Read more: " + "word " * 30,  # a long line is a paragraph, whatever it starts with
        "The court ruled that the site's cookie banner misled users about tracking, and fined "
        "the company. " * 8,
        "Regulators said the 'accept all cookies' button must be as easy to find as the other.",
        "Tips can be sent to tips@police.example.org, a spokesman for the provincial police said.",
    ],
)
def test_paragraphs_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_leading_kickers_are_dropped_but_a_later_date_line_stays() -> None:
    text = "Breaking News\nJune 24, 2024\nThe council met.\nJune 24, 2024\nIt voted."
    assert drop_furniture_lines(text) == "The council met.\nJune 24, 2024\nIt voted."


def _root(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def test_a_navigation_table_goes_a_data_table_stays_a_layout_table_is_unwrapped() -> None:
    root = _root(
        "<table id='nav'><tr><td><a href='/'>Home</a></td><td><a href='/w'>World</a></td></tr></table>"
        "<table id='data'><tr><td>Smith</td><td>12 votes</td></tr></table>"
        "<table id='layout'><tr><td><p>First paragraph.</p><p>Second.</p></td></tr></table>"
    )
    clean_tables(root)
    assert root.find(".//*[@id='nav']") is None
    assert root.find(".//table[@id='data']") is not None
    assert root.find(".//table") is root.find(".//table[@id='data']")  # layout table unwrapped
    assert root.find(".//div/div/div/p").text == "First paragraph."


def test_blocks_named_as_furniture_and_link_teasers_give_lines_to_drop() -> None:
    root = _root(
        "<article><p>The story itself, long enough to be the article.</p>"
        "<p><a href='/other'>Another story entirely</a></p></article>"
        "<div class='comments-list'><p>First!</p></div><div id='newsletter'>Sign up now</div>"
    )
    assert furniture_block_lines(root) == {"first", "sign up now", "another story entirely"}


def test_a_block_named_share_that_holds_the_article_is_kept() -> None:
    paragraphs = "".join(f"<p>Paragraph {i} of the story, with enough words in it.</p>" for i in range(8))
    page = extract_page(f"<html><body><div class='share-wrapper'>{paragraphs}</div></body></html>")
    assert "Paragraph 7 of the story" in page.text
