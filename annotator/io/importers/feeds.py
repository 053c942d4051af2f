"""RSS and Atom feeds (.rss, and .xml whose root is rss, feed or rdf:RDF): one article per item.

feedparser reads RSS 0.9x/1.0/2.0 and Atom from the file's bytes (it is never given a URL, so
nothing is fetched). Each item's title, link, date and author are kept; its text is its full
content when the feed has it (``content:encoded``, Atom ``content``), else its description or
summary, turned from HTML into plain text. The feed's own title becomes each article's source.
"""

from __future__ import annotations

import re
from pathlib import Path
from time import struct_time
from typing import Any

import feedparser

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import (
    document,
    is_blank,
    normalise_newlines,
    one_line,
    with_warnings,
)
from annotator.io.importers.html_text import visible_text
from annotator.io.importers.options import ImportOptions

# the first element after the XML declaration, comments, processing instructions and doctype
_ROOT = re.compile(
    rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)", re.DOTALL
)
_HEAD = 64 * 1024
"""Bytes looked at for the root element (a long doctype or comment before it is unusual)."""
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    root = feed_root(data)
    if root is None:
        kind = "an XML file" if path.suffix.lower() == ".xml" else "this file"
        raise ImportFileError(path, f"{kind} is not an RSS or Atom feed (its root element is not "
                              "<rss>, <feed> or <rdf:RDF>); Annotator imports XML only as feeds")
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            why = one_line(parsed.get("bozo_exception")) or "it is not well-formed XML"
            raise ImportFileError(path, f"cannot read this feed: {why}")
        raise ImportFileError(path, "the feed has no items")
    source = one_line(parsed.get("feed", {}).get("title")) or None
    articles: list[NewDocument] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, start=1):
        text = _text(entry)
        if is_blank(text):
            problems.append(f"feed item {number} was not imported: it has no description or content")
            continue
        articles.append(
            document(
                path, text,
                title=one_line(entry.get("title")) or f"{path.stem} (item {number})",
                author=entry.get("author"), source=source, url=entry.get("link"),
                published=_date(entry),
                metadata={"item": str(number), **_guid(entry)},
            )
        )
    if not articles:
        raise ImportFileError(path, f"no item could be imported: {problems[0]}")
    return with_warnings(articles, tuple(problems))


def feed_root(data: bytes) -> str | None:
    """The feed's root element name (rss, feed, rdf), or None when the XML is something else."""
    match = _ROOT.match(data[:_HEAD].lstrip(b"\xef\xbb\xbf"))
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()
    return name if name in _FEED_ROOTS else None


def _text(entry: Any) -> str:
    """The item's fullest text: content, else description/summary, as plain text."""
    for detail in [*(entry.get("content") or []), entry.get("summary_detail")]:
        if not detail or is_blank(detail.get("value")):
            continue
        value = str(detail["value"])
        if detail.get("type", "text/html") in _HTML_TYPES:
            return visible_text(value)
        return normalise_newlines(value).strip()
    return ""


def _date(entry: Any) -> object:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if isinstance(stamp, struct_time):
            return f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
    return entry.get("published") or entry.get("updated")


def _guid(entry: Any) -> dict[str, str]:
    guid = one_line(entry.get("id"))
    return {"guid": guid} if guid and guid != one_line(entry.get("link")) else {}
