"""Word .docx files: body paragraphs and table cells in reading order.

Paragraphs are separated by a single ``\\n`` (empty paragraphs stay as empty lines); each
non-empty table cell becomes its own line(s), row by row, where the table stands.
Headers, footers, footnotes and comments are not part of the article.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import document, first_line_title, is_blank
from annotator.io.importers.options import ImportOptions

STRICT_NAMESPACE = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_CANNOT_READ = (
    "cannot read this Word file (it may be in 'Strict Open XML' format or damaged); "
    "save it again as a normal .docx"
)
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent")
)
_T, _TAB, _NO_BREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")
_BREAKS = frozenset({qn("w:br"), qn("w:cr")})
_NOT_TEXT = frozenset(
    {
        qn("w:pPr"),  # paragraph properties (its w:tab elements are tab stops, not tabs)
        qn("w:rPr"),
        qn("w:del"),  # tracked deletions
        qn("w:moveFrom"),
        qn("w:txbxContent"),  # text boxes float outside the reading order
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportFileError(
            path,
            "is not a Word .docx file (it is not a zip package: an old .doc file, "
            "a password-protected file or a damaged one); save it again as .docx",
        )
    if _is_strict(data):
        raise ImportFileError(path, _CANNOT_READ)
    try:
        word = docx.Document(BytesIO(data))
        text = "\n".join(_blocks(word.element.body))
        title, author = _title_and_author(word)
    except Exception as exc:  # python-docx raises many kinds of errors on odd packages
        raise ImportFileError(path, _CANNOT_READ) from exc
    if is_blank(text):
        raise ImportFileError(path, "has no text (the document body is empty)")
    # Most Word files leave the Title property empty: then the first line, as for .txt.
    return [document(path, text, title=title or first_line_title(text), author=author)]


def _title_and_author(word: DocxDocument) -> tuple[str | None, str | None]:
    """From the core properties, if the file has them (python-docx invents "Word Document")."""
    package = word.part.package
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return None, None
    properties = word.core_properties
    return properties.title, properties.author


def _is_strict(data: bytes) -> bool:
    """ISO 'Strict Open XML' uses other namespaces, which python-docx cannot read."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" not in names:
                return False
            with package.open("word/document.xml") as part:
                for _, element in etree.iterparse(part, events=("start",)):
                    return element.tag.startswith(f"{{{STRICT_NAMESPACE}}}")
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError):
        return False
    return False


def _blocks(container: etree._Element) -> Iterator[str]:
    """The text of paragraphs and tables directly inside ``container``, in order."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield paragraph_text(child)
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:  # a content control wrapping paragraphs or tables
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _table(table: etree._Element) -> Iterator[str]:
    for row in table.iterchildren(_TR):
        for cell in row.iterchildren(_TC):
            text = "\n".join(_blocks(cell))
            if not is_blank(text):
                yield text


def paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text as Word shows it with tracked changes accepted.

    Insertions, hyperlinks, content controls and field results are in, deletions out; tabs
    and line breaks become ``\\t`` and ``\\n``.
    """
    parts: list[str] = []
    _runs(paragraph, parts)
    return "".join(parts)


def _runs(element: etree._Element, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif isinstance(tag, str) and tag not in _NOT_TEXT:
            _runs(child, parts)
