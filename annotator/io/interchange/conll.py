"""CoNLL-2003 style token files: IOB1, IOB2, BILOU and BIOES (``.conll``, ``.iob``, ``.bio``,
``.bilou``, ``.bioes``, and ``.txt`` whose content is one).

A token per line with its tag in the last column (CoNLL-2003's POS and chunk columns are
ignored), a blank line between sentences, a ``-DOCSTART-`` line between documents (a file
without one is one document). The tagging scheme is found per file: E-/S- tags make it BIOES,
L-/U- tags BILOU; otherwise it is IOB1 when entities start with I- and B- only separates two
entities of one type (the original CoNLL-2003 files), else IOB2.

Read: the file holds no text, so the text is rebuilt: tokens joined by one space, sentences
by a line break; the spans are then exact by construction. A tag that is not O or
B/I/L/U/E/S-TYPE refuses its document (line named). An invalid sequence (I- after O in IOB2,
L- or E- without B-, B- never closed in BILOU) is repaired the standard way, a broken
entity starting where its first tag is, and each repair is reported with its line.
Write: IOB2, ``token TAG`` per line, from the simple splitter of :mod:`tokens`; sentences end
at the text's line breaks (not inside an entity). An entity whose edges fall inside a token
cannot be said and is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.errors import ExportError
from annotator.io.export.files import replacing
from annotator.io.interchange.paths import files_in, why
from annotator.io.interchange.records import (
    ExportDocument,
    ForeignDocument,
    ForeignSpan,
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)
from annotator.io.interchange.tokens import BREAKS, aligned, tokens, trimmed

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIELSU])-(\S+))$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Token:
    text: str
    prefix: str  # "O", "B", "I", "E" (L read as E), "S" (U read as S)
    kind: str
    line: int
    tag: str  # as the file has it, for messages


Sentence = list[_Token]


def scheme(sentences: list[Sentence]) -> str:
    """IOB1, IOB2, BIOES or BILOU, from the tags a file uses."""
    written = {t.tag[0] for s in sentences for t in s}
    if written & {"L", "U"}:
        return "BILOU"
    if written & {"E", "S"}:
        return "BIOES"
    starts_with_i = starts_with_b = False
    for sentence in sentences:
        previous = ""
        for token in sentence:
            opens = previous != token.kind
            starts_with_i |= token.prefix == "I" and opens
            starts_with_b |= token.prefix == "B" and opens
            previous = token.kind if token.prefix != "O" else ""
    return "IOB1" if starts_with_i and not starts_with_b else "IOB2"


def entities(sentence: Sentence, used: str, repairs: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, type) of each entity of a sentence; repairs are reported."""
    found: list[tuple[int, int, str]] = []
    open_at: int | None = None
    kind = ""
    closing = used in ("BILOU", "BIOES")

    def close(last: int) -> None:
        nonlocal open_at
        if open_at is not None:
            found.append((open_at, last, kind))
        open_at = None

    for index, token in enumerate(sentence):
        continues = open_at is not None and token.kind == kind and token.prefix in ("I", "E")
        if not continues:
            if closing and open_at is not None:
                repairs.append(f"line {sentence[index - 1].line}: {kind} entity not closed with "
                               "L-/E-: it ends here")
            close(index - 1)
            if token.prefix in ("I", "E") and used != "IOB1":
                repairs.append(f"line {token.line}: {token.tag} does not continue "
                               f"an entity ({used}): read as B-{token.kind}")
            if token.prefix != "O":
                open_at, kind = index, token.kind
        if token.prefix in ("S", "E"):
            close(index)
    if closing and open_at is not None:
        repairs.append(f"line {sentence[-1].line}: {kind} entity not closed with L-/E-: it ends "
                       "with the sentence")
    close(len(sentence) - 1)
    return found


def build_document(name: str, title: str, sentences: list[Sentence], used: str) -> ForeignDocument:
    """The rebuilt text (tokens joined by a space, sentences by a line break) and its spans."""
    document = ForeignDocument(name=name, text="", title=title)
    pieces: list[str] = []
    at = 0
    for number, sentence in enumerate(sentences):
        if number:
            pieces.append("\n")
            at += 1
        bounds: list[tuple[int, int]] = []
        for index, token in enumerate(sentence):
            if index:
                pieces.append(" ")
                at += 1
            pieces.append(token.text)
            bounds.append((at, at + len(token.text)))
            at += len(token.text)
        for first, last, kind in entities(sentence, used, document.skipped):
            document.spans.append(ForeignSpan(bounds[first][0], bounds[last][1], kind,
                                              sentence[first].line))
    document.text = "".join(pieces)
    return document


def parse(name: str, lines: list[str]) -> list[ForeignDocument]:
    """The documents of a file's lines (line ends removed)."""
    documents: list[tuple[list[Sentence], list[str]]] = [([], [])]
    sentence: Sentence = []
    for number, line in enumerate(lines, start=1):
        columns = line.split()
        if not columns or columns[0] == DOCSTART:
            if sentence:
                documents[-1][0].append(sentence)
                sentence = []
            if columns and (documents[-1][0] or documents[-1][1]):
                documents.append(([], []))
            continue
        if len(columns) < 2:
            documents[-1][1].append(f"line {number}: {columns[0]!r} has no tag (a token and "
                                    "its tag, separated by white space)")
            continue
        tag = _TAG.match(columns[-1])
        if tag is None:
            documents[-1][1].append(f"line {number}: tag {columns[-1]!r} is not O or "
                                    "B-, I-, L-, U-, E-, S- with a type")
            continue
        prefix = {"L": "E", "U": "S"}.get(tag.group(1) or "O", tag.group(1) or "O")
        sentence.append(_Token(columns[0], prefix, tag.group(2) or "", number, columns[-1]))
    if sentence:
        documents[-1][0].append(sentence)
    used = scheme([s for sentences, _ in documents for s in sentences])
    stem = Path(name).stem
    found: list[ForeignDocument] = []
    kept = [d for d in documents if d[0] or d[1]]
    for index, (sentences, problems) in enumerate(kept, start=1):
        title = stem if len(kept) == 1 else f"{stem} {index}"
        document = build_document(name, title, sentences, used)
        document.problems.extend(problems)
        found.append(document)
    return found


# -- write --------------------------------------------------------------------------------
def tag_name(label: str) -> str:
    """A tag type for a label: a tag has no white space."""
    return _SPACES.sub("_", label.strip()) or "_"


def document_lines(document: ExportDocument) -> tuple[list[str], int, int]:
    """The document's lines (no -DOCSTART-), the entities written and those that could not be
    (an edge inside a token)."""
    text = document.text
    found = tokens(text)
    tags = ["O"] * len(found)
    inside = [False] * len(found)  # the token continues an entity: no sentence break before it
    written = lost = 0
    for span in document.spans:
        start, end = trimmed(text, span.start, span.end)
        covered = aligned(found, start, end) if start < end else None
        if covered is None or any(tags[i] != "O" for i in range(covered[0], covered[1] + 1)):
            lost += 1
            continue
        first, last = covered
        tags[first] = f"B-{tag_name(span.label)}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{tag_name(span.label)}"
            inside[i] = True
        written += 1
    lines: list[str] = []
    for index, (start, end) in enumerate(found):
        if index and not inside[index] and BREAKS.search(text, found[index - 1][1], start):
            lines.append("")
        lines.append(f"{text[start:end]} {tags[index]}")
    return lines, written, lost


# -- the format's entry points (annotator.io.interchange.formats) -------------------------
SUFFIXES = {".conll", ".iob", ".bio", ".iob2", ".bilou", ".bioes"}
_PROBE_LINES = 50
_PROBE_BYTES = 64 * 1024


def detect(path: Path) -> bool:
    if path.is_dir():
        return any(p.suffix.lower() in SUFFIXES for p in path.rglob("*"))
    suffix = path.suffix.lower()
    return suffix in SUFFIXES or (suffix == ".txt" and looks_like_conll(path))


def looks_like_conll(path: Path) -> bool:
    """A .txt starting with -DOCSTART-, or whose first lines are all ``token ... TAG`` with
    at least one entity tag (a plain article is not)."""
    try:
        with path.open("rb") as stream:  # a bounded read: a huge text is not this importer's
            head = stream.read(_PROBE_BYTES)
    except OSError:
        return False
    lines = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").split("\n")
    if len(head) == _PROBE_BYTES:
        lines = lines[:-1]  # cut off in the middle
    rows = [columns for columns in (line.split() for line in lines) if columns][:_PROBE_LINES]
    if not rows:
        return False
    if rows[0][0] == DOCSTART:
        return True
    return len(rows) >= 3 and all(2 <= len(c) <= 6 and _TAG.match(c[-1]) for c in rows) and any(
        c[-1] != "O" for c in rows
    )


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    named = set(paths)
    for path in files_in(paths, SUFFIXES | {".txt"}):
        if path not in named and path.suffix.lower() == ".txt" and not looks_like_conll(path):
            continue  # a plain text in a folder beside the token files
        sources.files += 1
        try:
            with path.open("r", encoding="utf-8-sig", newline="") as stream:
                lines = [line.rstrip("\r") for line in stream.read().split("\n")]
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")
            continue
        sources.documents.extend(parse(path.name, lines))


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    if out.suffix.lower() not in SUFFIXES | {".txt"}:
        raise ExportError(f"{out}: a CoNLL export needs a file name ending in .conll, .iob, .bio "
                          "or .txt")
    written = Written(files=[str(out)])
    with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        for document in documents:
            lines, entities_written, lost = document_lines(document)
            if not lines:
                written.count("documents with no words (left out)")
                continue
            stream.write(f"{DOCSTART} O\n\n" + "\n".join(lines) + "\n\n")
            written.documents += 1
            written.entities += entities_written
            written.count("entities whose edges fall inside a word", lost)
            written.count("documents' titles and details",
                          int(bool(document.title or document.details)))
    return written
