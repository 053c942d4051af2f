"""What the main-text extractor leaves of a news page's furniture, and removing it.

Measured on the pages in ``tests/io/fixtures/news`` by ``benchmarks/bench_boilerplate.py``
(a third of the lines trafilatura kept there were furniture; about a tenth are now, and no
paragraph of an article is lost). The steps:

* before extraction, in the page's tree: a table whose text is mostly links is navigation
  (trafilatura would keep it as ``| Home | World | Sport |`` rows) and goes; a table that
  lays out the page (its cells hold paragraphs or headings) is unwrapped into plain blocks,
  so the story in one of its cells keeps its paragraphs instead of becoming one table row;
* lines that come from blocks named as furniture (class or id "comments", "related",
  "share", "newsletter", "cookie"...) or from a short paragraph that is one link (a teaser
  for another story) are dropped from the extracted text;
* after extraction, short lines that are furniture in any article: "Read more: ...",
  "Also read: ...", cookie and consent notices, "Share this article", subscription calls,
  rights notices, a reporter's e-mail address; and kicker lines ("Breaking News", a date, a
  byline) above the first line of the article.
  Only whole lines are dropped, never words inside a paragraph.
"""

from __future__ import annotations

import re

import lxml.html

from annotator.io.importers.html_text import visible_text
from annotator.io.importers.titles import is_kicker

_LINK_SHARE = 0.5
"""A table whose text is at least this share links is navigation."""
_LAYOUT_BLOCKS = "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "article"
_TABLE_PARTS = "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"
_FURNITURE_NAMES = frozenset((
    "comment", "comments", "commentlist", "recirc", "related", "recommended", "recommendations",
    "subscribe", "newsletter", "share", "sharing", "sharebar", "social", "cookie", "cookies",
    "consent", "gdpr", "outbrain", "taboola", "paywall",
))
_NAME_PARTS = re.compile(r"[\s_:-]+")
_NOT_WORD = re.compile(r"\W+")
_MAX_FURNITURE_SHARE = 0.3
"""A block named like furniture but holding more of the page's text than this is kept."""
_MAX_TEASER_WORDS = 15
_MAX_FURNITURE_WORDS = 25
"""A furniture line is short; a longer line is a paragraph, whatever it starts with."""

_LABEL = re.compile(  # links to other stories: a label, then a colon (or nothing)
    r"^\W*((read|see) (more|also)|also read|related( (news|stories|articles|coverage|content))?"
    r"|more on this( story)?|more from|recommended|you may also like|lesen sie (auch|mehr)"
    r"|auch interessant|mehr zum thema|das könnte sie auch interessieren|lire aussi|à lire aussi"
    r"|voir aussi|lea también|lee también|leer más|ver también|relacionad[oa]s)\s*([:：|»›–—-]|$)",
    re.IGNORECASE,
)
_PHRASE = re.compile(  # sharing, following, subscribing: phrases no article sentence starts with
    r"^\W*(share (this|on)|follow us|artikel teilen|teilen sie (diesen|den) artikel"
    r"|click here to subscribe|subscribe to (our|the)|sign up for (our|the)|newsletter abonnieren"
    r"|jetzt abonnieren|abonnez-vous|suscríbete)\b",
    re.IGNORECASE,
)
_ANYWHERE = re.compile(  # in a short line: rights notices, wire end marks
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
    r"|(copyright|©)\s*\d{4}|^\W*(end|ends|fin)\W*$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_MAX_EMAIL_WORDS = 10
""""Write to Jane Doe at jane@example.com"; a longer line with an address is a sentence."""
_CONSENT = re.compile(
    r"(we use cookies|(this|our) (web)?site uses cookies|by continuing to (use|browse)"
    r"|accept (all )?cookies|cookie (policy|settings|preferences)|wir verwenden cookies"
    r"|diese (web)?seite verwendet cookies|alle akzeptieren|nous utilisons des cookies"
    r"|utilizamos cookies|usamos cookies)\b",
    re.IGNORECASE,
)
"""A banner starts with one of these, or holds two; an article may mention one in passing."""
_MAX_CONSENT_WORDS = 80


def clean_tables(root: lxml.html.HtmlElement) -> None:
    """Drop navigation tables and unwrap layout tables, innermost first, in place."""
    for table in reversed(root.xpath("//table")):
        if table.getparent() is None:
            continue
        if table.xpath(".//*[" + " or ".join(f"self::{tag}" for tag in _LAYOUT_BLOCKS) + "]"):
            _unwrap(table)
        elif _link_share(table) >= _LINK_SHARE:
            table.drop_tree()


def furniture_block_lines(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The lines of comment threads, related-story boxes, share bars, newsletter and cookie
    boxes, found by the words in their class or id (compared in ``normal`` form).

    They are removed from the extracted text afterwards, not from the tree before: taking a
    block out of the tree changes what the extractor judges to be the article (a newsletter
    form removed from a Latvian page cost it its lead paragraph). A block holding a large
    share of the page's text is never furniture, whatever its name.
    """
    body = root.find("body")
    total = _text_length(body if body is not None else root)
    lines: set[str] = set()
    for element in root.xpath("//*[@class or @id]"):
        if element.tag in ("body", "html", "main", "article"):
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}".casefold()
        if not _FURNITURE_NAMES.intersection(_NAME_PARTS.split(names)):
            continue
        if _text_length(element) <= total * _MAX_FURNITURE_SHARE:
            html = lxml.html.tostring(element, encoding="unicode", with_tail=False)
            lines.update(normal(line) for line in visible_text(html).split("\n"))
    for element in root.iter("p", "li"):
        if _is_link_teaser(element):
            lines.add(normal(element.text_content()))
    lines.discard("")
    return frozenset(lines)


def _is_link_teaser(element: lxml.html.HtmlElement) -> bool:
    """A short paragraph or list item that is one link and nothing else: another story."""
    links = element.findall(".//a")
    if len(links) != 1:
        return False
    text = normal(element.text_content())
    return bool(text) and len(text.split()) <= _MAX_TEASER_WORDS and normal(links[0].text_content()) == text


def normal(line: str) -> str:
    """A line compared without case, punctuation and spacing."""
    return " ".join(_NOT_WORD.sub(" ", line.casefold()).split())


def _text_length(element: lxml.html.HtmlElement) -> int:
    return len("".join(element.text_content().split()))


def _unwrap(table: lxml.html.HtmlElement) -> None:
    """The table and its rows and cells become plain ``div``s, each cell its own block."""
    for element in table.iter(*_TABLE_PARTS):
        element.tag = "div"
        element.attrib.clear()


def _link_share(element: lxml.html.HtmlElement) -> float:
    text = len("".join(element.text_content().split()))
    if not text:
        return 1.0  # a table of images or buttons: no text to lose
    links = sum(len("".join(link.text_content().split())) for link in element.iter("a"))
    return links / text


def drop_furniture_lines(
    text: str, block_lines: frozenset[str] = frozenset(), patterns: bool = True
) -> str:
    """The text without its short "Read more:", sharing, subscription and cookie lines, and
    without the lines that come from furniture blocks (``furniture_block_lines``)."""
    lines = text.split("\n")
    if patterns:  # labels, dates and bylines above the headline: "Breaking News", "By ..."
        while lines and (is_kicker(lines[0]) or not lines[0].strip()):
            lines.pop(0)
    kept = [
        line
        for line in lines
        if not (patterns and is_furniture(line)) and (not block_lines or normal(line) not in block_lines)
    ]
    return "\n".join(kept)


def is_furniture(line: str) -> bool:
    """A whole line that is page furniture, not part of an article."""
    words = len(line.split())
    if not words:
        return False
    if words <= _MAX_FURNITURE_WORDS and (
        _LABEL.match(line) or _PHRASE.match(line) or _ANYWHERE.search(line)
    ):
        return True
    if words <= _MAX_EMAIL_WORDS and _EMAIL.search(line):
        return True
    if words > _MAX_CONSENT_WORDS:
        return False
    consent = {match.group(0).casefold() for match in _CONSENT.finditer(line)}
    return len(consent) >= 2 or bool(_CONSENT.match(line.lstrip(" \t\"'“„«")))
