"""Label Studio exports (https://labelstud.io/guide/export): JSON, JSON-MIN and JSONL.

JSON is a list of tasks: ``data`` (the text under ``text`` or the key the results'
``to_name`` names), ``annotations`` (``completions`` before 1.0), each with ``result`` items
of ``type: "labels"`` whose ``value`` has ``start``, ``end``, ``text`` and ``labels``, and
``completed_by``; and ``predictions``. JSON-MIN is a list of one flat object per annotation
(the data keys, ``annotator``, and per labels tag a list of ``{start, end, text, labels}``).
JSONL has one JSON task per line. A single task object (a cloud-storage ``task_id.json``) reads
as a list of one.

Offsets are code points (Label Studio stores them so since its 2021 emoji fix); older exports
counted UTF-16 units, and since every result carries its ``text``, a span whose text only
matches when counted in UTF-16 units is converted and the document reports it. Each
annotation is one coder's (:mod:`annotators`); cancelled annotations and predictions (model
output) are left out and reported, as are results of other types (choices, relation,
textarea...). Write: the JSON form, one task and one annotation per document, and beside it
``OUT.config.xml``, a labeling config with the project's labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.domain.errors import ExportError
from annotator.io.export.files import export_error, replacing
from annotator.io.interchange.annotators import coder_names
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

_MIN_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}


def _is_task(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("data"), dict) and any(
        isinstance(item.get(key), list) for key in ("annotations", "completions", "predictions")
    )


def _regions(value: object) -> bool:
    """A JSON-MIN labels column: a list of {start, end, labels}."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and {"start", "end", "labels"} <= v.keys() for v in value
    )


def _is_min_item(item: object) -> bool:
    return isinstance(item, dict) and "data" not in item and any(_regions(v) for v in item.values())


def is_label_studio(loaded: object) -> bool:
    items = loaded if isinstance(loaded, list) else [loaded]
    return bool(items) and (_is_task(items[0]) or _is_min_item(items[0]))


def tasks_with_lines(content: str) -> list[tuple[int, Any]]:
    """The items of a JSON list (or one object), each with the line it starts on, so that
    messages name a line of the file. Raises ValueError for what is not JSON."""
    decoder = json.JSONDecoder()
    at = len(content) - len(content.lstrip())
    if content[at:at + 1] != "[":
        return [(content.count("\n", 0, at) + 1, json.loads(content))]
    items: list[tuple[int, Any]] = []
    at += 1
    while True:
        at = _skip_space(content, at)
        if content[at:at + 1] == "]" and not items:
            break
        item, end = decoder.raw_decode(content, at)
        items.append((content.count("\n", 0, at) + 1, item))
        at = _skip_space(content, end)
        if content[at:at + 1] == ",":
            at += 1
        elif content[at:at + 1] == "]":
            break
        else:
            raise ValueError(f"expected , or ] at line {content.count(chr(10), 0, at) + 1}")
    if content[at + 1:].strip():
        raise ValueError("extra data after the list")
    return items


def _skip_space(content: str, at: int) -> int:
    while at < len(content) and content[at] in " \t\r\n":
        at += 1
    return at


class _Reader:
    """Turns the items of one file into documents; spans keep their annotator as ``coder``
    until the whole import is read (then :func:`coder_names` names the layers)."""

    def __init__(self, file_name: str, sources: Sources) -> None:
        self.file_name = file_name
        self.sources = sources

    def task(self, line: int, index: int, item: Any) -> list[ForeignDocument]:
        where = f"line {line} (task {index})"
        if not _is_task(item):
            if _is_min_item(item):
                return [self.min_item(line, index, item)]
            return [self.refused(f"{where}: is not a Label Studio task (no \"data\" and "
                                  "\"annotations\")")]
        data = item["data"]
        annotations = item.get("annotations", item.get("completions")) or []
        if not isinstance(annotations, list):
            return [self.refused(f"{where}: \"annotations\" is not a list")]
        results = [r for a in annotations if isinstance(a, dict)
                   for r in (a.get("result") or []) if isinstance(r, dict)]
        text_key = self._text_key(data, results)
        if text_key is None:
            return [self.refused(f"{where}: has no text in \"data\"")]
        documents: list[ForeignDocument] = []
        for number, annotation in enumerate(annotations, start=1):
            at = f"{where}: annotation {number}"
            if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
                documents.append(self.refused(f"{at}: is not an annotation with a result list"))
                continue
            if annotation.get("was_cancelled"):
                self.sources.skipped.append(f"{self.file_name}: {at}: left out (cancelled in "
                                            "Label Studio)")
                continue
            document = self._document(line, item, data, text_key)
            coder = _annotator(annotation.get("completed_by"))
            for k, result in enumerate(annotation.get("result") or [], start=1):
                self._result(document, f"{at}: result {k}", line, result, coder)
            documents.append(document)
        if not documents:  # nothing decided yet: the text comes without entities
            documents.append(self._document(line, item, data, text_key))
        predictions = item.get("predictions")
        if isinstance(predictions, list) and predictions:
            documents[0].skipped.append(f"{where}: {len(predictions)} prediction(s) left out "
                                        "(model output, not a coder's decisions)")
        return documents

    def min_item(self, line: int, index: int, item: Mapping[str, Any]) -> ForeignDocument:
        where = f"line {line} (task {index})"
        data = {k: v for k, v in item.items() if not _regions(v) and k not in _MIN_KEYS}
        text_key = self._text_key(data, [])
        if text_key is None:
            return self.refused(f"{where}: has no text")
        document = self._document(line, {"id": item.get("id")}, data, text_key)
        coder = _annotator(item.get("annotator"))
        for key, regions in item.items():
            if _regions(regions):
                for k, region in enumerate(regions, start=1):
                    self._result(document, f"{where}: {key} {k}", line,
                                 {"type": "labels", "value": region}, coder)
        return document

    def _text_key(self, data: Mapping[str, Any], results: list[dict[str, Any]]) -> str | None:
        named = [r.get("to_name") for r in results if r.get("type") == "labels"]
        for key in [*named, "text"]:
            if isinstance(key, str) and isinstance(data.get(key), str) and data[key]:
                return key
        texts = [k for k, v in data.items() if isinstance(v, str) and v and k != "title"]
        return max(texts, key=lambda k: len(data[k])) if texts else None

    def _document(self, line: int, item: Mapping[str, Any], data: Mapping[str, Any],
                  text_key: str) -> ForeignDocument:
        title = data.get("title")
        metadata = {
            str(k): str(v) for k, v in data.items()
            if k not in (text_key, "title") and isinstance(v, str | int | float)
            and not isinstance(v, bool)
        }
        if item.get("id") is not None:
            metadata.setdefault("label_studio_id", str(item["id"]))
        return ForeignDocument(name=self.file_name, text=data[text_key],
                               title=title if isinstance(title, str) else "", metadata=metadata)

    def _result(self, document: ForeignDocument, where: str, line: int, result: Any,
                coder: str | None) -> None:
        if not isinstance(result, dict):
            document.problems.append(f"{where}: is not an object")
            return
        kind = result.get("type")
        if kind != "labels":
            document.skipped.append(f"{where}: a {kind} result skipped (only labels on text become entities)")
            return
        value = result.get("value")
        if not isinstance(value, dict):
            document.problems.append(f"{where}: has no \"value\"")
            return
        found = _offsets(document, where, value)
        labels = value.get("labels")
        if not (isinstance(labels, list) and labels and all(isinstance(x, str) and x.strip()
                                                            for x in labels)):
            document.problems.append(f"{where}: has no labels")
            return
        if found is not None:
            for label in labels:
                document.spans.append(ForeignSpan(found[0], found[1], label, line, coder=coder))

    def refused(self, problem: str) -> ForeignDocument:
        return ForeignDocument(name=self.file_name, text="", problems=[problem])


def _offsets(document: ForeignDocument, where: str, value: Mapping[str, Any]) -> tuple[int, int] | None:
    start, end, text = value.get("start"), value.get("end"), document.text
    if not (type(start) is int and type(end) is int):
        document.problems.append(f"{where}: its start and end are not whole numbers")
        return None
    if not 0 <= start < end:
        document.problems.append(f"{where}: {start}-{end} is not a span (start before end)")
        return None
    written = value.get("text")
    if not isinstance(written, str):
        if end > len(text):
            document.problems.append(f"{where}: ends at {end}, past the end of the text "
                                     f"({len(text)} characters)")
            return None
        return start, end
    if end <= len(text) and _same(text[start:end], written):
        return start, end
    converted = _from_utf16(text, start, end)
    if converted is not None and _same(text[converted[0]:converted[1]], written):
        note = "offsets counted in UTF-16 units (an older Label Studio): converted to characters"
        if note not in document.skipped:
            document.skipped.append(note)
        return converted
    if end > len(text):
        document.problems.append(f"{where}: ends at {end}, past the end of the text "
                                 f"({len(text)} characters)")
    else:
        document.problems.append(f"{where}: says {_short(written)!r} but the text at "
                                 f"{start}-{end} is {_short(text[start:end])!r}")
    return None


def _same(actual: str, written: str) -> bool:
    """Label Studio may trim or fold the white space of a region's text."""
    return actual == written or actual.split() == written.split()


def _from_utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Code-point offsets for UTF-16 offsets, or None if one falls inside a character."""
    units = 0
    found: dict[int, int] = {}
    for index, char in enumerate(text):
        found[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    found[units] = len(text)
    if start not in found or end not in found:
        return None
    return found[start], found[end]


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _annotator(value: object) -> str | None:
    """``completed_by`` as a name: an object's email (else its id), an id as ``user N``."""
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    if isinstance(value, bool) or value is None or value == "":
        return None
    return f"user {value}" if isinstance(value, int) else str(value)


# -- write --------------------------------------------------------------------------------
def task(document: ExportDocument) -> dict[str, Any]:
    data: dict[str, Any] = {"text": document.text}
    data.update({k: v for k, v in {"title": document.title, **document.details}.items() if v})
    result = [
        {"id": f"e{i}", "from_name": "label", "to_name": "text", "type": "labels",
         "origin": "manual",
         "value": {"start": s.start, "end": s.end, "text": document.text[s.start:s.end],
                   "labels": [s.label]}}
        for i, s in enumerate(document.spans, start=1)
    ]
    return {"id": document.id, "data": data,
            "annotations": [{"result": result, "was_cancelled": False, "ground_truth": False}],
            "predictions": []}


def config_xml(labels: tuple[str, ...]) -> str:
    """A labeling config for the tasks: the project's labels on the text, white space kept."""
    entries = "".join(f"    <Label value={quoteattr(label)}/>\n" for label in labels)
    return ("<View>\n  <Style>.htx-text{ white-space: pre-wrap; }</Style>\n"
            f'  <Labels name="label" toName="text">\n{entries}  </Labels>\n'
            '  <Text name="text" value="$text"/>\n</View>\n')


# -- the format's entry points (annotator.io.interchange.formats) -------------------------
SUFFIXES = {".json", ".jsonl"}
_PROBE_BYTES = 8 * 1024 * 1024


def detect(path: Path) -> bool:
    if path.is_dir():
        return any(_looks_like(p) for p in sorted(path.rglob("*.json")))
    return path.suffix.lower() in SUFFIXES and _looks_like(path)


def _looks_like(path: Path) -> bool:
    """Whether the first task or line, read from a bounded head of the file, is Label
    Studio's (a huge file is not read whole just to be recognised)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_PROBE_BYTES).decode("utf-8-sig", errors="ignore")
        at = len(head) - len(head.lstrip())
        if head[at:at + 1] == "[":
            at = len(head) - len(head[at + 1:].lstrip())
        first, _ = json.JSONDecoder().raw_decode(head, at)
        return is_label_studio(first)
    except (OSError, ValueError, RecursionError):
        return False


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    documents: list[ForeignDocument] = []
    for path in files_in(paths, SUFFIXES):
        sources.files += 1
        try:
            content = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")
            continue
        reader = _Reader(path.name, sources)
        if path.suffix.lower() == ".jsonl":
            for number, line in enumerate(content.split("\n"), start=1):
                if line.strip():
                    try:
                        documents.extend(reader.task(number, number, json.loads(line)))
                    except (ValueError, RecursionError) as exc:
                        documents.append(reader.refused(f"line {number}: is not JSON ({exc})"))
            continue
        try:
            items = tasks_with_lines(content)
        except (ValueError, RecursionError) as exc:
            sources.failed.append(f"{path}: is not JSON ({exc})")
            continue
        for index, (line, item) in enumerate(items, start=1):
            documents.extend(reader.task(line, index, item))
    names = coder_names(s.coder for d in documents for s in d.spans)
    for document in documents:
        document.spans = [
            ForeignSpan(s.start, s.end, s.label, s.line, s.notes, s.rejected,
                        names.get(s.coder) if s.coder else None)
            for s in document.spans
        ]
    sources.documents.extend(documents)


def config_path(out: Path) -> Path:
    return out.with_name(out.stem + ".config.xml")


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    if out.suffix.lower() != ".json":
        raise ExportError(f"{out}: a Label Studio export needs a file name ending in .json")
    config = config_path(out)
    written = Written(files=[str(out), str(config)])
    tasks = [task(document) for document in documents]
    with replacing(out) as temporary:
        try:
            temporary.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            raise export_error(out, exc) from exc
    with replacing(config) as temporary:
        temporary.write_text(config_xml(options.labels), encoding="utf-8")
    written.documents = len(tasks)
    written.entities = sum(len(d.spans) for d in documents)
    return written
