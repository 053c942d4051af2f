"""Saved web pages: the article's main text and its title, author and date.

trafilatura finds the main text and drops navigation, headers, footers and comments. It
gets the decoded HTML string, never a URL, so nothing is fetched, and no script is run.
A page nested deeper than the HTML parser's limit is read whole by ``html_text`` instead.
Paragraphs are separated by a single ``\\n``, as trafilatura and the Word importer do.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document as ExtractedPage
from trafilatura.settings import set_date_params

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.boilerplate import (
    clean_tables,
    drop_furniture_lines,
    furniture_block_lines,
)
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import document, is_blank, normalise_newlines, one_line
from annotator.io.importers.html_text import visible_text
from annotator.io.importers.news import split_batch
from annotator.io.importers.news.factiva_html import factiva_page_text
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
_DATABASE_MARK = re.compile(r"\bDocument [A-Za-z0-9]{12,}\b")


@dataclass(frozen=True)
class Extraction:
    """How the main text is taken from a page; the defaults are what measured best on the
    news pages of the test fixtures (``benchmarks/bench_boilerplate.py``)."""

    clean_tables: bool = True
    drop_blocks: bool = True
    drop_furniture: bool = True
    favor_precision: bool = False


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    extracted: ExtractedPage | None
    warnings: tuple[str, ...] = ()


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    decoded = decode_text(data, path, declared=declared_charset(data))
    if is_blank(decoded.text):
        raise ImportFileError(path, "has no text (only whitespace)")
    if _DATABASE_MARK.search(decoded.text):  # a Factiva export: many articles, read whole
        batch = split_batch(path, factiva_page_text(decoded.text), decoded.warnings)
        if batch is not None:
            return batch
    page = extract_page(decoded.text)
    if is_blank(page.text):
        raise ImportFileError(path, "has no readable text (the page body is empty)")
    warnings = (*decoded.warnings, *page.warnings)
    extracted = page.extracted
    if extracted is None:
        return [document(path, page.text, title=page.title, warnings=warnings)]
    return [
        document(
            path,
            page.text,
            title=extracted.title or page.title,
            author=extracted.author,
            source=extracted.sitename,
            url=extracted.url,
            published=extracted.date,
            warnings=warnings,
        )
    ]


def extract_page(html: str, how: Extraction = Extraction()) -> Page:
    """The page's main text (or all its visible text when no main text is found)."""
    root, too_deep = _parse(html)
    title = _title_element(root)
    if root is None or too_deep:
        # the tree lost what lies deeper than the parser's limit: take all the visible text
        return Page(visible_text(html), title, None, (_TOO_DEEP,) if too_deep else ())
    block_lines = furniture_block_lines(root) if how.drop_blocks else frozenset()
    if how.clean_tables:
        clean_tables(root)
    extracted = _extract(root, how.favor_precision)
    text = normalise_newlines(extracted.text or "") if extracted is not None else ""
    if how.drop_furniture or block_lines:
        text = drop_furniture_lines(text, block_lines, patterns=how.drop_furniture)
    if is_blank(text):
        text = visible_text(html)
    return Page(text, title, extracted)


_TOO_DEEP = (
    "the page nests its elements too deeply (over 255 levels) to tell the article from the rest, "
    "so all its visible text was imported"
)


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


def _extract(root: lxml.html.HtmlElement, favor_precision: bool) -> ExtractedPage | None:
    try:
        result = trafilatura.bare_extraction(
            root,
            favor_precision=favor_precision,
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


def _parse(html: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """The page's tree, and whether the parser cut it at its nesting limit."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return root, any(_depth_error(entry) for entry in parser.error_log)


def _depth_error(entry: etree._LogEntry) -> bool:
    return entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message


def _title_element(root: lxml.html.HtmlElement | None) -> str | None:
    title = root.find(".//title") if root is not None else None
    return one_line(title.text_content()) if title is not None else None
