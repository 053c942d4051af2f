"""Saved web pages: the article's main text and its title, author and date.

trafilatura finds the main text and drops navigation, headers, footers and comments. It
gets the decoded HTML string, never a URL, so nothing is fetched, and no script is run.
Paragraphs are separated by a single ``\\n``, as trafilatura and the Word importer do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document as ExtractedPage
from trafilatura.settings import set_date_params

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import document, is_blank, normalise_newlines, one_line
from annotator.io.importers.options import ImportOptions

# <meta charset="x">, or <meta http-equiv="Content-Type" content="text/html; charset=x">,
# anywhere in the file (some pages declare it after a long head).
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.IGNORECASE)
_BROWSER_SUPERSETS = {  # labels browsers read as a superset, as the HTML standard says
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
}
_INVISIBLE = ("script", "style", "noscript", "template", "nav", "header", "footer", "head")
# fmt: off
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
))
# fmt: on


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    html = decode_text(data, path, declared=declared_charset(data))
    if is_blank(html):
        raise ImportFileError(path, "has no text (only whitespace)")
    extracted = _extract(html)
    text = normalise_newlines(extracted.text or "") if extracted is not None else ""
    if is_blank(text):
        text = visible_text(html)
    if is_blank(text):
        raise ImportFileError(path, "has no readable text (the page body is empty)")
    if extracted is None:
        return [document(path, text, title=_title_element(html))]
    return [
        document(
            path,
            text,
            title=extracted.title or _title_element(html),
            author=extracted.author,
            source=extracted.sitename,
            url=extracted.url,
            published=extracted.date,
        )
    ]


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares (meta tag or XML declaration), as a Python codec name."""
    match = _XML_ENCODING.search(data) or _META_CHARSET.search(data)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in _BROWSER_SUPERSETS:
        return _BROWSER_SUPERSETS[name]
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a BOM-less page cannot really be UTF-16 if we can read its meta tag
    return name


def _extract(html: str) -> ExtractedPage | None:
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception:  # a trafilatura failure leaves the plain-body fallback
        return None
    return result if isinstance(result, ExtractedPage) else None


def _parse(html: str) -> lxml.html.HtmlElement | None:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _title_element(html: str) -> str | None:
    root = _parse(html)
    title = root.find(".//title") if root is not None else None
    return one_line(title.text_content()) if title is not None else None


def visible_text(html: str) -> str:
    """The text of ``<body>`` without scripts, styles, navigation, header and footer."""
    root = _parse(html)
    if root is None:
        return ""
    body = root.find("body")
    container = body if body is not None else root
    for element in container.xpath(" | ".join(f".//{tag}" for tag in _INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    pieces: list[str] = []
    _collect(container, pieces)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(element: lxml.html.HtmlElement, pieces: list[str]) -> None:
    block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
    if block:
        pieces.append("\n")
    if element.text and isinstance(element.tag, str):
        pieces.append(element.text)
    for child in element:
        _collect(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    if block:
        pieces.append("\n")
