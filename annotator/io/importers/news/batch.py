"""What splitting a database export gives: the articles read, and those that could not be."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotator.domain.model import NewDocument
from annotator.io.importers.fields import parse_date

# "March 12, 2024 Tuesday", "12 March 2024", "March 12, 2024 Tuesday 10:30 AM GMT"
_LEADING_DATE = re.compile(
    r"^\s*((?:[A-Z][a-z]+\.? \d{1,2},? \d{4})|(?:\d{1,2} [A-Z][a-z]+\.? \d{4})|(?:\d{4}-\d{2}-\d{2}))"
)
_WORDS = re.compile(r"^\s*([\d,.]+)\s*words?\b", re.IGNORECASE)


@dataclass
class Batch:
    database: str
    articles: list[NewDocument] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(article number, counted from 1 in the file, reason it was not imported)."""


def leading_date(line: str) -> str | None:
    """The date a line starts with ("March 12, 2024 Tuesday" -> "March 12, 2024"), if any."""
    match = _LEADING_DATE.match(line)
    if match is None:
        return None
    return match.group(1) if parse_date(match.group(1)) is not None else None


def word_count(value: str) -> str | None:
    """ "1,204 words" -> "1204"."""
    match = _WORDS.match(value)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return digits or None


def body(lines: list[str]) -> str:
    """Paragraph lines joined, surrounding blank lines dropped, inner runs of blanks kept to one."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped or (kept and kept[-1]):
            kept.append(stripped)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
