"""Saved web pages: main text without boilerplate, metadata, charsets declared late."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annotator.io.importers import html
from tests.io.importers.helpers import fixture, read_one, refused

LATE_TEXT = (
    "Le conseil approuve le budget\n"
    "Le conseil municipal a approuvé mardi le budget de l’année prochaine, qui prévoit "
    "davantage d’argent pour les écoles et les routes de la ville.\n"
    "La maire a déclaré que c’était « une bonne journée pour la ville » et a remercié les "
    "habitants qui ont participé à la consultation publique."
)


def test_charset_declared_after_the_first_kilobyte_is_found() -> None:
    data = fixture("late_charset.html").read_bytes()
    assert data.index(b"charset=ISO-8859-1") > 1024
    assert html.declared_charset(data) == "cp1252"  # ISO-8859-1 means windows-1252 on the web


def test_main_text_and_metadata_without_navigation_header_footer_or_script() -> None:
    article = read_one(fixture("late_charset.html"))
    assert article.text == LATE_TEXT
    for boilerplate in ("NAVWORD", "HEADERWORD", "FOOTERWORD", "SCRIPTWORD", "Accueil", "rule-1"):
        assert boilerplate not in article.text
    assert article.title == "Le conseil approuve le budget"
    assert article.author == "Élise Martin"
    assert article.published == date(2024, 3, 5)
    assert article.source == "Exemple Nouvelles"
    assert article.url == "https://news.example.org/2024/03/budget"
    assert article.original_filename == "late_charset.html"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<META CHARSET=windows-1250>", "cp1250"),
        (b'<meta http-equiv="content-type" content="text/html;charset=koi8-r">', "koi8-r"),
        (b'<meta charset="utf-16">', "utf-8"),  # a readable meta tag means it is not UTF-16
        (b'<meta charset="no-such-charset">', None),
        (b"<p>charset=utf-8 in the text is not a declaration</p>", None),
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert html.declared_charset(b"<html><head>" + head + b"</head></html>") == expected


def test_xml_declaration_counts_at_the_start_only() -> None:
    declaration = b'<?xml version="1.0" encoding="iso-8859-1"?>'
    assert html.declared_charset(declaration + b"<html></html>") == "cp1252"
    assert html.declared_charset(b"<html><body><pre>" + declaration + b"</pre></html>") is None


def test_utf8_page_without_declaration(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(
        "<html><head><title>Grüße</title></head><body><p>Schöne Grüße aus Köln.</p>"
        "</body></html>".encode()
    )
    article = read_one(path)
    assert article.text == "Schöne Grüße aus Köln."
    assert article.title == "Grüße"
    assert article.published is None
    assert article.metadata == {}


def test_bom_wins_over_a_wrong_declaration(tmp_path: Path) -> None:
    path = tmp_path / "bom.html"
    path.write_bytes(
        b"\xef\xbb\xbf<html><head><meta charset='iso-8859-1'></head><body><p>"
        + "Café crème".encode()
        + b"</p></body></html>"
    )
    assert read_one(path).text == "Café crème"


def test_without_a_main_text_the_visible_body_text_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html.trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    path = tmp_path / "fallback.html"
    path.write_text(
        "<html><head><title>Fallback page</title><style>p{}</style></head><body>"
        "<nav>Menu</nav><header>Banner</header>"
        "<div>First   block <b>bold</b></div><p>Second<br>line</p>"
        "<script>var hidden = 1;</script><footer>Legal</footer></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.text == "First block bold\nSecond\nline"
    assert article.title == "Fallback page"


def test_visible_text_keeps_tails_of_dropped_elements() -> None:
    page = "<body><p>Before<script>x()</script> after</p><ul><li>One</li><li>Two</li></ul></body>"
    assert html.visible_text(page) == "Before after\nOne\nTwo"


def test_page_with_no_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text(
        "<html><head><title>Nothing</title></head><body><script>var a;</script></body></html>",
        encoding="utf-8",
    )
    refused(path, "no readable text")


def test_html_in_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.html"
    path.write_bytes(
        "\ufeff<html><body><p>Zürich meldet Schnee.</p></body></html>".encode("utf-16-le")
    )
    assert read_one(path).text == "Zürich meldet Schnee."
