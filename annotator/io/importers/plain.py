"""Plain text and Markdown: one article per file."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import document, is_blank, normalise_newlines
from annotator.io.importers.news import split_batch
from annotator.io.importers.options import ImportOptions
from annotator.io.importers.titles import headline


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    decoded = decode_text(data, path)
    text = normalise_newlines(decoded.text)
    if is_blank(text):
        raise ImportFileError(path, "has no text (only whitespace)")
    batch = split_batch(path, text, decoded.warnings)  # a Nexis Uni export: many articles
    if batch is not None:
        return batch
    title = headline(text, markdown=path.suffix.lower() == ".md")
    return [document(path, text, title=title, warnings=decoded.warnings)]
