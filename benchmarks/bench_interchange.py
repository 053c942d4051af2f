"""Annotated-import speed: `import_annotated` of brat and doccano files against a bare loop
that parses the same files and inserts the same rows with sqlite3, in the same run.

10,000 generated articles of ~300 words with their people, places and organisations marked
(~48 entities each), written once as a brat folder (.txt + .ann) and once as one doccano
JSONL file. The bare loop does the least a correct import must: read and decode each file,
parse its annotations, check each span's text against the text, insert the document, its
entities and the coder's status into a project's tables, and commit every 500 documents
(the service's grouping). Last line: one JSON object
``{"docs", "ratio", ...}`` where ratio is the slower format's. Target (issue #13): ratio < 3.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.services.interchange_import import import_annotated
from annotator.services.project import Project
from benchmarks.corpus import ORGS, PEOPLE, PLACES, corpus

DOCS, WORDS, GROUP = 10_000, 300, 500
_NAMES = {**{p: "PERSON" for p in PEOPLE}, **{p: "LOCATION" for p in PLACES},
          **{o: "ORGANISATION" for o in ORGS}}
_FIND = re.compile("|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)))

Spans = list[tuple[int, int, str]]


def annotated(count: int) -> list[tuple[str, Spans]]:
    documents = []
    for text in corpus(count, WORDS, seed=13):
        spans = [(m.start(), m.end(), _NAMES[m.group()]) for m in _FIND.finditer(text)]
        documents.append((text, spans))
    return documents


def write_brat(folder: Path, documents: list[tuple[str, Spans]]) -> None:
    folder.mkdir()
    for i, (text, spans) in enumerate(documents):
        (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
        ann = "".join(f"T{n}\t{label} {s} {e}\t{text[s:e]}\n" for n, (s, e, label) in enumerate(spans, 1))
        (folder / f"doc{i:05d}.ann").write_text(ann, encoding="utf-8")


def write_doccano(path: Path, documents: list[tuple[str, Spans]]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for i, (text, spans) in enumerate(documents):
            stream.write(json.dumps({"id": i, "text": text,
                                     "label": [[s, e, label] for s, e, label in spans]}) + "\n")


def _brat_records(folder: Path):  # type: ignore[no-untyped-def]
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_bytes().decode("utf-8")
        spans = []
        for line in txt.with_suffix(".ann").read_bytes().decode("utf-8").splitlines():
            _, middle, written = line.split("\t")
            label, start, end = middle.split(" ")
            spans.append((int(start), int(end), label, written))
        yield txt.stem, text, spans


def _doccano_records(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as stream:
        for line in stream:
            record = json.loads(line)
            text = record["text"]
            yield str(record["id"]), text, [(s, e, lb, text[s:e]) for s, e, lb in record["label"]]


def bare_loop(records, db: Path) -> float:  # type: ignore[no-untyped-def]
    """The same rows into the same tables: a project Annotator made, written with sqlite3
    on the same settings (WAL, synchronous=FULL, foreign keys), so the ratio is the import's
    own overhead, not the cost of the project's indexes."""
    Project.open_or_create(db).close()
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    labels = dict(connection.execute("SELECT name, id FROM labels"))
    connection.execute("INSERT INTO coders (name, role, created_at)"
                       " VALUES ('imported', 'coder', '2026-01-01 00:00:00.000000')")
    coder = connection.execute("SELECT id FROM coders WHERE name = 'imported'").fetchone()[0]
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for n, (title, text, spans) in enumerate(records, start=1):
        now = time.strftime("%Y-%m-%d %H:%M:%S.000000")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        cursor = connection.execute(
            "INSERT INTO documents (title, text, sha256, status, imported_at, word_count,"
            " metadata_json) VALUES (?, ?, ?, 'new', ?, ?, '{}')",
            (title, text, digest, now, len(text.split())))
        rows = []
        for start, end, label, written in spans:
            if text[start:end] != written:
                raise ValueError(f"{title}: span text differs")
            rows.append((cursor.lastrowid, start, end, written, labels[label], coder, now, now))
        connection.executemany(
            "INSERT INTO entity_spans (document_id, start, \"end\", text, label_id, origin, status,"
            " coder_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'imported', 'accepted', ?, ?, ?)",
            rows)
        connection.execute("INSERT INTO coder_documents (document_id, coder_id, status, updated_at)"
                           " VALUES (?, ?, 'in_progress', ?)", (cursor.lastrowid, coder, now))
        if n % GROUP == 0:
            connection.execute("COMMIT")
            connection.execute("BEGIN IMMEDIATE")
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def service(paths: list[Path], format_name: str, db: Path, docs: int, entities: int) -> float:
    project = Project.open_or_create(db)
    started = time.perf_counter()
    report = import_annotated(project, paths, format_name, coder="imported")
    elapsed = time.perf_counter() - started
    project.close()
    assert not report.refused, report.refused[:3]
    assert (report.added, report.entities) == (docs, entities), (report.added, report.entities)
    return elapsed


def main() -> None:
    docs = 200 if "--quick" in sys.argv[1:] else DOCS  # --quick: CI checks that it still works
    documents = annotated(docs)
    entities = sum(len(spans) for _, spans in documents)
    figures: dict[str, float | int] = {"docs": docs, "entities": entities}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_brat(root / "brat", documents)
        write_doccano(root / "doccano.jsonl", documents)
        for name, path, records in (
            ("brat", root / "brat", _brat_records), ("doccano", root / "doccano.jsonl", _doccano_records),
        ):
            bare = bare_loop(records(path), root / f"bare-{name}.annotator")
            ours = service([path], name, root / f"{name}.annotator", docs, entities)
            figures[f"{name}_docs_per_s"] = round(docs / ours, 1)
            figures[f"{name}_bare_docs_per_s"] = round(docs / bare, 1)
            figures[f"{name}_ratio"] = round(ours / bare, 2)
            print(f"{name:<8} bare loop {docs / bare:>8.1f} docs/s   annotator import "
                  f"{docs / ours:>8.1f} docs/s   ratio {ours / bare:.2f}")
    figures["ratio"] = max(figures["brat_ratio"], figures["doccano_ratio"])
    print(f"{docs:,} documents, {entities:,} entities; target: ratio < 3")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
