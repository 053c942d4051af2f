"""What it costs to make every action complete in the main project file, durably.

Issue 9 point 1: after each completed action the ``.annotator`` file alone must hold it (a
copy taken while the app is open must not lack the ``-wal``), and a committed action must
survive a power cut. Each candidate configuration runs the same small "action" (one short
write transaction, like accepting an entity: an UPDATE and an INSERT) many times on a
project-sized file, on the same disk, in the same run:

- ``wal_normal``            today's setting (WAL, synchronous=NORMAL): the baseline, not safe
- ``wal_full``              WAL, synchronous=FULL: durable, but the main file lags
- ``wal_full_passive``      + PRAGMA wal_checkpoint(PASSIVE) after each action
- ``wal_full_truncate``     + PRAGMA wal_checkpoint(TRUNCATE) after each action
- ``delete_full``           rollback journal (DELETE), synchronous=FULL
- ``truncate_full``         rollback journal (TRUNCATE), synchronous=FULL
- ``project_session``       the real thing: ``Project.session()`` with the chosen settings

For each: milliseconds per action (median and mean), the ratio to the baseline, and whether
a copy of the main file alone (no -wal) taken after the last action holds it. Also the cost
of the checkpoint a pure read pays when there is nothing to copy. Last line: one JSON object.

    python benchmarks/bench_durability.py [--quick] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: What annotator.storage.db does: WAL (readers never wait), FULL, PASSIVE after each unit.
CHOSEN = "wal_full_passive"
MODES: dict[str, tuple[str, str, str | None]] = {
    # name: (journal_mode, synchronous, checkpoint after each action)
    "wal_normal": ("WAL", "NORMAL", None),
    "wal_full": ("WAL", "FULL", None),
    "wal_full_passive": ("WAL", "FULL", "PASSIVE"),
    "wal_full_truncate": ("WAL", "FULL", "TRUNCATE"),
    "delete_full": ("DELETE", "FULL", None),
    "truncate_full": ("TRUNCATE", "FULL", None),
}


def _fill(db: sqlite3.Connection, documents: int) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, text TEXT, status TEXT)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS spans (id INTEGER PRIMARY KEY, doc INTEGER, start INTEGER,"
        " stop INTEGER, status TEXT)"
    )
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO docs (text, status) VALUES (?, 'new')",
        [("word " * 400,) for _ in range(documents)],
    )
    db.execute("COMMIT")


def _action(db: sqlite3.Connection, n: int, documents: int) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE docs SET status = 'in_progress' WHERE id = ?", (n % documents + 1,))
    db.execute(
        "INSERT INTO spans (doc, start, stop, status) VALUES (?, 0, 4, 'accepted')", (n % documents + 1,)
    )
    db.execute("COMMIT")


def _copy_holds(path: Path, folder: Path, expected_spans: int) -> bool:
    """A copy of the main file alone (what a researcher e-mails) holds every action."""
    copy = folder / "copy.sqlite"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    db = sqlite3.connect(copy)
    try:
        return bool(db.execute("SELECT count(*) FROM spans").fetchone()[0] == expected_spans)
    finally:
        db.close()


def bench_mode(folder: Path, name: str, actions: int, documents: int) -> dict[str, object]:
    journal, synchronous, checkpoint = MODES[name]
    path = folder / f"{name}.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.execute(f"PRAGMA synchronous = {synchronous}")
    _fill(db, documents)
    if journal == "WAL":
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader = sqlite3.connect(path, isolation_level=None)  # the GUI thread's connection, idle
    times = []
    for n in range(actions):
        started = time.perf_counter()
        _action(db, n, documents)
        if checkpoint:
            db.execute(f"PRAGMA wal_checkpoint({checkpoint})").fetchone()
        times.append(time.perf_counter() - started)
    complete = _copy_holds(path, folder, actions)
    reader.close()
    db.close()
    return _figures(times) | {"main_file_complete": complete}


def bench_idle_checkpoint(folder: Path, repeats: int) -> float:
    """Milliseconds a PASSIVE checkpoint costs when the WAL holds nothing new (a pure read)."""
    path = folder / "idle.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    _fill(db, 10)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    started = time.perf_counter()
    for _ in range(repeats):
        db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed / repeats * 1000


def bench_project_session(folder: Path, actions: int, documents: int) -> dict[str, object]:
    """The app's own unit of work, with the settings ``annotator.storage.db`` chose."""
    from annotator.domain.model import NewDocument
    from annotator.services.project import Project

    path = folder / "project.annotator"
    project = Project.open_or_create(path)
    from annotator.storage.document_writer import document_writer

    with document_writer(project.engine) as writer, writer.transaction():
        for n in range(documents):
            writer.add(NewDocument(title=f"d{n}", text=f"document {n} " + "word " * 400))
    times = []
    for n in range(actions):
        started = time.perf_counter()
        project.set_setting(f"bench{n}", str(n))  # one unit of work: Project.session()
        times.append(time.perf_counter() - started)
    copy = folder / "project-copy.annotator"
    shutil.copyfile(path, copy)  # only the main file, while the engine is still open
    db = sqlite3.connect(copy)
    stored = db.execute("SELECT count(*) FROM project_info WHERE key LIKE 'bench%'").fetchone()[0]
    complete = stored == actions
    db.close()
    project.close()
    return _figures(times) | {"main_file_complete": bool(complete)}


def _figures(times: list[float]) -> dict[str, object]:
    return {
        "median_ms": round(statistics.median(times) * 1000, 3),
        "mean_ms": round(statistics.fmean(times) * 1000, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--dir", type=Path, help="where to put the test files (default: system temp)")
    args = parser.parse_args(argv)
    actions, documents = (40, 200) if args.quick else (400, 2000)
    figures: dict[str, object] = {"actions": actions, "documents": documents}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        runs: dict[str, Callable[[], dict[str, object]]] = {
            name: (lambda name=name: bench_mode(folder, name, actions, documents)) for name in MODES
        }
        runs["project_session"] = lambda: bench_project_session(folder, actions, documents)
        for name, run in runs.items():
            result = run()
            figures[name] = result
        figures["idle_checkpoint_ms"] = round(bench_idle_checkpoint(folder, actions * 10), 4)
    base = figures["wal_normal"]["median_ms"]  # type: ignore[index]
    print(f"{'configuration':<20}{'median ms':>11}{'mean ms':>10}{'x baseline':>12}  main file complete")
    for name in [*MODES, "project_session"]:
        row = figures[name]
        assert isinstance(row, dict)
        row["ratio"] = round(row["median_ms"] / base, 2) if base else None
        print(f"{name:<20}{row['median_ms']:>11.3f}{row['mean_ms']:>10.3f}{row['ratio']:>12}  "
              f"{'yes' if row['main_file_complete'] else 'NO'}")
    print(f"a pure read's PASSIVE checkpoint with nothing to copy: {figures['idle_checkpoint_ms']} ms")
    figures["chosen"] = CHOSEN
    print(f"chosen: {CHOSEN} (the cheapest that is complete and durable, and readers never block)")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
