"""Issue 9, point 13: write-protected and damaged projects.

Making a file read-only for these tests: they usually run as root, for whom chmod stops nothing,
so as root the file (or folder) is made immutable with `chattr +i`, which stops every writer,
root included — SQLite then really meets a read-only file, as a researcher's would be. As
another user chmod does the same job. Where neither works (a file system without attributes)
the tests skip rather than pass without exercising anything. One test also makes `os.access`
claim the file is writable, to prove SQLite's own refusal is caught as well.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.cli import run
from annotator.domain.errors import DamagedProjectError, ReadOnlyProjectError
from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository

ARTICLE = "Maria Lopez spoke in Manila on Monday, and the Red Cross answered from Geneva."


def cli(*args: str | Path) -> int:
    return run([*map(str, args)], open_gui=lambda _request: 0)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def write_protected(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or a folder) impossible to write, for root too."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make files immutable here: {done.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(stat.S_IMODE(mode) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield
        finally:
            path.chmod(stat.S_IMODE(mode))


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "art.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def codebook_file(tmp_path: Path, article: Path) -> Path:
    other = tmp_path / "other.annotator"
    assert cli("import", other, article) == 0
    assert cli("codebook", "export", other, tmp_path / "codebook.json") == 0
    return tmp_path / "codebook.json"


@pytest.fixture
def study(tmp_path: Path, article: Path) -> Path:
    """A closed, valid project with one document, alone in its folder."""
    folder = tmp_path / "study"
    folder.mkdir()
    path = folder / "study.annotator"
    assert cli("import", path, article) == 0
    assert sorted(os.listdir(folder)) == ["study.annotator"]
    return path


def assert_read_only_refusals(
    project: Path, article: Path, codebook_file: Path, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (
        ["import", project, article],
        ["codebook", "import", project, codebook_file],
        ["preannotate", project],  # refused before spaCy is even loaded
    ):
        assert cli(*command) == 2, command
        err = capsys.readouterr().err
        assert err.startswith(f"annotator: error: {project} is read-only: {reason}"), err
        assert err.count("\n") == 1, err


def assert_reading_works(project: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli("stats", "--json", project) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1
    assert cli("export", "--format", "csv", project, out) == 0
    assert "Maria Lopez" in (out / "Documents.csv").read_text(encoding="utf-8-sig")
    assert cli("codebook", "export", project, out / "codebook.json") == 0
    with Project.open(project, read_only=True) as opened:
        assert opened.document_count() == 1


def test_a_read_only_file_refuses_writing_and_still_reads(
    study: Path, article: Path, codebook_file: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = digest(study)
    with write_protected(study):
        assert_read_only_refusals(study, article, codebook_file, "the file cannot be changed",
                                  capsys)
        assert_reading_works(study, tmp_path / "out", capsys)
    assert digest(study) == before


def test_a_project_in_a_read_only_folder_is_read_not_called_foreign(
    study: Path, article: Path, codebook_file: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = digest(study)
    with write_protected(study.parent):
        assert_read_only_refusals(study, article, codebook_file, "its folder", capsys)
        assert_reading_works(study, tmp_path / "out", capsys)
        assert sorted(os.listdir(study.parent)) == ["study.annotator"]
    assert digest(study) == before


@pytest.mark.parametrize("protect", ["file", "folder"])
def test_sqlite_itself_is_asked_when_the_system_claims_it_is_writable(
    study: Path, monkeypatch: pytest.MonkeyPatch, protect: str
) -> None:
    """Network shares and ACLs can make os.access say yes; the rolled-back write says no."""
    with write_protected(study if protect == "file" else study.parent):
        monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: True)
        with pytest.raises(ReadOnlyProjectError, match="is read-only: " + (
            "the file cannot be changed" if protect == "file" else "its folder"
        )):
            Project.open(study)
        monkeypatch.undo()


def test_an_older_read_only_project_says_it_needs_upgrading(study: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(study)
    connection.execute("UPDATE alembic_version SET version_num = '0003'")
    connection.commit()
    connection.close()
    with write_protected(study), pytest.raises(ReadOnlyProjectError, match="older version"):
        Project.open(study, read_only=True)


# -- damage ------------------------------------------------------------------------------------


def big_project(path: Path) -> None:
    rng = random.Random(13)
    words = ARTICLE.split()
    with Project.open_or_create(path) as project, project.session() as session:
        documents = DocumentRepository(session)
        for n in range(400):
            text = " ".join(rng.choice(words) for _ in range(300)) + f" Document {n}."
            documents.add(NewDocument(text=text, title=f"Article {n}"))


def damage(path: Path, size: int = 8192, seed: int = 1) -> None:
    """Overwrite ``size`` bytes in the middle of the file with random bytes."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + size] = random.Random(seed).randbytes(size)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_damaged_project_refuses_writing_with_advice(
    tmp_path: Path, article: Path, codebook_file: Path, seed: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "big.annotator"
    big_project(project)
    assert project.stat().st_size > 200_000
    damage(project, seed=seed)
    before = digest(project)
    for command in (
        ["import", project, article],
        ["codebook", "import", project, codebook_file],
        ["preannotate", project],
    ):
        assert cli(*command) == 2, command
        err = capsys.readouterr().err
        assert f"{project} is damaged (" in err and err.count("\n") == 1, err
        assert ".backup-" in err and "annotator backup" in err and ".recover" in err
    assert digest(project) == before  # nothing written into a damaged file
    # reading may still work on what is intact; if it fails, it fails in the user's words
    for command in (["stats", project], ["export", project, tmp_path / "out.xlsx"]):
        code = cli(*command)
        err = capsys.readouterr().err
        assert code == 0 or (code == 2 and "is damaged (" in err and err.count("\n") == 1), err


def test_damage_found_while_reading_is_named_too(tmp_path: Path) -> None:
    """A read-only use (no quick_check) that meets a damaged page says so in one line."""
    project = tmp_path / "big.annotator"
    big_project(project)
    raw = bytearray(project.read_bytes())
    page = 4096
    # every page after the first few becomes garbage: any full read must trip over it
    start = (len(raw) // page // 2) * page
    raw[start:] = random.Random(4).randbytes(len(raw) - start)
    project.write_bytes(bytes(raw))
    with (
        Project.open(project, read_only=True) as opened,
        pytest.raises(DamagedProjectError, match="is damaged"),
        opened.session() as session,
    ):
        for document_id in DocumentRepository(session).ids():
            DocumentRepository(session).get(document_id)


def test_an_intact_copy_of_the_damaged_file_opens_again(tmp_path: Path, article: Path) -> None:
    project = tmp_path / "big.annotator"
    big_project(project)
    shutil.copy(project, tmp_path / "big.backup.annotator")
    damage(project)
    with pytest.raises(DamagedProjectError):
        Project.open(project)
    shutil.copy(tmp_path / "big.backup.annotator", project)
    assert cli("import", project, article) == 0


# -- the desktop app ---------------------------------------------------------------------------


@pytest.mark.parametrize("protect", ["file", "folder"])
def test_the_app_shows_a_read_only_project_and_says_an_edit_cannot_be_saved(
    qtbot, study: Path, protect: str
) -> None:
    from annotator.app import app_services, make_workspace
    from annotator.services.corrections import Corrections
    from annotator.ui.shell.dialogs import CannedPrompts
    from annotator.ui.shell.main_window import MainWindow
    from annotator.ui.shell.settings import AppSettings

    with write_protected(study if protect == "file" else study.parent):
        project = app_services().open_project(study)
        assert project.read_only
        window = MainWindow(make_workspace(project, "tester"), AppSettings.in_memory(),
                            CannedPrompts())
        qtbot.addWidget(window)
        assert "(read-only)" in window.windowTitle()
        assert "read-only" in window.statusBar().currentMessage()
        document = window.workspace.browser.first_document()
        assert document is not None
        reason = "the file cannot be changed" if protect == "file" else "its folder"
        with pytest.raises(ReadOnlyProjectError, match=f"is read-only: {reason}"):
            Corrections(project, "tester").create(document, 0, 5, "PERSON")
        window.close()
        project.close()


def test_a_project_opened_read_only_on_purpose_says_so_when_written(study: Path) -> None:
    with (
        Project.open(study, read_only=True) as project,
        pytest.raises(ReadOnlyProjectError, match="opened for reading only"),
    ):
        project.set_setting("spacy_model", "en_core_web_sm")
    with Project.open(study) as project:
        assert project.setting("spacy_model") is None
