"""Reading a REFI-QDA project (``.qdpx`` zip, or a bare ``project.qde``): text sources and
their codings.

Safety: the zip is checked for bombs before it is opened (``zip_limits``, as .docx); the
XML is parsed with no DTD, no entities expanded and no network, and a file declaring a DTD
is refused (REFI-QDA has none: a DOCTYPE is only ever an entity attack).

Positions: REFI-QDA says "characters"; QualCoder and MAXQDA count code points, NVivo counts
UTF-16 units (an emoji is 2). The unit is decided per file (:func:`choose_unit`) and the
positions converted to code points here, at the edge.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath

from lxml import etree

from annotator.domain.errors import ImportFileError
from annotator.io.importers.zip_limits import check_package
from annotator.io.interchange.records import ForeignCode, ForeignCoding, ForeignDocument, ForeignSpan

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
ENTITY_GROUP = "Annotator entities"
"""The code Annotator's export puts its entity labels under: codings of its children come
back as entities (non-overlapping, one layer per coder); every other code is a QDA code."""
CODE_POINTS, UTF16 = "code points", "UTF-16 units"
MAX_QDE = 64 * 1024 * 1024  # as the .qdpx zip limit


class QdpxError(Exception):
    """The file as a whole cannot be read (reason only; the caller names the file)."""


@dataclass
class _Selection:
    start: int
    end: int
    line: int
    codes: list[tuple[str, str | None, list[str]]]  # code guid, coder guid, note guids
    coder: str | None
    description: str
    notes: list[str]
    name: str


@dataclass
class _Source:
    name: str
    text: str
    line: int
    selections: list[_Selection] = field(default_factory=list)
    description: str = ""
    problem: str = ""


@dataclass
class Project:
    """What one .qdpx holds, read but not yet checked: for :func:`documents`."""

    origin: str
    users: dict[str, str]
    codes: dict[str, ForeignCode]  # guid -> code
    notes: dict[str, str]
    sources: list[_Source]
    skipped: list[str]


def load(path: Path) -> Project:
    """Read a .qdpx (or .qde) into plain values. Raises QdpxError, ImportFileError, OSError."""
    data = path.read_bytes()
    if path.suffix.lower() == ".qde":
        return _parse(data, lambda _name: None)
    check_package(path, data)  # zip bombs are refused before anything is inflated
    try:
        package = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise QdpxError(f"is not a readable .qdpx (zip) file ({exc})") from exc
    with package:
        members = {info.filename.replace("\\", "/").lower(): info for info in package.infolist()}
        qde = members.get("project.qde") or next(
            (m for name, m in members.items() if name.endswith(".qde")), None)
        if qde is None:
            raise QdpxError("holds no project.qde (it is not a REFI-QDA project)")

        def member(name: str) -> bytes | None:
            info = members.get(name.lower())
            return package.read(info) if info is not None else None

        try:
            return _parse(package.read(qde), member)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            if isinstance(exc, QdpxError):
                raise
            raise QdpxError(f"is damaged ({exc})") from exc


def _parse(data: bytes, member: object) -> Project:
    if len(data) > MAX_QDE:
        raise QdpxError("has a project.qde too big to read safely")
    if b"<!DOCTYPE" in data[:65536] or b"<\x00!\x00D\x00O\x00C" in data[:131072]:
        raise QdpxError("declares a DTD in project.qde (REFI-QDA has none); refused as unsafe")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise QdpxError(f"holds a project.qde that is not well-formed XML ({exc})") from exc
    if root.getroottree().docinfo.doctype:
        raise QdpxError("declares a DTD in project.qde (REFI-QDA has none); refused as unsafe")
    if root.tag != f"{Q}Project":
        raise QdpxError(f"has a project.qde whose root is not a REFI-QDA <Project> "
                        f"(namespace {NS})")
    users = {u.get("guid", ""): u.get("name") or u.get("id") or u.get("guid", "")
             for u in root.iterfind(f"{Q}Users/{Q}User")}
    codes: dict[str, ForeignCode] = {}
    for top in root.iterfind(f"{Q}CodeBook/{Q}Codes/{Q}Code"):
        _codes(top, "", codes)
    notes = {n.get("guid", ""): _note_text(n, member) for n in root.iterfind(f"{Q}Notes/{Q}Note")}
    sources, skipped = [], []
    for element in root.iterfind(f"{Q}Sources/*"):
        kind = etree.QName(element).localname
        if kind != "TextSource":
            skipped.append(f"line {element.sourceline}: {kind} {element.get('name', '')!r} skipped "
                           "(only text sources are imported)")
            continue
        sources.append(_source(element, member))
    return Project(root.get("origin", ""), users, codes, notes, sources, skipped)


def _codes(element: etree._Element, parent: str, into: dict[str, ForeignCode]) -> None:
    name = (element.get("name") or "").strip()
    into[element.get("guid", "")] = ForeignCode(name, element.get("color", ""), parent)
    for child in element.iterfind(f"{Q}Code"):
        _codes(child, name, into)


def _text_of(element: etree._Element, member: object) -> tuple[str, str]:
    """A TextSource's (or Note's) text and, when it cannot be had, why."""
    content = element.find(f"{Q}PlainTextContent")
    if content is not None:
        return content.text or "", ""
    path = element.get("plainTextPath", "")
    if not path.startswith("internal://"):
        return "", (f"its text is outside the project file ({path})" if path
                    else "it has no text (no plainTextPath or PlainTextContent)")
    name = str(PurePosixPath("sources") / path.removeprefix("internal://"))
    raw = member(name) if callable(member) else None
    if raw is None:
        return "", f"its text file {path} is missing from the .qdpx"
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), ""
    except UnicodeDecodeError as exc:
        return "", f"its text file {path} is not UTF-8 (byte {exc.start})"


def _note_text(element: etree._Element, member: object) -> str:
    text, _ = _text_of(element, member)
    description = element.findtext(f"{Q}Description") or ""
    return (text or description).strip()


def _source(element: etree._Element, member: object) -> _Source:
    text, problem = _text_of(element, member)
    source = _Source(element.get("name") or element.get("guid", "?"), text, element.sourceline or 0,
                     description=(element.findtext(f"{Q}Description") or "").strip(), problem=problem)
    for selection in element.iterfind(f"{Q}PlainTextSelection"):
        line = selection.sourceline or 0
        try:
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        except ValueError:
            source.problem = source.problem or (f"line {line}: a selection's positions are not "
                                                "whole numbers")
            continue
        codings = [
            (ref.get("targetGUID", "") if (ref := c.find(f"{Q}CodeRef")) is not None else "",
             c.get("creatingUser"), [n.get("targetGUID", "") for n in c.iterfind(f"{Q}NoteRef")])
            for c in selection.iterfind(f"{Q}Coding")
        ]
        source.selections.append(_Selection(
            start, end, line, codings, selection.get("creatingUser"),
            (selection.findtext(f"{Q}Description") or "").strip(),
            [n.get("targetGUID", "") for n in selection.iterfind(f"{Q}NoteRef")],
            selection.get("name") or "",
        ))
    return source


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def choose_unit(project: Project) -> str:
    """Code points or UTF-16 units, for the whole file.

    The evidence of the positions wins: a selection ending past a text's code-point length
    but within its UTF-16 length, or a selection's name matching its text under one unit only.
    With no evidence (no astral characters, or none before a selection), the exporting
    software decides: NVivo counts UTF-16 units, the others code points.
    """
    votes = {CODE_POINTS: 0, UTF16: 0}
    for source in project.sources:
        if source.problem or utf16_length(source.text) == len(source.text):
            continue  # no astral characters: both units agree
        as_utf16 = _Utf16(source.text)
        for s in source.selections:
            if len(source.text) < s.end <= as_utf16.length:
                votes[UTF16] += 1
            elif s.name:
                cp = source.text[s.start:s.end] == s.name
                u16 = as_utf16.slice(s.start, s.end) == s.name
                if cp != u16:
                    votes[CODE_POINTS if cp else UTF16] += 1
    if votes[UTF16] != votes[CODE_POINTS]:
        return UTF16 if votes[UTF16] > votes[CODE_POINTS] else CODE_POINTS
    return UTF16 if project.origin.strip().lower().startswith("nvivo") else CODE_POINTS


class _Utf16:
    """UTF-16 positions of one text -> code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index: dict[int, int] = {}
        at = 0
        for i, char in enumerate(text):
            self.index[at] = i
            at += 2 if ord(char) > 0xFFFF else 1
        self.index[at] = len(text)
        self.length = at

    def to_code_points(self, position: int) -> int | None:
        return self.index.get(position)

    def slice(self, start: int, end: int) -> str | None:
        a, b = self.index.get(start), self.index.get(end)
        return None if a is None or b is None else self.text[a:b]


def documents(project: Project, file_name: str) -> tuple[list[ForeignDocument], str]:
    """One ForeignDocument per text source (``problems`` filled when it must be refused), and
    the position unit used."""
    unit = choose_unit(project)
    found = []
    for source in project.sources:
        document = ForeignDocument(name=f"{file_name}: {source.name}", text=source.text,
                                   title=source.name)
        if source.description:
            document.metadata["description"] = source.description
        if source.problem:
            document.problems.append(source.problem if source.problem.startswith("line ")
                                     else f"line {source.line}: {source.problem}")
        else:
            _codings(project, source, unit, document)
        found.append(document)
    return found, unit


def _codings(project: Project, source: _Source, unit: str, document: ForeignDocument) -> None:
    utf16 = _Utf16(source.text) if unit == UTF16 else None
    limit = utf16.length if utf16 else len(source.text)
    for s in source.selections:
        where = f"line {s.line}"
        if not 0 <= s.start < s.end:
            document.problems.append(f"{where}: selection {s.start}-{s.end} is empty or reversed")
            continue
        if s.end > limit:
            document.problems.append(f"{where}: selection {s.start}-{s.end} ends past the end of "
                                     f"the text ({limit} {unit})")
            continue
        start, end = s.start, s.end
        if utf16 is not None:
            a, b = utf16.to_code_points(s.start), utf16.to_code_points(s.end)
            if a is None or b is None:
                document.problems.append(f"{where}: selection {s.start}-{s.end} cuts a character "
                                         "in two (UTF-16 positions inside an emoji)")
                continue
            start, end = a, b
        memo = [s.description, *(project.notes.get(g, "") for g in s.notes)]
        if not s.codes:
            document.skipped.append(f"{where}: selection {s.start}-{s.end} has no coding (skipped)")
        for code_guid, coder_guid, note_guids in s.codes:
            code = project.codes.get(code_guid)
            if code is None or not code.name:
                document.problems.append(f"{where}: a coding refers to code {code_guid or '(none)'}, "
                                         "which is not in the codebook")
                continue
            coder_id = coder_guid or s.coder
            coder = project.users.get(coder_id, coder_id) if coder_id else None
            text = "\n\n".join(m for m in [*memo, *(project.notes.get(g, "") for g in note_guids)] if m)
            if code.parent == ENTITY_GROUP:
                document.spans.append(ForeignSpan(start, end, code.name, s.line, coder=coder))
            else:
                document.codings.append(ForeignCoding(start, end, code.name, s.line, coder, text))


def codes_in_order(project: Project) -> list[ForeignCode]:
    """The project's codes for the code list: parents first, the entity group left out."""
    return [c for c in project.codes.values()
            if c.name and c.name != ENTITY_GROUP and c.parent != ENTITY_GROUP]


def read_file(path: Path) -> tuple[list[ForeignDocument], list[ForeignCode], list[str]]:
    """Documents, codes and skipped lines of one file; raises ImportFileError for a bad one."""
    try:
        project = load(path)
    except QdpxError as exc:
        raise ImportFileError(path, str(exc)) from exc
    found, _unit = documents(project, path.name)
    return found, codes_in_order(project), [f"{path.name}: {s}" for s in project.skipped]
