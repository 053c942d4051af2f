"""LexisNexis Academic exports (the service before Nexis Uni): "1 of 50 DOCUMENTS" headers.

Each article reads: "N of M DOCUMENTS", the outlet, the date ("March 12, 2010 Friday"),
perhaps the edition, the title, upper-case fields ("BYLINE:", "SECTION:", "LENGTH: 412
words"; "DATELINE:" or "HIGHLIGHT:" may follow LENGTH), the text, then "LOAD-DATE:",
"LANGUAGE:", "PUBLICATION-TYPE:" and the copyright lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.io.importers.fields import document, one_line
from annotator.io.importers.news.batch import Batch, body, leading_date, word_count

DATABASE = "LexisNexis"
_START = re.compile(r"^[ \t]*\d+ of \d+ DOCUMENTS[ \t]*$", re.MULTILINE)
_FIELD = re.compile(r"^\s*([A-Z][A-Z-]+(?: [A-Z][A-Z-]+)?):\s*(.*)$")
_AFTER_BODY = frozenset(
    {"LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "GRAPHIC", "UPDATE", "SUBJECT", "GEOGRAPHIC",
     "ORGANIZATION", "PERSON", "INDUSTRY", "TYPE", "NOTES", "CORRECTION-DATE", "JOURNAL-CODE",
     "DOCUMENT-TYPE", "COMPANY", "TICKER", "CITY", "STATE", "COUNTRY"}
)
_EDITION = re.compile(r"\b(edition|final|late|early|ausgabe)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\))", re.IGNORECASE)


def looks_like(text: str) -> bool:
    return _START.search(text) is not None and re.search(r"^\s*LENGTH: ", text, re.MULTILINE) is not None


def split(path: Path, text: str) -> Batch:
    batch = Batch(DATABASE)
    for number, chunk in enumerate(_START.split(text)[1:], start=1):  # [0]: before the first
        reason = _article(path, chunk.split("\n"), batch)
        if reason:
            batch.problems.append((number, reason))
    return batch


def _article(path: Path, lines: list[str], batch: Batch) -> str:
    at = next((i for i, line in enumerate(lines) if line.strip().startswith("LENGTH:")), None)
    if at is None:
        return 'no "LENGTH:" line ends its title and fields'
    fields: dict[str, str] = {}
    described: list[str] = []
    for line in lines[:at + 1]:
        field = _FIELD.match(line)
        if field:
            fields[field.group(1)] = one_line(field.group(2))
        elif line.strip() and not _COPYRIGHT.match(line):
            described.append(one_line(line))
    rest = lines[at + 1 :]
    start = 0
    while start < len(rest) and (not rest[start].strip() or _FIELD.match(rest[start])):
        field = _FIELD.match(rest[start])
        if field and field.group(1) not in _AFTER_BODY:
            fields[field.group(1)] = one_line(field.group(2))  # DATELINE, HIGHLIGHT
        start += 1
    end = next((i for i in range(start, len(rest)) if _ends_body(rest[i])), len(rest))
    text = body(rest[start:end])
    if not text:
        return "its text (after the LENGTH line) is empty"
    dated = next((i for i, line in enumerate(described) if leading_date(line)), None)
    if dated is None:
        return "it has no date line under its outlet"
    outlet = described[dated - 1] if dated > 0 else None
    after = described[dated + 1 :]
    length = fields.get("LENGTH", "")
    metadata = {"database": DATABASE, "length": word_count(length) or length}
    if len(after) > 1 and _EDITION.search(after[0]):
        metadata["edition"] = after.pop(0)
    title = " ".join(after)
    if not title:
        return "it has no title line"
    for key in ("DATELINE", "HIGHLIGHT"):
        if fields.get(key):
            metadata[key.lower()] = fields[key]
    for line in rest[end:]:
        field = _FIELD.match(line)
        if field and field.group(1) in ("LANGUAGE", "PUBLICATION-TYPE"):
            metadata[field.group(1).lower().replace("-", "_")] = one_line(field.group(2))
    batch.articles.append(
        document(
            path, text, title=title, source=outlet, published=leading_date(described[dated]),
            author=fields.get("BYLINE"), section=fields.get("SECTION"), metadata=metadata,
        )
    )
    return ""


def _ends_body(line: str) -> bool:
    field = _FIELD.match(line)
    return field is not None and field.group(1) in _AFTER_BODY
