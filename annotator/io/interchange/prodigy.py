"""Prodigy JSONL (https://prodi.gy/docs/api-interfaces#ner_manual): ``prodigy db-out`` of a
``ner``, ``ner.manual`` or ``ner.correct`` dataset.

One task per line: ``text``, ``spans`` (``start``, ``end``, ``label``; ``token_start`` and
``token_end`` are not needed), ``answer`` and ``meta``. Offsets are code points, as Prodigy's
Python counts them. Read: an accepted task's spans become accepted entities, a rejected
task's spans rejected ones (known negatives), an ignored task is left out and reported; a
task with no ``answer`` (an input file) counts as accepted. Lines of the same text (the binary
``ner`` recipe asks one span at a time) land in one document. ``meta`` goes to the metadata.
Write: one accepted task per document, with ``tokens`` from the simple splitter of
:mod:`tokens` (split further at the spans' edges, so every span has its token_start/end).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotator.domain.errors import ExportError
from annotator.io.export.files import replacing
from annotator.io.interchange.annotators import coder_names
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
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)
from annotator.io.interchange.tokens import split_at, tokens

ANSWERS = ("accept", "reject", "ignore")
_TASK_KEYS = ("answer", "_input_hash", "_task_hash", "_view_id")


def is_prodigy_record(record: object) -> bool:
    """A line with ``text`` and ``spans`` of start/end/label (doccano says start_offset, the
    study format ``entities``), or with ``spans`` and one of Prodigy's own keys."""
    if not (isinstance(record, dict) and isinstance(record.get("text"), str)):
        return False
    spans = record.get("spans")
    if not isinstance(spans, list):
        return False
    if any(key in record for key in _TASK_KEYS):
        return True
    return bool(spans) and all(
        isinstance(s, dict) and {"start", "end", "label"} <= s.keys() for s in spans
    )


def read_line(raw: bytes, number: int, file_name: str) -> tuple[ForeignDocument | None, str | None]:
    """The task as a document, or (None, why it is left out) for an ignored one."""
    document = ForeignDocument(name=file_name, text="")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        document.problems.append(f"line {number}: is not UTF-8")
        return document, None
    except (ValueError, RecursionError) as exc:
        document.problems.append(f"line {number}: is not JSON ({exc})")
        return document, None
    if not isinstance(record, dict):
        document.problems.append(f"line {number}: is not a JSON object")
        return document, None
    answer = record.get("answer", "accept")
    if answer not in ANSWERS:
        document.problems.append(f"line {number}: answer {answer!r} is not accept, reject or ignore")
        return document, None
    if answer == "ignore":
        return None, f"line {number}: answer 'ignore': the task is left out"
    text = record.get("text")
    if not isinstance(text, str) or not text:
        document.problems.append(f'line {number}: has no "text"')
        return document, None
    document.text = text
    meta = record.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    title = meta.get("title", record.get("title"))
    document.title = title if isinstance(title, str) else ""
    document.metadata = _metadata(meta)
    coder = record.get("_annotator_id") or record.get("_session_id")
    spans = record.get("spans", [])
    if not isinstance(spans, list):
        document.problems.append(f'line {number}: "spans" is not a list')
        return document, None
    for index, span in enumerate(spans, start=1):
        _add_span(document, number, index, span, answer == "reject",
                  coder if isinstance(coder, str) else None)
    if record.get("relations"):
        document.skipped.append(f"line {number}: {len(record['relations'])} relation(s) skipped "
                                "(the project has no relations)")
    return document, None


def _add_span(document: ForeignDocument, number: int, index: int, span: Any, rejected: bool,
              coder: str | None) -> None:
    where = f"line {number}: span {index}"
    if not isinstance(span, dict):
        document.problems.append(f"{where} is not an object")
        return
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    problem = span_problem(start, end, label, len(document.text))
    if problem is not None:
        document.problems.append(f"{where}: {problem}")
        return
    written = span.get("text")
    if isinstance(written, str) and written != document.text[start:end]:
        document.problems.append(f"{where}: says {written!r} but the text at {start}-{end} is "
                                 f"{document.text[start:end]!r}")
        return
    # the annotator id is a key until the whole file is read (see read)
    document.spans.append(ForeignSpan(start, end, label, number, rejected=rejected, coder=coder))


def _metadata(meta: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(key): str(value) for key, value in meta.items()
        if key != "title" and isinstance(value, str | int | float) and not isinstance(value, bool)
    }


def encode_task(document: ExportDocument) -> str:
    """One accepted ner.manual task: tokens split at the spans' edges, so each span has its
    token_start and token_end."""
    text = document.text
    found = split_at(tokens(text), [p for s in document.spans for p in (s.start, s.end)])
    index_of_start = {start: i for i, (start, _) in enumerate(found)}
    index_of_end = {end: i for i, (_, end) in enumerate(found)}
    spans = []
    for span in document.spans:
        entry: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
        if span.start in index_of_start and span.end in index_of_end:
            entry["token_start"] = index_of_start[span.start]
            entry["token_end"] = index_of_end[span.end]
        spans.append(entry)
    record: dict[str, Any] = {
        "text": text,
        "meta": {k: v for k, v in {"title": document.title, **document.details}.items() if v},
        "tokens": [
            {"text": text[s:e], "start": s, "end": e, "id": i,
             "ws": e < len(text) and text[e].isspace()}
            for i, (s, e) in enumerate(found)
        ],
        "spans": spans,
        "answer": "accept",
    }
    return json.dumps(record, ensure_ascii=False)


# -- the format's entry points (annotator.io.interchange.formats) -------------------------
SUFFIXES = {".jsonl"}


def detect(path: Path) -> bool:
    if path.is_dir():
        return any(is_prodigy_record(first_json_line(p)) for p in path.rglob("*.jsonl"))
    return path.suffix.lower() in SUFFIXES and is_prodigy_record(first_json_line(path))


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    read_documents: list[ForeignDocument] = []
    for path in files_in(paths, SUFFIXES):
        sources.files += 1
        try:
            with path.open("rb") as stream:
                for number, raw in numbered_lines(stream):
                    document, left_out = read_line(raw, number, path.name)
                    if document is not None:
                        read_documents.append(document)
                    if left_out:
                        sources.skipped.append(f"{path.name}: {left_out}")
        except OSError as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")
    names = coder_names((s.coder for d in read_documents for s in d.spans),
                        strip_common_prefix=True)
    for document in read_documents:
        document.spans = [
            ForeignSpan(s.start, s.end, s.label, s.line, s.notes, s.rejected,
                        names.get(s.coder) if s.coder else None)
            for s in document.spans
        ]
    sources.documents.extend(read_documents)


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    if out.suffix.lower() != ".jsonl":
        raise ExportError(f"{out}: a Prodigy export needs a file name ending in .jsonl")
    written = Written(files=[str(out)])
    with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        for document in documents:
            stream.write(encode_task(document) + "\n")
            written.documents += 1
            written.entities += len(document.spans)
    return written
