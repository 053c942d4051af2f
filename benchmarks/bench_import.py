"""Import speed: `import_paths` against a bare read-decode-insert loop with sqlite3, same run.

1,000 generated .txt articles of ~600 words. The bare loop does the least a correct import
must: read each file, decode it, insert it, and commit per file (as the service does, so that a
failed file leaves nothing behind). Last line: one JSON object. Target (issue #2): ratio < 3.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.services.importing import run_import
from annotator.services.project import Project
from benchmarks.corpus import corpus

FILES, WORDS = 1000, 600


def bare_loop(files: list[Path], db: Path) -> float:
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, sha256 TEXT UNIQUE)"
    )
    started = time.perf_counter()
    for path in files:
        text = path.read_bytes().decode("utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        connection.execute(
            "INSERT INTO documents (title, text, sha256) VALUES (?, ?, ?)", (path.stem, text, digest)
        )
        connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    global FILES
    if "--quick" in sys.argv[1:]:  # a small run: CI checks that the script still works
        FILES = 50
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        files = []
        for i, text in enumerate(corpus(FILES, WORDS, seed=11)):
            path = folder / f"article-{i:04d}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(path)
        bare = bare_loop(files, Path(tmp) / "bare.sqlite")
        project = Project.open_or_create(Path(tmp) / "bench.annotator")
        started = time.perf_counter()
        report = run_import(project, [folder])
        service = time.perf_counter() - started
        project.close()
    assert report.imported_documents == FILES, report.failed[:3]
    figures = {
        "files": FILES,
        "docs_per_s": round(FILES / service, 1),
        "bare_docs_per_s": round(FILES / bare, 1),
        "ratio": round(service / bare, 2),
    }
    print(f"{FILES} .txt articles of ~{WORDS} words")
    print(f"bare read/decode/insert loop: {figures['bare_docs_per_s']:>8} docs/s")
    print(f"annotator import:             {figures['docs_per_s']:>8} docs/s"
          f"  ratio {figures['ratio']} (target < 3)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
