"""Word .docx files: body paragraphs, table cells and text boxes in reading order.

Paragraphs are separated by a single ``\\n`` (empty paragraphs stay as empty lines); each
non-empty table cell becomes its own line(s), row by row, where the table stands. A text
box's paragraphs follow the paragraph it is anchored in; Word stores most text boxes twice
(DrawingML in ``mc:Choice``, a VML copy in ``mc:Fallback``) and only the first is read.
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
from annotator.io.importers.fields import document, is_blank
from annotator.io.importers.news import split_batch
from annotator.io.importers.options import ImportOptions
from annotator.io.importers.titles import headline

STRICT_NAMESPACE = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_CANNOT_READ = (
    "cannot read this Word file (it may be in 'Strict Open XML' format or damaged); "
    "save it again as a normal .docx"
)
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent")
)
_T, _TAB, _NO_BREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")
_TEXT_BOX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BREAKS = frozenset({qn("w:br"), qn("w:cr")})
_NOT_TEXT = frozenset(
    {
        qn("w:pPr"),  # paragraph properties (its w:tab elements are tab stops, not tabs)
        qn("w:rPr"),
        qn("w:del"),  # tracked deletions
        qn("w:moveFrom"),
        _TEXT_BOX,  # read as lines of their own after the paragraph: see _text_boxes
        _FALLBACK,  # the VML copy of what mc:Choice holds
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
    batch = split_batch(path, text)  # a Nexis Uni export: many articles
    if batch is not None:
        return batch
    # Most Word files leave the Title property empty: then the first line, as for .txt.
    return [document(path, text, title=title or headline(text), author=author)]


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
                for _, element in etree.iterparse(
                    part, events=("start",), resolve_entities=False, no_network=True
                ):
                    return element.tag.startswith(f"{{{STRICT_NAMESPACE}}}")
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError):
        return False
    return False


def _blocks(container: etree._Element) -> Iterator[str]:
    """The text of paragraphs and tables directly inside ``container``, in order."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield paragraph_text(child)
            for box in _text_boxes(child):
                text = "\n".join(_blocks(box))
                if not is_blank(text):
                    yield text
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:  # a content control wrapping paragraphs or tables
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _text_boxes(element: etree._Element) -> Iterator[etree._Element]:
    """The text boxes anchored in ``element``, outermost only (a box in a box is read with
    its container), never the Fallback copy."""
    for child in element.iterchildren():
        if child.tag == _TEXT_BOX:
            yield child
        elif isinstance(child.tag, str) and child.tag != _FALLBACK:
            yield from _text_boxes(child)


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
            _t_text(child, parts)
        elif tag == _TAB:
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif isinstance(tag, str) and tag not in _NOT_TEXT:
            _runs(child, parts)


def _t_text(t: etree._Element, parts: list[str]) -> None:
    """A ``w:t``'s text, including what follows an entity reference or a comment inside it.

    python-docx's parser never resolves entities (no XXE); an unresolved ``&name;`` stays
    as written, so the words after it are not lost.
    """
    parts.append(t.text or "")
    for node in t:
        if isinstance(node, etree._Entity):
            parts.append(node.text or "")
        parts.append(node.tail or "")
