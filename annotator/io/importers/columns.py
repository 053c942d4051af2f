"""Tables of articles (CSV, Excel, JSON Lines): which column is which, and one row to an article."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import document, is_blank, one_line, to_text
from annotator.io.importers.options import MAX_ROWS_PER_FILE, ImportOptions

ROLES = ("text", "title", "date", "source", "url", "author", "section")

COMMON_NAMES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "story"),
    "title": ("title", "headline", "heading"),
    "date": ("date", "published", "publication_date", "pub_date", "pubdate", "datetime"),
    "source": ("source", "outlet", "newspaper", "publication", "medium"),
    "url": ("url", "link", "href"),
    "author": ("author", "byline", "authors"),
    "section": ("section", "rubric", "desk", "department", "category"),
}
"""Column names recognised for each role, best first; matched ignoring case, spaces and dashes."""

RESERVED_KEYS = frozenset({"row", "line", "date_raw"})
_MAX_LISTED = 30


@dataclass(frozen=True)
class Columns:
    """The header of a table, and the column index playing each role."""

    names: tuple[str, ...]
    roles: Mapping[str, int]

    def has_text(self) -> bool:
        return "text" in self.roles


def find_columns(
    names: Sequence[str],
    options: ImportOptions,
    path: Path,
    noun: str = "column",
    strict: bool = True,
) -> Columns:
    """Columns chosen in ``options`` first, then the common names; one role per column.

    With ``strict`` a chosen column that is missing is an ImportFileError; otherwise (one
    JSON object of many) it is simply absent.
    """
    names = tuple(names)
    roles: dict[str, int] = {}
    for role in ROLES:
        chosen = chosen_column(options, role)
        if chosen is None:
            continue
        index = _lookup(names, chosen, set(roles.values()))
        if index is not None:
            roles[role] = index
        elif strict:
            raise ImportFileError(
                path,
                f"has no {noun} named '{chosen}' (chosen as the {role} {noun}); "
                f"{noun}s found: {listing(names)}",
            )
    for role in ROLES:
        if role in roles or chosen_column(options, role) is not None:
            continue
        for candidate in COMMON_NAMES[role]:
            index = _lookup(names, candidate, set(roles.values()))
            if index is not None:
                roles[role] = index
                break
    return Columns(names, roles)


def chosen_column(options: ImportOptions, role: str) -> str | None:
    chosen: str | None = getattr(options, f"{role}_column")
    return chosen


def no_text_reason(names: Sequence[str], options: ImportOptions, noun: str = "column") -> str:
    if options.text_column is not None:
        return (
            f"has no {noun} named '{options.text_column}' (chosen as the text {noun}); "
            f"{noun}s found: {listing(names)}"
        )
    return (
        f"has no text {noun}: looked for {', '.join(COMMON_NAMES['text'])}; "
        f"{noun}s found: {listing(names)}; choose the text {noun} in the import options"
    )


def listing(names: Sequence[str]) -> str:
    shown = [name.strip() for name in names if name.strip()]
    if not shown:
        return "none"
    more = len(shown) - _MAX_LISTED
    text = ", ".join(shown[:_MAX_LISTED])
    return f"{text} and {more} more" if more > 0 else text


def _key(name: str) -> str:
    return "_".join(name.strip().casefold().replace("-", " ").split())


def _lookup(names: Sequence[str], wanted: str, taken: set[int]) -> int | None:
    free = [i for i in range(len(names)) if i not in taken]
    for index in free:
        if names[index] == wanted:
            return index
    for index in free:
        if _key(names[index]) == _key(wanted):
            return index
    return None


def article(
    path: Path, columns: Columns, values: Sequence[object], locator: str, number: int
) -> NewDocument | None:
    """One row as an article, or None when its text is empty.

    ``locator`` ("row" or "line") and ``number`` go into the metadata so the researcher can
    find the row again; every other non-empty column is kept as metadata too.
    """

    if number > MAX_ROWS_PER_FILE:
        raise ImportFileError(
            path, f"has more than {MAX_ROWS_PER_FILE:,} {locator}s; split it into smaller files"
        )

    def role(name: str) -> object:
        index = columns.roles.get(name)
        return values[index] if index is not None and index < len(values) else None

    text = to_text(role("text"))
    if is_blank(text):
        return None
    metadata = {locator: str(number)}
    used = set(columns.roles.values())
    for index, value in enumerate(values):
        extra = to_text(value)
        if index in used or is_blank(extra):
            continue
        name = columns.names[index].strip() if index < len(columns.names) else ""
        metadata[_free_key(name or f"column {index + 1}", metadata)] = extra
    return document(
        path,
        text,
        title=one_line(role("title")) or f"{path.stem} ({locator} {number})",
        author=role("author"),
        source=role("source"),
        url=role("url"),
        published=role("date"),
        section=role("section"),
        metadata=metadata,
    )


def _free_key(name: str, metadata: Mapping[str, str]) -> str:
    """A metadata key for a column that clashes neither with ours nor with another column."""
    key, n = name, 1
    while key in metadata or key in RESERVED_KEYS:
        n += 1
        key = f"{name} ({n})"
    return key
