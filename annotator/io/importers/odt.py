"""OpenDocument text (.odt): headings, paragraphs, lists and table cells, one per line.

odfpy reads the package; the text is taken from ``office:text`` in document order, each
``text:h`` and ``text:p`` on its own line (tabs, line breaks and runs of spaces as LibreOffice
shows them). Headers, footers, notes and annotations are not part of the article.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from odf import teletype
from odf.element import Element
from odf.namespaces import DCNS, OFFICENS, TEXTNS
from odf.opendocument import load

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import document, is_blank, one_line
from annotator.io.importers.news import split_batch
from annotator.io.importers.options import ImportOptions
from annotator.io.importers.titles import headline

_LINES = frozenset({(TEXTNS, "p"), (TEXTNS, "h")})
_NOT_TEXT = frozenset({(TEXTNS, "note"), (OFFICENS, "annotation"), (TEXTNS, "tracked-changes")})
_CANNOT_READ = "cannot read this OpenDocument file (it may be damaged); save it again as .odt"


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportFileError(path, "is not an OpenDocument .odt file (it is not a zip package); "
                              "save it again as .odt or .docx")
    try:
        odt = load(BytesIO(data))
        text = "\n".join(_lines(odt.text))
        title = _meta_title(odt)
    except Exception as exc:  # odfpy raises many kinds of errors on odd packages
        raise ImportFileError(path, _CANNOT_READ) from exc
    if is_blank(text):
        raise ImportFileError(path, "has no text (the document body is empty)")
    batch = split_batch(path, text)
    if batch is not None:
        return batch
    return [document(path, text, title=title or headline(text))]


def _lines(element: Element) -> Iterator[str]:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE or child.qname in _NOT_TEXT:
            continue
        if child.qname in _LINES:
            yield _paragraph(child)
        else:
            yield from _lines(child)


def _paragraph(paragraph: Element) -> str:
    """teletype's text of the paragraph, without what its notes and comments say."""
    _drop_notes(paragraph)
    return str(teletype.extractText(paragraph))


def _drop_notes(element: Element) -> None:
    for child in list(element.childNodes):
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in _NOT_TEXT:
            element.removeChild(child)
        else:
            _drop_notes(child)


def _meta_title(odt: object) -> str | None:
    meta = getattr(odt, "meta", None)
    if meta is None:
        return None
    for child in meta.childNodes:
        if child.nodeType == child.ELEMENT_NODE and child.qname == (DCNS, "title"):
            return one_line(teletype.extractText(child)) or None
    return None
