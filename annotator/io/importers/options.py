"""What the user can choose when importing."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ROWS_PER_FILE = 200_000
"""Rows (csv, xlsx) or lines (jsonl) one file may hold: each becomes an article held in memory
until the file is stored, so a file of millions of tiny rows would take gigabytes."""


@dataclass(frozen=True)
class ImportOptions:
    """Choices for one import; the defaults suit most files."""

    max_bytes: int = 50 * 1024 * 1024
    """Files larger than this are refused."""
    text_column: str | None = None
    """Spreadsheet/CSV column (or JSON Lines key) holding the article text; None = find it."""
    title_column: str | None = None
    date_column: str | None = None
    source_column: str | None = None
    url_column: str | None = None
    author_column: str | None = None
    follow_links: bool = False
    """Follow symbolic links inside imported folders, even to files and folders outside them."""
    section_column: str | None = None
