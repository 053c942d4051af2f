"""A document's details (title, outlet, author, date, section, URL): the values a researcher
can correct after an import, and the rules for reading them as typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from urllib.parse import urlsplit

from annotator.domain.errors import DocumentDetailsError
from annotator.domain.model import Document

DetailValue = str | date | None

#: Field name -> the label the form, the header and messages use, in the form's order.
DETAIL_LABELS: Mapping[str, str] = {
    "title": "Title",
    "source": "Outlet",
    "author": "Author",
    "published": "Date",
    "section": "Section",
    "url": "URL",
}


@dataclass(frozen=True)
class DocumentDetails:
    """The editable details of one document; ``source`` is the outlet (newspaper, site)."""

    title: str = ""
    source: str | None = None
    author: str | None = None
    published: date | None = None
    section: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, document: Document) -> DocumentDetails:
        return cls(
            title=document.title, source=document.source, author=document.author,
            published=document.published, section=document.section, url=document.url,
        )

    def applied_to(self, document: Document) -> Document:
        """``document`` with these details (its text, status and history unchanged)."""
        return replace(
            document, title=self.title, source=self.source, author=self.author,
            published=self.published, section=self.section, url=self.url,
        )

    def get(self, name: str) -> DetailValue:
        if name not in DETAIL_LABELS:
            raise KeyError(name)
        value: DetailValue = getattr(self, name)
        return value

    def with_changes(self, changes: Mapping[str, DetailValue]) -> DocumentDetails:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        updated = replace(self, **changes)  # type: ignore[arg-type]
        return replace(updated, title=updated.title or "")


def as_text(value: DetailValue) -> str:
    """A detail as the form shows it: dates as YYYY-MM-DD, missing values empty."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def parse_detail(name: str, text: str) -> DetailValue:
    """The value typed for a detail; empty means 'not known'. Raises DocumentDetailsError
    with a message that names the field and shows the expected form."""
    cleaned = " ".join(text.split())  # one line: a pasted newline must not land in the export
    if name == "published":
        return parse_published(cleaned)
    if name == "url":
        return check_url(cleaned)
    if name == "title":
        return cleaned
    if name not in DETAIL_LABELS:
        raise KeyError(name)
    return cleaned or None


def parse_published(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DocumentDetailsError(
            f"the date must be a real day written YYYY-MM-DD, e.g. 2024-03-05 (not '{text}')"
        ) from None


def check_url(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in text:
        raise DocumentDetailsError(
            f"the URL must be a web address starting with http:// or https:// (not '{text}')"
        )
    return text
