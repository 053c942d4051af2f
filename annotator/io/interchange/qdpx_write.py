"""Writing a REFI-QDA 1.0 project (``.qdpx``): ``project.qde`` and ``Sources/<guid>.txt``.

The codebook holds the entity labels under a non-codable code "Annotator entities" (so an
import gives them back as entities), the project's codes, and a code "claim". Every entity,
coding and claim is a ``PlainTextSelection`` with one ``Coding`` whose ``creatingUser`` is its
coder; a coding's memo and a claim's variables are the selection's ``Description``.
Positions are code points (REFI-QDA says "characters"; QualCoder and MAXQDA count code
points), marked by ``origin="Annotator"`` so that an import knows. GUIDs are derived from
the study and the content (uuid5): exporting the same project twice gives the same file.
"""

from __future__ import annotations

import re
import uuid
import zipfile

from lxml import etree

from annotator.io.interchange.qdpx_read import ENTITY_GROUP, NS
from annotator.io.interchange.records import ExportDocument, OutCoding, WriteOptions, Written

CLAIM_CODE = "claim"
ORIGIN = "Annotator"
_NAMESPACE = uuid.UUID("6f1d9a52-3c0e-4f57-9b4a-2f8e1c7d0a11")
_RGB = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def guid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def _clean(text: str) -> str:
    """XML 1.0 cannot carry control characters: they go from names and memos (never texts)."""
    return _XML_BAD.sub(" ", text)


class _Book:
    """Code names -> GUIDs, with the codebook's tree."""

    def __init__(self, options: WriteOptions) -> None:
        self.codes = etree.Element(f"{{{NS}}}Codes")
        self.guids: dict[tuple[str, str], str] = {}
        colors = dict(options.label_colors)
        group = self._add(self.codes, ("group", ENTITY_GROUP), ENTITY_GROUP, "", codable=False)
        for label in options.labels:
            self._add(group, ("label", label), label, colors.get(label, ""))
        elements: dict[str, etree._Element] = {}
        for code in options.codes:
            parent = elements.get(code.parent, self.codes)
            elements[code.name] = self._add(parent, ("code", code.name), code.name, code.color)
        self.code(CLAIM_CODE)

    def _add(self, parent: etree._Element, key: tuple[str, str], name: str, color: str,
             codable: bool = True) -> etree._Element:
        if key in self.guids:
            return next(e for e in self.codes.iter(f"{{{NS}}}Code") if e.get("guid") == self.guids[key])
        self.guids[key] = guid("code", *key)
        element = etree.SubElement(parent, f"{{{NS}}}Code", guid=self.guids[key], name=_clean(name),
                                   isCodable="true" if codable else "false")
        if _RGB.match(color or ""):
            element.set("color", color)
        return element

    def label(self, name: str) -> str:
        if ("label", name) not in self.guids:  # a label no longer in the codebook
            group = next(e for e in self.codes if e.get("name") == ENTITY_GROUP)
            self._add(group, ("label", name), name, "")
        return self.guids[("label", name)]

    def code(self, name: str) -> str:
        if ("code", name) not in self.guids:
            self._add(self.codes, ("code", name), name, "")
        return self.guids[("code", name)]


def project_xml(documents: list[ExportDocument], options: WriteOptions) -> tuple[bytes, dict[str, str]]:
    """The project.qde bytes and the source files (zip member name -> text)."""
    book = _Book(options)
    users: dict[str, str] = {}

    def user(name: str | None) -> str | None:
        if not name:
            return None
        return users.setdefault(name, guid("user", name))

    sources = etree.Element(f"{{{NS}}}Sources")
    files: dict[str, str] = {}
    names: set[str] = set()
    for document in documents:
        source_guid = guid("source", document.id, document.text)
        name = _unique(_clean(document.title.strip()) or f"document {document.id}", names)
        files[f"Sources/{source_guid}.txt"] = document.text
        source = etree.SubElement(sources, f"{{{NS}}}TextSource", guid=source_guid, name=name,
                                  plainTextPath=f"internal://{source_guid}.txt")
        selections: list[tuple[int, int, str, str | None, str]] = [
            (s.start, s.end, book.label(s.label), s.coder, "") for s in document.spans
        ]
        selections += [(c.start, c.end, book.code(c.code), c.coder, c.memo) for c in document.codings]
        selections += [(c.start, c.end, book.code(CLAIM_CODE), c.coder, c.memo) for c in document.claims]
        for number, (start, end, code_guid, coder, memo) in enumerate(selections):
            selection = etree.SubElement(source, f"{{{NS}}}PlainTextSelection",
                                         guid=guid("selection", source_guid, number),
                                         name=_clean(document.text[start:end][:200]),
                                         startPosition=str(start), endPosition=str(end))
            _set_user(selection, user(coder))
            if memo:
                etree.SubElement(selection, f"{{{NS}}}Description").text = _clean(memo)
            coding = etree.SubElement(selection, f"{{{NS}}}Coding",
                                      guid=guid("coding", source_guid, number))
            _set_user(coding, user(coder))
            etree.SubElement(coding, f"{{{NS}}}CodeRef", targetGUID=code_guid)
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS},
                         name=_clean(options.project_name or "Annotator project"), origin=ORIGIN)
    if users:
        users_element = etree.SubElement(root, f"{{{NS}}}Users")
        for name, user_guid in users.items():
            etree.SubElement(users_element, f"{{{NS}}}User", guid=user_guid, name=_clean(name))
    etree.SubElement(root, f"{{{NS}}}CodeBook").append(book.codes)
    if len(sources):
        root.append(sources)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), files


def _set_user(element: etree._Element, user_guid: str | None) -> None:
    if user_guid:
        element.set("creatingUser", user_guid)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


def write_package(stream: object, documents: list[ExportDocument], options: WriteOptions) -> Written:
    qde, files = project_xml(documents, options)
    written = Written(documents=len(documents),
                      entities=sum(len(d.spans) for d in documents))
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:  # type: ignore[arg-type]
        package.writestr("project.qde", qde)
        for name, text in files.items():
            package.writestr(name, text.encode("utf-8"))
    return written



__all__ = ["CLAIM_CODE", "ORIGIN", "OutCoding", "guid", "project_xml", "write_package"]
