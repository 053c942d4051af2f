"""What the user can choose when importing."""

from __future__ import annotations

from dataclasses import dataclass


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
    section_column: str | None = None
