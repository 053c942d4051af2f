"""brat standoff (https://brat.nlplab.org/standoff.html): a ``.txt`` and its ``.ann``.

brat counts offsets in characters of the text as Python reads it: code points, 0-based,
end-exclusive, the same as the project. So the ``.txt`` is read and written as UTF-8 with no
newline translation: a CRLF is two characters, as brat counts it.

Read: T lines become spans (a discontinuous one keeps its outer extent and is reported when
its gaps hold more than white space); A, M, N and # lines attached to a kept T line become its
notes; R, E and * lines (relations, events, equivalences) are reported as skipped. A T line
pointing past the text, or whose text is not the text at its offsets, refuses the document.
Write: one T line per span; a span crossing a line break is written as fragments split at the
break (brat's .ann is line-oriented), which reads back as the same outer extent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

from annotator.domain.errors import ExportError
from annotator.io.export.files import export_error
from annotator.io.interchange.paths import files_in, why
from annotator.io.interchange.records import (
    ExportDocument,
    ForeignDocument,
    ForeignSpan,
    OutSpan,
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)

_T_MIDDLE = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")
_SKIPPED = {"R": "relation", "E": "event", "*": "equivalence"}
_NOTE_KINDS = {"A", "M", "N", "#"}
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]+")
_SPACES = re.compile(r"\s+")


def read_text(path: Path) -> str:
    """The text exactly as brat counts it (UTF-8, line ends untouched)."""
    with path.open("r", encoding="utf-8", newline="") as stream:
        return stream.read()


def read_document(txt: Path, ann: Path | None) -> ForeignDocument:
    """Read a .txt and its .ann (None: a text with no annotations). Raises OSError and
    UnicodeDecodeError for a file that cannot be read at all."""
    document = ForeignDocument(name=(ann or txt).name, text=read_text(txt), title=txt.stem)
    if ann is not None:
        with ann.open("r", encoding="utf-8-sig", newline="") as stream:
            lines = stream.read().splitlines()
        parse_ann(document, lines)
    return document


def parse_ann(document: ForeignDocument, lines: Iterable[str]) -> None:
    """Fill ``document`` with the spans, problems and skipped lines of an .ann file's lines."""
    spans: dict[str, ForeignSpan] = {}
    notes: list[tuple[int, str, str]] = []  # line, target id, note
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            span = _text_bound(document, number, ident, rest)
            if span is not None:
                spans[ident] = span
        elif kind in _NOTE_KINDS:
            target, note = _note(kind, rest)
            if target is None:
                document.problems.append(f"line {number}: {ident} is not a well-formed {kind} line")
            else:
                notes.append((number, target, note))
        elif kind in _SKIPPED:
            document.skipped.append(f"line {number}: {_SKIPPED[kind]} {ident} skipped "
                                    "(the project has no relations or events)")
        else:
            document.problems.append(f"line {number}: {ident!r} is not a brat annotation id")
    attached: dict[str, list[str]] = {}
    for number, target, note in notes:
        if target in spans:
            attached.setdefault(target, []).append(note)
        else:
            document.skipped.append(f"line {number}: note on {target} skipped (it is not a kept "
                                    "text-bound annotation)")
    document.spans = [
        ForeignSpan(s.start, s.end, s.label, s.line, tuple(attached[ident])) if ident in attached else s
        for ident, s in spans.items()
    ]


def _text_bound(document: ForeignDocument, number: int, ident: str, rest: str) -> ForeignSpan | None:
    middle, tab, written = rest.partition("\t")
    found = _T_MIDDLE.match(middle)
    if found is None or not tab:
        document.problems.append(f"line {number}: {ident} is not a well-formed T line "
                                 "(type, offsets, tab, text)")
        return None
    label, offsets = found.group(1, 2)
    text = document.text
    if ";" not in offsets:  # the common case, kept quick: an import may read a million lines
        first, _, last = offsets.partition(" ")
        start, end = int(first), int(last)
        if start < end <= len(text) and text[start:end] == written:
            return ForeignSpan(start, end, label, number)
    fragments = [tuple(int(n) for n in piece.split(" ")) for piece in offsets.split(";")]
    for start, end in fragments:
        if start >= end:
            document.problems.append(f"line {number}: {ident} has an empty span {start}-{end}")
            return None
        if end > len(text):
            document.problems.append(f"line {number}: {ident} ends at {end}, past the end of "
                                     f"the text ({len(text)} characters)")
            return None
    actual = " ".join(text[s:e] for s, e in fragments)
    if actual != written and _SPACES.sub(" ", actual) != _SPACES.sub(" ", written):
        document.problems.append(f"line {number}: {ident} says {_short(written)!r} but the text "
                                 f"at {fragments[0][0]}-{fragments[-1][1]} is {_short(actual)!r}")
        return None
    start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
    gaps = [text[a:b] for (_, a), (b, _) in pairwise(fragments)]
    if any(gap.strip() for gap in gaps):
        document.skipped.append(f"line {number}: {ident} is discontinuous ({found.group(2)}): "
                                f"kept as its outer extent {start}-{end}")
    return ForeignSpan(start, end, label, number)


def _note(kind: str, rest: str) -> tuple[str | None, str]:
    """(the id it attaches to, the note as text) of an A/M/N/# line."""
    head, _, tail = rest.partition("\t")
    parts = head.split(" ")
    if len(parts) < 2:
        return None, ""
    name, target, values = parts[0], parts[1], parts[2:]
    if kind in ("A", "M"):
        return target, f"{name}: {' '.join(values)}" if values else name
    if kind == "N":
        return target, f"{name} {' '.join(values)}: {tail}".strip()
    return target, f"{name}: {tail}"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def read_conf_entities(path: Path) -> list[str]:
    """The entity types an annotation.conf declares ([entities] section, nesting ignored)."""
    names: list[str] = []
    section = ""
    with path.open("r", encoding="utf-8-sig") as stream:
        for raw in stream:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip().lower()
            elif section == "entities":
                names.append(line.split()[0].lstrip("!"))
    return names


# -- write --------------------------------------------------------------------------------
def type_name(label: str) -> str:
    """A brat type name for a label: brat's types have no white space."""
    return _SPACES.sub("_", label.strip()) or "_"


def ann_text(text: str, spans: Sequence[OutSpan]) -> tuple[str, list[OutSpan]]:
    """The .ann of the spans, and the spans it could not hold (one starting or ending with a
    line break: brat's fragments cannot say so)."""
    lines: list[str] = []
    left_out: list[OutSpan] = []
    for span in spans:
        covered = text[span.start:span.end]
        if _BREAKS.fullmatch(covered[:1]) or _BREAKS.fullmatch(covered[-1:]):
            left_out.append(span)
            continue
        fragments: list[tuple[int, int]] = []
        at = span.start
        for found in _BREAKS.finditer(covered):
            fragments.append((at, span.start + found.start()))
            at = span.start + found.end()
        fragments.append((at, span.end))
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        words = " ".join(text[s:e] for s, e in fragments)
        lines.append(f"T{len(lines) + 1}\t{type_name(span.label)} {offsets}\t{words}\n")
    return "".join(lines), left_out


def conf_text(labels: Iterable[str]) -> str:
    """An annotation.conf declaring the labels as entity types (no relations or events)."""
    entities = "".join(f"{type_name(label)}\n" for label in labels)
    return f"[entities]\n{entities}\n[relations]\n\n[events]\n\n[attributes]\n"


# -- the format's entry points (annotator.io.interchange.formats) -------------------------
def detect(path: Path) -> bool:
    if path.is_dir():
        return next(path.rglob("*.ann"), None) is not None
    suffix = path.suffix.lower()
    return suffix == ".ann" or path.name == "annotation.conf" or (
        suffix == ".txt" and path.with_suffix(".ann").exists()
    )


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    texts: dict[Path, Path | None] = {}  # .txt -> its .ann (None: not annotated yet)
    confs: set[Path] = set()
    for path in files_in(paths, {".txt", ".ann", ".conf"}):
        suffix = path.suffix.lower()
        if path.name == "annotation.conf":
            confs.add(path)
        elif suffix == ".ann":
            texts[path.with_suffix(".txt")] = path
        elif suffix == ".txt":
            ann = path.with_suffix(".ann")
            texts.setdefault(path, ann if ann.exists() else None)
            if (path.parent / "annotation.conf").exists():
                confs.add(path.parent / "annotation.conf")
        else:
            sources.failed.append(f"{path}: is not a brat file (.txt, .ann, annotation.conf)")
    for conf in sorted(confs):
        try:
            sources.declared.extend(read_conf_entities(conf))
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{conf}: cannot be read ({why(exc)})")
    for txt, ann in sorted(texts.items()):
        sources.files += 1
        if not txt.exists():
            sources.failed.append(f"{ann}: has no text file {txt.name} beside it")
            continue
        try:
            sources.documents.append(read_document(txt, ann))
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{ann or txt}: cannot be read ({why(exc)})")


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    """A folder of docNNNNNN.txt/.ann pairs and an annotation.conf of the labels."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: a brat export needs an empty or new folder")
    written = Written(files=[str(out)])
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "annotation.conf").write_text(conf_text(options.labels), encoding="utf-8")
        for document in documents:
            stem = f"doc{document.id:06d}"
            with (out / f"{stem}.txt").open("w", encoding="utf-8", newline="") as stream:
                stream.write(document.text)
            ann, left_out = ann_text(document.text, document.spans)
            with (out / f"{stem}.ann").open("w", encoding="utf-8", newline="\n") as stream:
                stream.write(ann)
            written.documents += 1
            written.entities += len(document.spans) - len(left_out)
            written.count("entities starting or ending with a line break", len(left_out))
            written.count("documents' titles and details",
                          int(bool(document.title or document.details)))
    except OSError as exc:
        raise export_error(out, exc) from exc
    return written
