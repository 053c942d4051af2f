"""Writing a coder's package: a copy of the project cut down to one coder's documents and layer.

The copy is SQLite's online backup of the project (one consistent moment, safe while the app
has it open), made under a temporary name beside the target. Everything that is not the
coder's is then deleted from the copy, it is vacuumed (deleted articles leave no trace in the
file) and checked, and only then renamed into place: a failed package never leaves a half
file named like a project.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.errors import PackageError
from annotator.domain.packages import PACKAGE_BASE, PACKAGE_OF, PACKAGED_AT
from annotator.storage.backup import CopyCheckFailed, checked_copy

_WATERMARK = "search_indexed_upto"  # see storage.search


@dataclass(frozen=True)
class PackageCounts:
    documents: int
    entities: int  # the coder's own
    claims: int  # the coder's own
    size: int  # bytes


def write_package(
    source: Path, target: Path, coder_id: int, coder_name: str, assigned_only: bool, packaged_at: str
) -> PackageCounts:
    """Copy ``source`` to ``target`` holding only ``coder_id``'s documents and layer.

    ``assigned_only``: keep the documents assigned to the coder (else every document).
    Shared model suggestions and model runs of the kept documents stay; every other coder's
    entities, claims, statuses and the coders themselves go.
    """
    try:
        counts = checked_copy(
            source, target,
            lambda copy: _cut_down(copy, coder_id, coder_name, assigned_only, packaged_at),
            vacuum=True,  # deleted articles leave no trace in the file
        )
    except CopyCheckFailed as exc:
        raise PackageError(f"{target}: the package failed its integrity check ({exc})") from None
    except sqlite3.Error as exc:
        raise PackageError(f"{target}: could not write the package ({exc})") from None
    except OSError as exc:
        raise PackageError(f"{target}: could not write the package ({exc.strerror or exc})") from None
    return PackageCounts(counts[0], counts[1], counts[2], target.stat().st_size)


def _cut_down(
    db: sqlite3.Connection, coder: int, name: str, assigned_only: bool, packaged_at: str
) -> tuple[int, int, int]:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("BEGIN")
    # The search index is rebuilt lazily in the package (from document 1 on): emptied first,
    # the delete trigger has nothing to tokenize for the thousands of documents that go.
    db.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, '0')", (_WATERMARK,))
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
    if assigned_only:
        kept = "SELECT document_id FROM coder_documents WHERE coder_id = :c AND assigned = 1"
        gone = f"document_id NOT IN ({kept})"
        # children first, each with one statement, rather than a cascade row by row
        db.execute(f"DELETE FROM claims WHERE {gone}", {"c": coder})
        for table in ("entity_spans", "model_runs", "coder_documents"):
            db.execute(f"DELETE FROM {table} WHERE {gone}", {"c": coder})
        db.execute(f"DELETE FROM documents WHERE id NOT IN ({kept})", {"c": coder})
    # Other coders' rows before the coders: deleting a coder would make their entities shared.
    for table in ("claims", "entity_spans", "codings"):  # codings: the code layer (0009)
        db.execute(f"DELETE FROM {table} WHERE coder_id IS NOT NULL AND coder_id != ?", (coder,))
    db.execute("DELETE FROM coder_documents WHERE coder_id != ?", (coder,))
    db.execute("DELETE FROM coders WHERE id != ?", (coder,))
    base = json.dumps(_layer_base(db, coder), separators=(",", ":"))
    for key, value in ((PACKAGE_OF, name), (PACKAGED_AT, packaged_at), (PACKAGE_BASE, base)):
        db.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)", (key, value))
    counts = db.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM entity_spans WHERE coder_id = ?),"
        " (SELECT count(*) FROM claims WHERE coder_id = ?)", (coder, coder),
    ).fetchone()
    db.execute("COMMIT")
    return int(counts[0]), int(counts[1]), int(counts[2])


_BASE = """
SELECT d.sha256,
  (SELECT count(*) FROM entity_spans WHERE document_id = d.id AND coder_id = :c),
  (SELECT count(*) FROM claims WHERE document_id = d.id AND coder_id = :c),
  (SELECT max(t) FROM (
     SELECT max(updated_at) AS t FROM entity_spans WHERE document_id = d.id AND coder_id = :c
     UNION ALL SELECT max(updated_at) FROM claims WHERE document_id = d.id AND coder_id = :c
     UNION ALL SELECT updated_at FROM coder_documents WHERE document_id = d.id AND coder_id = :c))
FROM documents d
"""


def _layer_base(db: sqlite3.Connection, coder: int) -> dict[str, list[object]]:
    """sha256 -> [entities, claims, last change] of the coder's layer, where they have one:
    a merge tells by it which side changed a document since (deleting lowers a count)."""
    return {
        sha: [entities, claims, latest]
        for sha, entities, claims, latest in db.execute(_BASE, {"c": coder})
        if entities or claims or latest
    }
