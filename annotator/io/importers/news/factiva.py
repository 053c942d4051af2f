"""Factiva exports: each article ends with its accession line "Document XXXX".

Two layouts are read. With field codes ("Full Article/Report plus Indexing", in RTF or as
HTML tables), each field is a code alone on its line (or before a tab) followed by its value:
HD headline, BY byline, WC word count, PD date, SN source, SE section, LP lead paragraph,
TD text, CY copyright, AN accession number... Without codes (the default article format), an
article reads: headline, perhaps a section and a "By ..." byline, "412 words", the date,
perhaps a time, the source, perhaps its code, the language, the copyright line, then the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.io.importers.fields import document, one_line
from annotator.io.importers.news.batch import Batch, body, leading_date, word_count

DATABASE = "Factiva"
_DOCUMENT = re.compile(
    r"^[ \t]*(?:AN[ \t|]+)?Document ([A-Za-z0-9]{12,})[ \t|]*$", re.MULTILINE
)
# fmt: off
_CODES = frozenset((
    "HD", "BY", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD", "CO", "IN",
    "NS", "RE", "IPC", "IPD", "PUB", "AN", "SE", "CR", "ART", "CLM", "RF", "CT", "RST", "VOL",
))
# fmt: on
_CODE = re.compile(r"^[ \t]*([A-Z]{2,3})[ \t]*(?:$|\t|\|)[ \t|]*(.*)$", re.MULTILINE)
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©|\(c\))", re.IGNORECASE)
_TIME = re.compile(r"^\d{1,2}:\d{2}(\s*(GMT|UTC|[AP]M))?$", re.IGNORECASE)
_SOURCE_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_LANGUAGES = frozenset((
    "english", "german", "french", "spanish", "italian", "dutch", "portuguese", "russian",
    "chinese", "japanese", "arabic", "urdu", "swedish", "danish", "norwegian", "finnish",
    "polish", "turkish",
))


def looks_like(text: str) -> bool:
    return _DOCUMENT.search(text) is not None and (
        _has_codes(text) or re.search(r"^\s*[\d,]+ words\s*$", text, re.MULTILINE) is not None
    )


def _has_codes(text: str) -> bool:
    found = {m.group(1) for m in _CODE.finditer(text) if m.group(1) in _CODES}
    return "HD" in found and bool(found & {"WC", "PD", "SN"})


def split(path: Path, text: str) -> Batch:
    batch = Batch(DATABASE)
    pieces = _DOCUMENT.split(text)  # chunk, id, chunk, id, ..., trailing chunk
    coded = _has_codes(text)
    for number, index in enumerate(range(0, len(pieces) - 1, 2), start=1):
        chunk, accession = pieces[index], pieces[index + 1]
        if number == 1 and not coded:
            chunk = _after_cover(chunk)
        reader = _coded if coded else _display
        reason = reader(path, chunk.split("\n"), accession, batch)
        if reason:
            batch.problems.append((number, reason))
    # what follows the last "Document" line is Factiva's search summary, never an article
    return batch


def _coded(path: Path, lines: list[str], accession: str, batch: Batch) -> str:
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in lines:
        line = raw.rstrip().removesuffix("|")  # an RTF table cell's end
        match = _CODE.match(line)
        if match and match.group(1) in _CODES:
            current = fields.setdefault(match.group(1), [])
            if match.group(2).strip():
                current.append(match.group(2))
        elif current is not None:
            current.append(line)
    title = one_line(" ".join(fields.get("HD", [])))
    if not title:
        return "it has no headline (field HD)"
    text = body([*fields.get("LP", []), *fields.get("TD", [])])
    if not text:
        return "it has no text (fields LP and TD are empty)"

    def value(code: str) -> str:
        return one_line(" ".join(fields.get(code, [])))

    metadata = {"database": DATABASE, "database_id": accession}
    if value("WC"):
        metadata["length"] = word_count(value("WC")) or value("WC")
    if value("LA"):
        metadata["language"] = value("LA")
    batch.articles.append(
        document(
            path, text, title=title, author=value("BY") or None, source=value("SN") or None,
            published=value("PD") or None, section=value("SE") or None, metadata=metadata,
        )
    )
    return ""


def _after_cover(chunk: str) -> str:
    """The first article without the lines an export may put before it (a page title, the
    search's name): its headline is the line above the word count and the byline, if any."""
    lines = [line for line in chunk.split("\n") if line.strip()]
    count = next((i for i, line in enumerate(lines[:12]) if _alone(line)), None)
    if count is None or count <= 3:
        return chunk  # headline, section and byline at most: nothing before them
    start = count - 1
    while start > 0 and lines[start].strip().lower().startswith("by "):
        start -= 1
    return "\n".join(lines[start:])


def _alone(line: str) -> bool:
    return re.fullmatch(r"\s*[\d,]+ words\s*", line) is not None


def _display(path: Path, lines: list[str], accession: str, batch: Batch) -> str:
    filled = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    count_at = next((k for k, (_, line) in enumerate(filled[:6]) if _alone(line)), None)
    if count_at is None or count_at == 0:
        return 'no "N words" line follows its headline'
    above = [line for _, line in filled[:count_at]]
    title = above[0]
    author = next((line[3:] for line in above[1:] if line.lower().startswith("by ")), None)
    section = next((line for line in above[1:] if not line.lower().startswith("by ")), None)
    k = count_at + 1
    published = leading_date(filled[k][1]) if k < len(filled) else None
    if published is None:
        return "no date follows its word count"
    k += 1
    if k < len(filled) and _TIME.match(filled[k][1]):
        k += 1
    source = filled[k][1] if k < len(filled) else None
    k += 1
    if k < len(filled) and _SOURCE_CODE.match(filled[k][1]):
        k += 1
    metadata = {"database": DATABASE, "database_id": accession,
                "length": word_count(filled[count_at][1]) or ""}
    if k < len(filled) and filled[k][1].lower() in _LANGUAGES:
        metadata["language"] = filled[k][1]
        k += 1
    if k < len(filled) and _COPYRIGHT.match(filled[k][1]):
        k += 1
    text = body(lines[filled[k][0] :]) if k < len(filled) else ""
    if not text:
        return "its text is empty"
    batch.articles.append(
        document(
            path, text, title=title, author=author, source=source, published=published,
            section=section, metadata=metadata,
        )
    )
    return ""
