"""Issue 9 point 2: concurrent writers wait for their turn, they do not fail.

Real `annotator` processes write into one project at once (two imports; an import during a
pre-annotation), and an app-like unit of work waits while an import holds the write lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.domain.errors import ProjectBusyError
from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.db import begin_immediate, connect
from annotator.storage.document_writer import document_writer

ROOT = Path(__file__).resolve().parents[2]
FILES = 300
#: Enough files that the two imports write at the same time (fewer often do not overlap).
MANY_FILES = 1000
#: Documents for a model run that lasts long enough to start an import during it.
PREANNOTATED = 1000


def annotator(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def articles(folder: Path, prefix: str, count: int = FILES, paragraphs: int = 30) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{prefix}{n:04}.txt").write_text(
            f"{prefix} article {n}\n\nMaria Lopez spoke in Manila about report {prefix}-{n}.\n\n"
            + f"A further paragraph of {prefix} {n}, long enough to take a while to store.\n\n" * paragraphs,
            encoding="utf-8",
        )
    return folder


def documents(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        db.close()


def test_two_imports_into_one_project_at_once_both_import_every_file(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    Project.open_or_create(project).close()
    first = articles(tmp_path / "first", "a", MANY_FILES)
    second = articles(tmp_path / "second", "b", MANY_FILES)

    runs = [annotator("import", project, first), annotator("import", project, second)]
    results = [finish(run) for run in runs]

    for code, out, err in results:
        assert code == 0, err
        assert f"Imported {MANY_FILES} document(s) from {MANY_FILES} file(s)" in out
        assert "locked" not in err
    assert documents(project) == 2 * MANY_FILES


def fake_ner_model(folder: Path) -> Path:
    """An untrained spaCy pipeline with an `ner` component: loads in a second, runs anywhere."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")  # type: ignore[attr-defined]
    nlp.initialize()
    nlp.to_disk(folder)
    return folder


def processed(path: Path) -> int:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM model_runs").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def test_an_import_started_while_preannotate_runs_imports_every_file(tmp_path: Path) -> None:
    project = tmp_path / "study.annotator"
    first = articles(tmp_path / "first", "a", PREANNOTATED, paragraphs=1)  # a run to start an import in
    code, _out, err = finish(annotator("import", project, first))
    assert code == 0, err
    model = fake_ner_model(tmp_path / "model")

    preannotate = annotator("preannotate", project, "--model", model)
    deadline = time.monotonic() + 120
    while processed(project) == 0 and preannotate.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert preannotate.poll() is None, "pre-annotation ended before the import could start"
    importing = annotator("import", project, articles(tmp_path / "second", "b"))

    code, out, err = finish(importing)
    assert code == 0, err
    assert f"Imported {FILES} document(s) from {FILES} file(s)" in out
    code, out, err = finish(preannotate)
    assert code == 0, err
    assert f"Documents: {PREANNOTATED}" in out
    assert documents(project) == PREANNOTATED + FILES
    db = sqlite3.connect(project)
    try:
        runs = db.execute("SELECT min(processed_at), max(processed_at) FROM model_runs").fetchone()
        imported = db.execute(
            "SELECT min(imported_at), max(imported_at) FROM documents WHERE title LIKE 'b %'"
        ).fetchone()
    finally:
        db.close()
    assert imported[0] < runs[1], "the import did not write while the model was running"


def test_an_app_action_during_an_import_waits_for_its_turn(project: Project) -> None:
    holding = threading.Event()

    def long_import_group() -> None:
        # One group of an import: the write lock is held until the group commits.
        with document_writer(project.engine) as writer, writer.transaction():
            writer.add(NewDocument(text="Imported while the app writes.", title="import"))
            holding.set()
            time.sleep(1.0)

    importer = threading.Thread(target=long_import_group)
    importer.start()
    assert holding.wait(10)
    started = time.monotonic()
    # An app action that reads, then writes: as a deferred transaction it failed at once.
    project.set_setting("spacy_model", "en_core_web_sm")
    waited = time.monotonic() - started
    importer.join()

    assert waited > 0.5  # it waited for the import's group to commit ...
    assert project.setting("spacy_model") == "en_core_web_sm"  # ... and then did its work
    with project.read_session() as session:
        titles = session.connection().exec_driver_sql("SELECT title FROM documents").scalars().all()
    assert titles == ["import"]


def test_reads_do_not_wait_for_a_writer(project: Project) -> None:
    writer = connect(project.path)
    begin_immediate(writer)
    try:
        started = time.monotonic()
        assert project.setting("application") == "annotator"
        assert time.monotonic() - started < 1.0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_writer_that_never_gets_its_turn_says_so_in_one_line(project: Project) -> None:
    holder = connect(project.path)
    begin_immediate(holder)
    waiting = connect(project.path)
    try:
        with pytest.raises(ProjectBusyError) as raised:
            begin_immediate(waiting, wait_s=0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(raised.value)
    assert "study.annotator" in message and "busy" in message and "\n" not in message
    begin_immediate(waiting)  # the lock is free again: it gets it
    waiting.execute("ROLLBACK")
    waiting.close()


def test_stats_json_still_reads_while_an_import_holds_the_lock(tmp_path: Path, project: Project) -> None:
    writer = connect(project.path)
    begin_immediate(writer)
    try:
        stats = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "stats", str(project.path), "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"] == 0
