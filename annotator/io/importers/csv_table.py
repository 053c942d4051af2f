"""CSV files: one article per row, with a header row naming the columns."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.columns import Columns, article, find_columns, no_text_reason
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import with_warnings
from annotator.io.importers.options import ImportOptions

DELIMITERS = ",;\t|"
_SNIFF_SAMPLE = 64 * 1024

# Articles are long: allow fields as large as the biggest file we import.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    decoded = decode_text(data, path)
    text = decoded.text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    columns: Columns | None = None
    articles: list[NewDocument] = []
    number = 0
    try:
        for record in reader:
            if columns is None:
                if any(cell.strip() for cell in record):
                    columns = _header(path, record, options)
                continue
            number += 1
            found = article(path, columns, record, "row", number)
            if found is not None:
                articles.append(found)
    except csv.Error as exc:
        raise ImportFileError(path, f"is not a readable CSV file (line {reader.line_num}: {exc})") from exc
    if columns is None:
        raise ImportFileError(path, "has no header row (the file holds no cells)")
    if not articles:
        raise ImportFileError(path, f"has no article: every row's '{_text_name(columns)}' is empty")
    return with_warnings(articles, decoded.warnings)


def _header(path: Path, record: list[str], options: ImportOptions) -> Columns:
    columns = find_columns(record, options, path)
    if not columns.has_text():
        raise ImportFileError(path, no_text_reason(record, options))
    return columns


def _text_name(columns: Columns) -> str:
    return columns.names[columns.roles["text"]].strip()


def sniff_delimiter(text: str) -> str:
    """csv.Sniffer's choice if the header line has it, else the header line's most common one."""
    sample = text[:_SNIFF_SAMPLE]
    header = sample.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in header:
        return sniffed
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
