"""Nexis Uni (LexisNexis) exports: articles separated by "End of Document".

Each article reads, from the top: title, outlet, date (with the weekday, "March 12, 2024
Tuesday"), perhaps the edition, the copyright line, fields ("Section:", "Length:",
"Byline:", "Dateline:", "Highlight:"), a line "Body", the text, then "Classification" and
index fields ("Language:", "Subject:", "Load-Date:" ...). The first article follows the
export's cover page (user name, job number, search terms, the list of titles).
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.io.importers.fields import document, one_line
from annotator.io.importers.news.batch import Batch, body, leading_date, word_count

DATABASE = "Nexis Uni"
_END = re.compile(r"^[ \t]*End of Document[ \t]*$", re.MULTILINE)
_FIELD = re.compile(r"^\s*([A-Z][A-Za-z-]*(?: [A-Z][A-Za-z-]*)?):\s*(.*)$")
_HEADER_FIELDS = frozenset({"Section", "Length", "Byline", "Dateline", "Highlight", "Edition"})
_KEPT_AFTER_BODY = {"Language": "language", "Publication-Type": "publication_type"}
_AFTER_BODY = frozenset(
    {
        "Language", "Publication-Type", "Subject", "Geographic", "Load-Date", "Organization",
        "Person", "Industry", "Company", "Ticker", "Document-Type", "Journal Code",
        "Correction-Date", "Country", "City", "State",
    }
)
_SECTION_MARKS = frozenset({"Classification", "Graphic", "Notes", "Correction"})
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\))", re.IGNORECASE)


def looks_like(text: str) -> bool:
    return _END.search(text) is not None and re.search(
        r"^\s*(Load-Date|Length|Byline):", text, re.MULTILINE
    ) is not None


def split(path: Path, text: str) -> Batch:
    batch = Batch(DATABASE)
    chunks = _END.split(text)
    if chunks and not chunks[-1].strip():
        chunks.pop()  # what follows the last "End of Document": nothing
    for number, chunk in enumerate(chunks, start=1):
        reason = _article(path, chunk, batch)
        if reason:
            batch.problems.append((number, reason))
    return batch


def _article(path: Path, chunk: str, batch: Batch) -> str:
    """Adds the article to ``batch``; returns why it could not be read, or ""."""
    lines = chunk.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Body")
    except StopIteration:
        return 'no line "Body" separates its title and fields from its text'
    header, rest = lines[:start], lines[start + 1 :]
    described: list[str] = []
    metadata: dict[str, str] = {}
    fields: dict[str, str] = {}
    for line in header:
        field = _FIELD.match(line)
        if field and field.group(1) in _HEADER_FIELDS:
            fields[field.group(1)] = one_line(field.group(2))
        elif line.strip() and not _COPYRIGHT.match(line):
            described.append(one_line(line))
    end = next((i for i, line in enumerate(rest) if _ends_body(line)), len(rest))
    for line in rest[end:]:
        field = _FIELD.match(line)
        if field and field.group(1) in _KEPT_AFTER_BODY:
            metadata[_KEPT_AFTER_BODY[field.group(1)]] = one_line(field.group(2))
    text = body(rest[:end])
    if not text:
        return "its text (after the line \"Body\") is empty"
    title, outlet, published, edition = _description(described)
    if not title:
        return "it has no title line"
    if edition:
        metadata["edition"] = edition
    if "Length" in fields:
        metadata["length"] = word_count(fields["Length"]) or fields["Length"]
    for key in ("Dateline", "Highlight"):
        if fields.get(key):
            metadata[key.lower()] = fields[key]
    batch.articles.append(
        document(
            path, text, title=title, source=outlet, published=published,
            author=fields.get("Byline"), section=fields.get("Section"),
            metadata={"database": DATABASE, **metadata},
        )
    )
    return ""


def _ends_body(line: str) -> bool:
    stripped = line.strip()
    if stripped in _SECTION_MARKS:
        return True
    field = _FIELD.match(line)
    return field is not None and field.group(1) in _AFTER_BODY


def _description(lines: list[str]) -> tuple[str, str | None, str | None, str | None]:
    """Title, outlet, date and edition from the lines above the fields, read from the date
    upwards so the cover page before the first article is passed over."""
    dated = [i for i, line in enumerate(lines) if leading_date(line)]
    if dated:
        at = dated[-1]
        edition = " ".join(lines[at + 1 :]) or None
        above = lines[:at]
        published = leading_date(lines[at])
    else:
        above, edition, published = lines, None, None
    if len(above) >= 2:
        return above[-2], above[-1], published, edition
    return (above[0] if above else ""), None, published, edition
