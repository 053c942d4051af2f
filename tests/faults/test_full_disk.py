"""A full disk loses nothing that was reported saved (issue 9, point 3).

SQLite's ``PRAGMA max_page_count`` makes a project file answer exactly as on a full disk
(SQLITE_FULL, "database or disk is full", the whole open transaction rolled back), on every
platform and without filling a real disk. It is set on each new connection of an engine.
Each test checks what the file holds, read through its own connection, against what the
user was told: every file or document reported saved is there, and nothing else.
"""

from __future__ import annotations

import functools
import random
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from annotator.domain.errors import DiskFullError
from annotator.domain.model import NewDocument
from annotator.services.importing import Outcome, import_paths, run_import
from annotator.services.preannotate import Preannotator
from annotator.services.project import Project
from annotator.storage.document_writer import DocumentWriter
from annotator.storage.repositories import DocumentRepository
from tests.services.fake_pipeline import fake_loader
from tests.ui import conftest as ui

window, article, settings = ui.window, ui.article, ui.settings  # the app's window fixtures

REPO = Path(__file__).resolve().parents[2]
WORDS = ["the", "minister", "said", "council", "budget", "river", "city", "police", "court", "water"]


# -- fault injection ------------------------------------------------------------------------
def page_count(path: Path) -> int:
    """The file's pages now, after a VACUUM so that no free page is left to fill first."""
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
        return int(connection.execute("PRAGMA page_count").fetchone()[0])


def _capper(limit: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")

    return on_connect


def cap_growth(project: Project, extra_pages: int) -> None:
    """Let ``project``'s file grow by ``extra_pages`` pages (of 4 KB) at most."""
    event.listen(project.engine, "connect", _capper(page_count(project.path) + extra_pages))
    project.engine.dispose()  # pooled connections were opened without the cap


@pytest.fixture
def cap_every_project() -> Iterator[Callable[[int], None]]:
    """``cap(limit)``: every project opened in this process from now on stops at ``limit`` pages."""
    listeners: list[Callable[[Any, Any], None]] = []

    def cap(limit: int) -> None:
        listeners.append(_capper(limit))
        event.listen(Pool, "connect", listeners[-1])

    yield cap
    for listener in listeners:
        event.remove(Pool, "connect", listener)


def stored(path: Path, sql: str) -> list[Any]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute(sql)]


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    rng = random.Random(7)
    files = []
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(500))
        path = folder / f"article-{i:03d}.txt"
        path.write_text(f"Article {i}\n\n{body}", encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(params=[1, 7, 10_000], ids=["commit-each-file", "commit-every-7", "one-transaction"])
def files_per_commit(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Commits are grouped by time; here by count, so each grouping is tested every time."""
    every = int(request.param)
    calls = iter(range(1, 1 << 30))
    monkeypatch.setattr(DocumentWriter, "commit_due", lambda self: next(calls) % every == 0)
    return every


# -- import ---------------------------------------------------------------------------------
def test_every_file_reported_imported_is_in_the_project_and_the_rest_failed_with_the_reason(
    project: Project, tmp_path: Path, files_per_commit: int
) -> None:
    files = write_articles(tmp_path / "articles", 40)
    cap_growth(project, extra_pages=30)  # room for some of the 40 files, not all

    report = run_import(project, [tmp_path / "articles"])

    imported = {Path(r.path).name for r in report.results if r.outcome is Outcome.IMPORTED}
    in_file = stored(project.path, "SELECT original_filename FROM documents")
    assert sorted(in_file) == sorted(imported)  # nothing reported that is not there, nor the reverse
    assert report.document_ids == stored(project.path, "SELECT id FROM documents ORDER BY id")
    failed = report.failed
    assert failed and all(r.reason == "the disk is full; it was not saved" for r in failed)
    assert report.stopped == f"{project.path}: the disk is full"
    accounted = [r.path for r in report.results] + report.not_tried
    assert sorted(accounted) == sorted(str(f) for f in files)  # every file accounted for
    if files_per_commit == 10_000:
        assert imported == set()  # the one transaction was lost whole, and said so
    else:
        assert imported

    # Space freed: the same import brings in exactly the rest.
    project.close()
    with Project.open(project.path) as roomy:
        again = run_import(roomy, [tmp_path / "articles"])
    assert not again.failed and not again.stopped
    assert len(stored(project.path, "SELECT id FROM documents")) == 40


def test_files_are_reported_only_once_committed(project: Project, tmp_path: Path, monkeypatch) -> None:
    """Progress never runs ahead of the commits: a consumer stopping anywhere was told the truth."""
    write_articles(tmp_path / "articles", 12)
    calls = iter(range(1, 100))
    monkeypatch.setattr(DocumentWriter, "commit_due", lambda self: next(calls) % 5 == 0)
    for step in import_paths(project, [tmp_path / "articles"]):
        in_file = set(stored(project.path, "SELECT original_filename FROM documents"))
        assert Path(step.result.path).name in in_file


CLI_WITH_A_FULL_DISK = textwrap.dedent(
    """
    import sys
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    limit = int(sys.argv[1])
    event.listen(Pool, "connect", lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {limit}"))
    import annotator.storage.document_writer
    annotator.storage.document_writer.COMMIT_EVERY_S = -1.0  # commit each file: some fit
    from annotator.app import main
    sys.exit(main(sys.argv[2:]))
    """
)


def test_the_import_command_on_a_full_disk_prints_a_summary_and_exits_1(tmp_path: Path) -> None:
    project_path = tmp_path / "study.annotator"
    Project.open_or_create(project_path).close()
    write_articles(tmp_path / "articles", 40)
    limit = page_count(project_path) + 30

    done = subprocess.run(
        [sys.executable, "-c", CLI_WITH_A_FULL_DISK, str(limit), "import", str(project_path),
         str(tmp_path / "articles")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )

    assert done.returncode == 1, done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
    summary = done.stdout.splitlines()[0]
    in_file = stored(project_path, "SELECT id FROM documents")
    assert 0 < len(in_file) < 40
    assert summary.startswith(f"Imported {len(in_file)} document(s) from {len(in_file)} file(s);")
    lines = done.stderr.rstrip().splitlines()
    failed = [line for line in lines if line.startswith("  failed ")]
    assert failed and all(line.endswith(": the disk is full; it was not saved") for line in failed)
    assert lines[-1].startswith(f"annotator: error: {project_path}: the disk is full; the import stopped")


# -- pre-annotation -------------------------------------------------------------------------
MENTIONS = "Shehbaz Sharif met Asim Munir in Islamabad. Troops went to Gilgit Baltistan. " * 40


@pytest.fixture
def documents(project: Project) -> list[int]:
    with project.session() as session:
        repository = DocumentRepository(session)
        return [repository.add(NewDocument(text=f"Doc {i}\n\n{MENTIONS}", title=f"Doc {i}")) for i in range(20)]


def test_preannotation_reports_only_committed_documents_and_stops_with_the_reason(
    project: Project, documents: list[int]
) -> None:
    cap_growth(project, extra_pages=25)  # about 160 suggestions a document: room for a few
    run = Preannotator(project, loader=fake_loader).run()
    reported = []
    while True:
        try:
            reported.append(next(run).document_id)
        except StopIteration as stop:
            summary = stop.value
            break

    processed = stored(project.path, "SELECT document_id FROM model_runs ORDER BY document_id")
    with_suggestions = stored(project.path, "SELECT DISTINCT document_id FROM entity_spans ORDER BY 1")
    assert 0 < len(reported) < len(documents)
    assert sorted(reported) == processed == with_suggestions
    assert summary.stopped == f"{project.path}: the disk is full"
    assert summary.documents == len(reported) and not summary.cancelled
    assert summary.not_processed == len(documents) - len(reported)


TWO_PROCESSES_ON_A_FULL_DISK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from annotator.services.preannotate import Preannotator, run_to_end
    from annotator.services.project import Project
    from tests.faults.test_full_disk import cap_growth
    from tests.services.fake_pipeline import fake_loader

    with Project.open(Path(sys.argv[1])) as project:
        cap_growth(project, extra_pages=25)
        run = Preannotator(project, loader=fake_loader).run(n_process=2, batch_size=4)
        summary = run_to_end(run)
    print(summary.documents, summary.stopped)
    """
)


def test_a_run_with_worker_processes_stops_on_a_full_disk_without_hanging(
    project: Project, documents: list[int]
) -> None:
    """Closing spaCy's multiprocessing pipe early leaves its forked workers blocked for ever:
    the run stops feeding it and drains what is in flight instead (in a subprocess, to fork
    cleanly and to fail on a timeout rather than hang the suite)."""
    project.close()
    done = subprocess.run(
        [sys.executable, "-c", TWO_PROCESSES_ON_A_FULL_DISK, str(project.path)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    processed, stopped = done.stdout.split(" ", 1)
    assert stopped.strip() == f"{project.path}: the disk is full"
    assert int(processed) == len(stored(project.path, "SELECT document_id FROM model_runs")) > 0


def test_the_preannotate_command_on_a_full_disk_says_so_in_one_line(
    project: Project, documents: list[int], cap_every_project, monkeypatch, capsys
) -> None:
    from annotator.cli import main as cli
    from annotator.cli import preannotate_cmd

    monkeypatch.setattr(preannotate_cmd, "Preannotator", functools.partial(Preannotator, loader=fake_loader))
    project.close()
    cap_every_project(page_count(project.path) + 25)

    code = cli.run(["preannotate", str(project.path)], open_gui=lambda _request: 0)

    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    processed = len(stored(project.path, "SELECT document_id FROM model_runs"))
    assert err[-1] == (
        f"annotator: error: {project.path}: the disk is full; pre-annotation stopped with "
        f"{len(documents) - processed} document(s) not processed; free some space and run it again "
        "to continue"
    )
    assert 0 < processed < len(documents)


# -- an edit in the app ---------------------------------------------------------------------
def test_an_edit_on_a_full_disk_is_told_and_not_shown_as_done(qtbot, window, project: Project) -> None:
    """Labelling a word everywhere needs new pages: on a full disk the user reads why, the
    undo stack has no step for it, and the view shows what the file holds."""
    from annotator.services.browse import Browser

    with project.session() as session:
        DocumentRepository(session).add(NewDocument(text="Karachi rain. " * 2000, title="Rain"))
    controller = window.controller
    spans_before = dict(controller.spans)
    steps_before = window.undo_stack.count()
    stored_before = stored(project.path, "SELECT count(*) FROM entity_spans")
    cap_growth(project, extra_pages=0)

    with qtbot.waitSignal(controller.message) as told:
        controller.label_everywhere("Karachi", "LOCATION")

    assert "the disk is full" in told.args[0] and str(project.path.name) in told.args[0]
    assert "the disk is full" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == steps_before
    assert stored(project.path, "SELECT count(*) FROM entity_spans") == stored_before
    assert controller.spans == spans_before
    assert {s.id for s in Browser(project).spans(controller.document.id)} == set(controller.spans)


def test_the_storage_layer_raises_the_domain_error(project: Project) -> None:
    """Services and the UI only ever see DiskFullError, never SQLAlchemy's or sqlite3's."""
    cap_growth(project, extra_pages=0)
    with pytest.raises(DiskFullError) as raised, project.session() as session:
        repository = DocumentRepository(session)
        for i in range(50):
            repository.add(NewDocument(text=f"{i} " + "x" * 20_000, title=str(i)))
    assert str(raised.value).startswith(f"{project.path}: the disk is full")


def test_the_apps_import_on_a_full_disk_lists_what_was_not_saved(
    qtbot, window, project: Project, tmp_path: Path
) -> None:
    write_articles(tmp_path / "articles", 40)
    cap_growth(project, extra_pages=30)
    with qtbot.waitSignal(window.runner.idle, timeout=60_000):
        window.jobs.import_paths([tmp_path / "articles"])
    [(title, text)] = window.prompts.informed
    assert title == "The import stopped"
    assert text.startswith(f"{project.path}: the disk is full: the import stopped.")
    assert "the disk is full; it was not saved" in text and "Free some space" in text
    in_file = len(stored(project.path, "SELECT id FROM documents"))
    assert window.document_model.rowCount() == in_file  # the list shows what the file holds


def test_creating_a_project_on_a_full_disk_says_so(tmp_path: Path, cap_every_project) -> None:
    cap_every_project(5)  # pages: not even room for the tables
    with pytest.raises(DiskFullError, match="the disk is full"):
        Project.open_or_create(tmp_path / "new.annotator")


def test_the_apps_preannotation_on_a_full_disk_says_what_was_kept(
    qtbot, window, project: Project, documents: list[int]
) -> None:
    window.workspace.preannotator = Preannotator(project, loader=fake_loader)
    cap_growth(project, extra_pages=25)
    with qtbot.waitSignal(window.runner.idle, timeout=60_000):
        window.jobs.preannotate(None)
    [(title, text)] = window.prompts.informed
    processed = len(stored(project.path, "SELECT document_id FROM model_runs"))
    assert title == "Pre-annotation stopped"
    assert text.startswith(f"{project.path}: the disk is full. Pre-annotation stopped after {processed:,} "
                           "document(s), which keep their suggestions;")
    assert "the disk is full" in window.statusBar().currentMessage()
