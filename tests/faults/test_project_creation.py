"""Issue 9, point 7: a project is never left half-created.

A creation killed at any moment leaves either no project or a complete one (schema and
codebook); the hidden temporary file it may leave is not a project and is cleaned up by the next
creation; a project without labels (made by an older version killed mid-creation) is refused by
every command except `codebook import`, which repairs it; an import that lands nothing does not
leave a new empty project behind, and never removes one that existed before.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import run
from annotator.domain.errors import IncompleteProjectError, NotAProjectError
from annotator.domain.model import Codebook
from annotator.services.project import Project
from annotator.storage.creation import PARTIAL_SUFFIX, create_database, remove_stale_partials
from annotator.storage.db import connect

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# Runs `annotator import PROJECT ARTICLE` with one creation step stretched, so the test can kill
# it exactly there. Only the pause is added; every step runs the real code.
PAUSED_IMPORT = """
import sys, time
from annotator.storage import creation
from annotator.storage.repositories import CodebookRepository

project, stage, article = sys.argv[1:4]

def pause():
    print("reached", stage, flush=True)
    time.sleep(120)

def after(function):
    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        pause()
        return result
    return wrapped

def before(function):
    def wrapped(*args, **kwargs):
        pause()
        return function(*args, **kwargs)
    return wrapped

if stage == "migrated":
    creation.upgrade = after(creation.upgrade)
elif stage == "codebook-uncommitted":
    CodebookRepository.save = after(CodebookRepository.save)
elif stage == "built":
    creation._publish = before(creation._publish)
elif stage == "published":
    creation._sync_folder = before(creation._sync_folder)

from annotator.cli import run
sys.exit(run(["import", project, article], open_gui=lambda request: 0))
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "art.txt"
    path.write_text("Maria Lopez spoke in Manila on Monday.", encoding="utf-8")
    return path


def cli(*args: str | Path) -> int:
    return run([*map(str, args)], open_gui=lambda _request: 0)


def labels_in(path: Path) -> int:
    connection = connect(path, read_only=True)
    try:
        return int(connection.execute("SELECT count(*) FROM labels").fetchone()[0])
    finally:
        connection.close()


def partials(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if PARTIAL_SUFFIX in n)


def kill_at(stage: str, project: Path, article: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, str(project), stage, str(article)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == f"reached {stage}", child.stderr.read() if child.stderr else ""
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)


@pytest.mark.parametrize("stage", ["migrated", "codebook-uncommitted", "built"])
def test_a_creation_killed_before_it_completes_leaves_no_project(
    tmp_path: Path, article: Path, stage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    project = folder / "new.annotator"
    kill_at(stage, project, article)

    assert not project.exists()
    leftovers = partials(folder)
    assert leftovers, "the kill should have left the temporary file behind"
    # the leftover is never a half project, even when opened on purpose: before the codebook is
    # committed it lacks Annotator's mark; once built it is complete
    if stage == "built":
        assert labels_in(folder / leftovers[0]) > 0
    else:
        with pytest.raises(NotAProjectError, match="it was not made by Annotator"):
            Project.open(folder / leftovers[0])
    for command in (["stats"], ["export", "--format", "csv"]):
        assert cli(*command, project, *([tmp_path / "out"] if "export" in command else [])) == 2
        assert "no such project file" in capsys.readouterr().err
    # the next creation cleans up after the killed one (its process is gone) and succeeds
    assert cli("import", project, article) == 0
    assert partials(folder) == []
    assert labels_in(project) > 0
    assert sorted(os.listdir(folder)) == ["new.annotator"]


def test_a_creation_killed_after_publishing_leaves_a_complete_project(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "new.annotator"
    kill_at("published", project, article)
    assert project.exists() and labels_in(project) > 0
    assert cli("stats", "--json", project) == 0
    assert '"documents": 0' in capsys.readouterr().out
    assert cli("import", project, article) == 0


def test_kill_at_random_moments_never_leaves_a_half_project(tmp_path: Path, article: Path) -> None:
    command = [sys.executable, str(ROOT / "main.py"), "import"]
    started = time.perf_counter()
    subprocess.run([*command, tmp_path / "timing.annotator", article], check=True,
                   capture_output=True, cwd=ROOT, env=ENV, timeout=300)
    duration = time.perf_counter() - started
    rng = random.Random(9)
    outcomes = set()
    for attempt in range(12):
        project = tmp_path / f"try{attempt}.annotator"
        child = subprocess.Popen([*command, project, article], cwd=ROOT, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        if project.exists():
            assert labels_in(project) > 0, f"attempt {attempt}: a project without codebook"
            with Project.open(project) as opened:
                assert opened.document_count() in (0, 1)
            outcomes.add("complete")
        else:
            outcomes.add("absent")
        for leftover in partials(tmp_path):  # a kill inside the creation itself
            outcomes.add("interrupted")
            try:
                assert labels_in(tmp_path / leftover) > 0
            except sqlite3.Error:
                pass  # killed before its first table: an empty or unreadable scratch file
            except AssertionError:
                with pytest.raises(NotAProjectError):
                    Project.open(tmp_path / leftover)
            remove_stale_partials(project)
    assert "complete" in outcomes or "absent" in outcomes


def make_half_project(path: Path) -> None:
    """What an older version left when killed between creating the file and its codebook."""
    assert create_database(path, Codebook())
    assert labels_in(path) == 0


def test_no_command_accepts_a_project_without_labels(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    half = tmp_path / "half.annotator"
    make_half_project(half)
    commands = [
        ["import", half, article],
        ["stats", half],
        ["preannotate", half],
        ["export", half, tmp_path / "out.xlsx"],
        ["codebook", "export", half, tmp_path / "codebook.json"],
    ]
    for command in commands:
        assert cli(*command) == 2, command
        err = capsys.readouterr().err
        assert "has no labels in its codebook" in err and err.count("\n") == 1, err
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "codebook.json").exists()
    with pytest.raises(IncompleteProjectError):
        Project.open(half)  # what the desktop app opens projects with
    with Project(half, require_labels=False) as opened:
        assert opened.document_count() == 0  # the refused import wrote nothing


def test_codebook_import_repairs_a_project_without_labels(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.annotator"
    assert cli("import", good, article) == 0
    assert cli("codebook", "export", good, tmp_path / "codebook.json") == 0
    half = tmp_path / "half.annotator"
    make_half_project(half)
    assert cli("codebook", "import", half, tmp_path / "codebook.json") == 0
    assert labels_in(half) == labels_in(good)
    assert cli("import", half, article) == 0


def test_an_import_where_every_file_fails_leaves_no_new_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"this is not a zip archive")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    project = tmp_path / "new.annotator"
    assert cli("import", project, broken, empty) == 1
    captured = capsys.readouterr()
    assert "failed" in captured.err and "was not created" in captured.out
    assert not project.exists()
    assert sorted(os.listdir(tmp_path)) == ["broken.docx", "empty.txt"]


def test_an_import_of_no_files_leaves_no_new_project(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    assert cli("import", tmp_path / "new.annotator", tmp_path / "nothing") == 1
    assert sorted(os.listdir(tmp_path)) == ["nothing"]


def test_a_failed_import_never_removes_a_project_that_existed(
    tmp_path: Path, article: Path
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"this is not a zip archive")
    existing = tmp_path / "existing.annotator"
    Project.open_or_create(existing).close()  # an existing project that is still empty
    assert cli("import", existing, broken) == 1
    assert existing.exists() and labels_in(existing) > 0


def test_stale_temporary_files_are_removed_but_a_running_creation_is_left_alone(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p.annotator"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_partial = tmp_path / f".p.annotator.{dead.stdout.strip()}-abcd{PARTIAL_SUFFIX}"
    running = tmp_path / f".p.annotator.{os.getppid()}-abcd{PARTIAL_SUFFIX}"
    old = tmp_path / f".p.annotator.{os.getppid()}-ef01{PARTIAL_SUFFIX}"
    for path in (dead_partial, running, old, Path(f"{dead_partial}-wal")):
        path.write_bytes(b"")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    removed = remove_stale_partials(project)
    assert sorted(removed) == sorted([dead_partial, old])
    assert sorted(os.listdir(tmp_path)) == [running.name]
