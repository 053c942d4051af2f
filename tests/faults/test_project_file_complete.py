"""Issue 9 point 1: the project file is complete whenever no action is running.

A copy of the ``.annotator`` file alone, taken while the project is open, holds every
completed action; commits are durable (synchronous=FULL); `annotator backup` and File -> Save
a Copy make complete copies of an open project; a project open in another window is offered
read-only, and read-only really cannot write.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.app import app_services
from annotator.domain.errors import ProjectError, ProjectInUseError
from annotator.services.backup import backup_project
from annotator.services.browse import Browser
from annotator.services.corrections import Corrections
from annotator.services.importing import run_import
from annotator.services.project import Project
from annotator.storage.project_lock import lock_path, read_owner
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.launch import open_workspace
from annotator.ui.shell.main_window import MainWindow
from tests.ui.conftest import article, settings, window  # noqa: F401  (pytest fixtures)

ROOT = Path(__file__).resolve().parents[2]


def annotator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=ROOT, capture_output=True,
        text=True, timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def main_file_only(project: Path, folder: Path) -> Path:
    """What a researcher e-mails or syncs: the .annotator file, without its -wal."""
    copy = folder / f"copy-{len(list(folder.glob('copy-*')))}.annotator"
    shutil.copyfile(project, copy)
    return copy


def count(path: Path, sql: str) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute(sql).fetchone()[0])
    finally:
        db.close()


# -- the main file alone ---------------------------------------------------------------------
def test_a_copy_of_the_main_file_holds_every_completed_action_while_the_project_is_open(
    tmp_path: Path, project: Project
) -> None:
    (tmp_path / "a.txt").write_text("Talks in Manila\n\nMaria Lopez spoke in Manila.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Floods\n\nThe Red Crescent sent teams.", encoding="utf-8")
    copies = tmp_path / "copies"
    copies.mkdir()

    run_import(project, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert Path(f"{project.path}-wal").exists()  # still open, in WAL mode
    copy = main_file_only(project.path, copies)
    assert count(copy, "SELECT count(*) FROM documents") == 2

    document = Browser(project).first_document()
    assert document is not None
    Corrections(project, coder="ana").create(document, 17, 28, "PERSON")  # "Maria Lopez"
    copy = main_file_only(project.path, copies)
    assert count(copy, "SELECT count(*) FROM entity_spans WHERE text = 'Maria Lopez'") == 1
    with Project.open(copy) as reopened:  # the copy is a valid project on its own
        assert Browser(reopened).count() == 2


def test_an_action_made_during_a_long_read_reaches_the_main_file_when_the_read_ends(
    tmp_path: Path, project: Project
) -> None:
    with project.read_session() as export:  # an export holds one snapshot for a while
        export.connection().exec_driver_sql("SELECT count(*) FROM documents").all()
        project.set_setting("spacy_model", "en_core_web_md")  # the app goes on working
    copy = main_file_only(project.path, tmp_path)
    assert count(copy, "SELECT count(*) FROM project_info WHERE value = 'en_core_web_md'") == 1


def test_every_connection_commits_durably(project: Project) -> None:
    with project.read_session() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


# -- annotator backup ------------------------------------------------------------------------
@pytest.fixture
def filled(tmp_path: Path, project: Project) -> Project:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(f"Article {n}\n\nMaria Lopez spoke in Manila ({n}).", encoding="utf-8")
    run_import(project, [folder])
    return project


def test_backup_copies_a_project_that_is_open_and_being_written(tmp_path: Path, filled: Project) -> None:
    out = tmp_path / "backup.annotator"
    stop = threading.Event()

    def keep_writing() -> None:  # the app, working meanwhile
        n = 0
        while not stop.is_set():
            filled.set_setting("counter", str(n))
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = annotator("backup", filled.path, out)
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    assert f"Saved a copy of {filled.path} as {out}" in result.stdout
    assert not Path(f"{out}-wal").exists()
    stats = json.loads(annotator("stats", out, "--json").stdout)
    assert stats["documents"] == 5


def test_backup_refuses_to_replace_a_file_unless_forced(tmp_path: Path, filled: Project) -> None:
    out = tmp_path / "backup.annotator"
    out.write_bytes(b"keep me")
    refused = annotator("backup", filled.path, out)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"annotator: error: {out}: a file of that name exists already (use --force to replace it)"
    )
    assert out.read_bytes() == b"keep me"
    forced = annotator("backup", filled.path, out, "--force")
    assert forced.returncode == 0, forced.stderr
    with Project.open(out) as copy:
        assert Browser(copy).count() == 5


def test_backup_of_a_file_that_is_not_a_project_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a project", encoding="utf-8")
    result = annotator("backup", notes, tmp_path / "out.annotator")
    assert result.returncode == 2
    assert "not an Annotator project" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out.annotator").exists()


def test_backup_never_leaves_a_partial_copy(tmp_path: Path, filled: Project) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        backup_project(filled.path, tmp_path / "missing" / "out.annotator")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# -- open in another window --------------------------------------------------------------------
HOLDER = """
import sys
from annotator.services.project import Project
project = Project.open(sys.argv[1], lock=True)
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_project_open_in_another_process_is_named_and_a_crash_frees_it(project: Project) -> None:
    path = project.path
    project.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(ProjectInUseError) as raised:
            Project.open(path, lock=True)
        owner = read_owner(path)
        assert owner is not None and owner.pid == holder.pid
        assert str(raised.value) == (
            f"study.annotator is open in another Annotator window "
            f"({owner.user}@{owner.host}, since {owner.since_text})"
        )
        # Commands do not claim the project: an import from the command line still works.
        assert annotator("stats", path, "--json").returncode == 0
    finally:
        holder.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind ...
        holder.wait()
    assert lock_path(path).exists()
    with Project.open(path, lock=True) as reopened:  # ... but it is stale: taken over
        assert read_owner(path).pid == os.getpid()  # type: ignore[union-attr]
        assert reopened.codebook().labels
    assert not lock_path(path).exists()  # a clean close removes it


def test_a_lock_file_left_without_a_running_owner_is_taken_over(project: Project) -> None:
    path = project.path
    project.close()
    lock_path(path).write_text(
        json.dumps({"user": "ana", "host": "elsewhere", "pid": 1, "since": "2026-01-01T09:00:00"}),
        encoding="utf-8",
    )
    with Project.open(path, lock=True):
        assert read_owner(path).user != "ana" or read_owner(path).host != "elsewhere"  # type: ignore[union-attr]


def test_read_only_really_cannot_write(project: Project) -> None:
    path = project.path
    project.close()
    with Project.open(path, lock=True) as other_window:
        with pytest.raises(ProjectInUseError):
            Project.open(path, lock=True)
        with Project.open(path, read_only=True) as reader:
            assert reader.setting("application") == "annotator"
            with pytest.raises(ProjectError, match="is read-only"):
                reader.set_setting("spacy_model", "en_core_web_lg")
        assert other_window.setting("spacy_model") is None


# -- the app -------------------------------------------------------------------------------------
def test_save_a_copy_from_the_file_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "study copy.annotator"
    window.prompts.answers["copy_target"] = target  # type: ignore[attr-defined]
    window.actions["save_copy"].trigger()
    qtbot.waitUntil(lambda: not window.runner.is_busy() and target.exists(), timeout=10_000)
    assert "Saved a copy of the project as" in window.statusBar().currentMessage()
    with Project.open(target) as copy:
        assert Browser(copy).count() == 2


def test_opening_a_project_open_in_another_window_offers_read_only(
    qtbot, project: Project, article, settings  # noqa: F811
) -> None:
    path = project.path
    project.close()
    services = app_services()
    with Project.open(path, lock=True):  # the other window
        declined = CannedPrompts(open_read_only=False)
        assert open_workspace(path, services, settings, declined, "ana") is None
        assert declined.offered_read_only[0].startswith("study.annotator is open in another Annotator window (")

        prompts = CannedPrompts(open_read_only=True)
        workspace = open_workspace(path, services, settings, prompts, "ana")
        assert workspace is not None and workspace.read_only
        main = MainWindow(workspace, settings, prompts, services, document=article)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        try:
            assert main.read_only_label.isVisible() and main.read_only_label.text() == "Read-only"
            assert "(read-only)" in main.windowTitle()
            for name in ("import_files", "accept_all", "mark_done", "new_claim", "codebook", "preannotate_unprocessed"):
                assert not main.actions[name].isEnabled(), name
            assert not any(action.isEnabled() for action in main.actions.label_actions.values())
            assert not main.label_palette.isEnabled()
            suggestion = next(iter(main.controller.spans))
            main.controller.select(suggestion)  # selecting still works, editing does not
            assert main.controller.selected == suggestion
            assert not main.actions["accept"].isEnabled()
            assert main.actions["next_pending"].isEnabled() and main.actions["save_copy"].isEnabled()
        finally:
            main.close()


def test_without_file_system_locks_the_lock_file_alone_decides(project: Project, monkeypatch) -> None:
    """Some network and sync drives cannot lock files: a live owner is honoured, a dead one not."""
    from annotator.storage import project_lock

    path = project.path
    project.close()
    monkeypatch.setattr(project_lock, "_try_lock", lambda fd: None)
    here = project_lock.LockOwner.me()
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        lock_path(path).write_text(json.dumps(
            {"user": "ana", "host": here.host, "pid": alive.pid, "since": "2026-01-01T09:00:00"}
        ), encoding="utf-8")
        with pytest.raises(ProjectInUseError, match=r"\(ana@.*, since 2026-01-01 09:00\)"):
            Project.open(path, lock=True)
    finally:
        alive.kill()
        alive.wait()
    with Project.open(path, lock=True):  # its process is gone: the lock is stale
        assert read_owner(path).pid == os.getpid()  # type: ignore[union-attr]


def test_opening_the_project_of_this_window_again_only_says_so(window: MainWindow) -> None:  # noqa: F811
    before = window.workspace
    window.projects.open_project(window.workspace.project.path)
    assert window.workspace is before
    assert window.prompts.informed == [  # type: ignore[attr-defined]
        ("Already open", "study.annotator is the project open in this window.")
    ]


def test_cancelling_read_only_for_the_last_project_starts_nothing(
    project: Project, settings  # noqa: F811
) -> None:
    path = project.path
    project.close()
    settings.add_recent_project(path)
    with Project.open(path, lock=True):
        prompts = CannedPrompts(open_read_only=False)
        assert open_workspace(None, app_services(), settings, prompts, "ana") is None
        assert len(prompts.offered_read_only) == 1
    assert settings.last_project() == path  # still remembered: it was only busy
