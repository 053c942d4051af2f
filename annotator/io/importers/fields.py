"""Small helpers every importer shares: newlines, dates, titles, values as strings."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from annotator.domain.model import NewDocument

MAX_TITLE_LINE = 200
"""A first line longer than this is a paragraph, not a title."""

_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d. %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%A, %d %B %Y",
    "%a, %d %b %Y",
    "%A %d %B %Y",
)
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


def parse_date(raw: str) -> date | None:
    """A date from ISO and a few common formats; None when unsure (e.g. 05/03/2024)."""
    value = " ".join(raw.split())
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    numeric = _NUMERIC_DMY.match(value)
    if numeric:
        return _day_month_year(*(int(part) for part in numeric.groups()))
    try:
        return parsedate_to_datetime(value).date()  # RFC 2822, as in e-mail and RSS
    except (TypeError, ValueError, IndexError):
        return None


def _day_month_year(first: int, second: int, year: int) -> date | None:
    """``a/b/yyyy`` only when day and month cannot be mixed up."""
    if first > 12 or first == second:
        day, month = first, second
    elif second > 12:
        day, month = second, first
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_fields(value: object) -> tuple[date | None, dict[str, str]]:
    """The published date for a raw value, and ``{"date_raw": ...}`` if it could not be read."""
    if isinstance(value, datetime):
        return value.date(), {}
    if isinstance(value, date):
        return value, {}
    raw = to_text(value).strip()
    if not raw:
        return None, {}
    parsed = parse_date(raw)
    return (parsed, {}) if parsed is not None else (None, {"date_raw": raw})


def to_text(value: object) -> str:
    """A cell or JSON value as the string a researcher would expect to see."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalise_newlines(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def one_line(value: object) -> str:
    """A title, author or source: whitespace (newlines included) collapsed."""
    return " ".join(to_text(value).split())


def optional(value: object) -> str | None:
    text = one_line(value)
    return text or None


def document(
    path: Path,
    text: str,
    *,
    title: object = None,
    author: object = None,
    source: object = None,
    url: object = None,
    published: object = None,
    section: object = None,
    metadata: Mapping[str, str] | None = None,
    warnings: tuple[str, ...] = (),
) -> NewDocument:
    """One article of a file; ``text`` must already be checked to be non-blank.

    Title, author, source, section and url may be any cell value; blank ones count as missing, and
    a missing title becomes the file's stem.
    """
    published_date, date_meta = date_fields(published)
    return NewDocument(
        text=normalise_newlines(text),
        title=one_line(title) or path.stem,
        source=optional(source),
        author=optional(author),
        url=optional(url),
        published=published_date,
        original_filename=path.name,
        metadata={**(metadata or {}), **date_meta},
        warnings=warnings,
        section=optional(section),
    )


def with_warnings(articles: list[NewDocument], warnings: tuple[str, ...]) -> list[NewDocument]:
    """The articles of one file, each carrying the file's warnings (from decoding it)."""
    if not warnings:
        return articles
    return [replace(article, warnings=(*article.warnings, *warnings)) for article in articles]
