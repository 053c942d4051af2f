"""doccano JSONL for sequence labelling (https://doccano.github.io/doccano/).

One JSON object per line with ``text`` (older exports: ``data``) and either
``label: [[start, end, "LABEL"], ...]`` or ``entities: [{"id", "label", "start_offset",
"end_offset"}, ...]`` with ``relations``. Offsets are code points, end-exclusive, as doccano's
Python back end stores them (its browser front end counts UTF-16 units: a file made there
with emoji before a span is shifted; docs/formats.md). Write: the ``entities`` form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.domain.errors import ExportError
from annotator.io.export.files import replacing
from annotator.io.interchange.paths import (
    files_in,
    first_json_line,
    numbered_lines,
    span_problem,
    why,
)
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

_KNOWN = {"id", "text", "data", "label", "labels", "entities", "relations", "Comments", "comments"}


def is_doccano_record(record: object) -> bool:
    """Whether a parsed line looks like doccano sequence labelling (so not a plain article)."""
    if not isinstance(record, dict):
        return False
    if not isinstance(record.get("text", record.get("data")), str):
        return False
    label = record.get("label")
    entities = record.get("entities")
    if isinstance(entities, list):  # doccano's entities say start_offset: a study file's say start
        return bool(entities) and all(isinstance(x, dict) and "start_offset" in x for x in entities)
    return isinstance(label, list) and bool(label) and all(isinstance(x, list) for x in label)


def read_line(raw: bytes, number: int, file_name: str) -> ForeignDocument:
    """One line of the file as a document; its ``problems`` say why it cannot be imported."""
    document = ForeignDocument(name=file_name, text="")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        document.problems.append(f"line {number}: is not UTF-8")
        return document
    except (ValueError, RecursionError) as exc:
        document.problems.append(f"line {number}: is not JSON ({exc})")
        return document
    if not isinstance(record, dict):
        document.problems.append(f"line {number}: is not a JSON object")
        return document
    text = record.get("text", record.get("data"))
    if not isinstance(text, str) or not text:
        document.problems.append(f"line {number}: has no \"text\"")
        return document
    document.text = text
    title = record.get("title")
    document.title = title if isinstance(title, str) else ""
    document.metadata = _metadata(record)
    for index, triple in enumerate(_triples(document, record, number)):
        _add_span(document, number, index, triple)
    relations = record.get("relations")
    if isinstance(relations, list) and relations:
        document.skipped.append(f"line {number}: {len(relations)} relation(s) skipped (the "
                                "project has no relations)")
    return document


def _triples(document: ForeignDocument, record: Mapping[str, Any], number: int) -> list[Any]:
    if "entities" in record:
        entities = record["entities"]
        if not isinstance(entities, list):
            document.problems.append(f"line {number}: \"entities\" is not a list")
            return []
        triples: list[Any] = []
        for index, entity in enumerate(entities):
            if not isinstance(entity, dict):
                document.problems.append(f"line {number}: entities[{index}] is not an object")
                continue
            triples.append([entity.get("start_offset"), entity.get("end_offset"), entity.get("label")])
        return triples
    label = record.get("label", [])
    if not isinstance(label, list):
        document.problems.append(f"line {number}: \"label\" is not a list")
        return []
    if label and all(isinstance(x, str) for x in label):
        document.skipped.append(f"line {number}: document labels {label} skipped (text "
                                "classification, not entities)")
        return []
    return label


def _add_span(document: ForeignDocument, number: int, index: int, triple: Any) -> None:
    if type(triple) is list and len(triple) >= 3:  # the common case, kept quick
        start, end, label = triple[0], triple[1], triple[2]
        if (type(start) is int and type(end) is int and type(label) is str and label.strip()
                and 0 <= start < end <= len(document.text)):
            document.spans.append(ForeignSpan(start, end, label, number))
            return
    _refuse_span(document, number, index, triple)


def _refuse_span(document: ForeignDocument, number: int, index: int, triple: Any) -> None:
    """Say what is wrong with a span (one that is not is kept, as in ``_add_span``)."""
    where = f"line {number}: span {index + 1}"
    if not (isinstance(triple, list) and len(triple) >= 3):
        document.problems.append(f"{where} is not [start, end, label]")
        return
    problem = span_problem(triple[0], triple[1], triple[2], len(document.text))
    if problem is not None:
        document.problems.append(f"{where}: {problem}")
        return
    document.spans.append(ForeignSpan(triple[0], triple[1], triple[2], number))


def _metadata(record: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: str(value) for key, value in record.items()
        if key not in _KNOWN and key != "title" and isinstance(value, str | int | float)
        and not isinstance(value, bool)
    }


def encode_line(
    number: int, text: str, spans: Sequence[OutSpan], extra: Mapping[str, str]
) -> str:
    """A line in doccano's ``entities`` form; ``extra`` (title, source...) as further keys."""
    record: dict[str, Any] = {"id": number, "text": text}
    record.update({k: v for k, v in extra.items() if v and k not in _KNOWN})
    record["entities"] = [
        {"id": i, "label": s.label, "start_offset": s.start, "end_offset": s.end}
        for i, s in enumerate(spans, start=1)
    ]
    record["relations"] = []
    return json.dumps(record, ensure_ascii=False)


# -- the format's entry points (annotator.io.interchange.formats) -------------------------
SUFFIXES = {".jsonl", ".json"}


def detect(path: Path) -> bool:
    if path.is_dir():
        return any(is_doccano_record(first_json_line(p)) for p in path.rglob("*.jsonl"))
    return path.suffix.lower() in SUFFIXES and is_doccano_record(first_json_line(path))


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    for path in files_in(paths, SUFFIXES):
        sources.files += 1
        try:
            with path.open("rb") as stream:
                for number, raw in numbered_lines(stream):
                    sources.documents.append(read_line(raw, number, path.name))
        except OSError as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    if out.suffix.lower() != ".jsonl":
        raise ExportError(f"{out}: a doccano export needs a file name ending in .jsonl")
    written = Written(files=[str(out)])
    with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        for document in documents:
            extra = {"title": document.title, **document.details}
            stream.write(encode_line(document.id, document.text, document.spans, extra) + "\n")
            written.documents += 1
            written.entities += len(document.spans)
    return written
