"""Folders: nothing in them is dropped silently, and links do not lead out (issue 9, point 11).

Tests run as root in CI, where ``chmod 000`` does not stop reading a folder. So an unreadable
folder is simulated where the walk meets it: ``os.scandir`` raises PermissionError for that
one path, exactly what it raises for a user without the right to read it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from annotator.app import make_workspace
from annotator.cli.main import run as cli
from annotator.io.importers import scan_paths
from annotator.services.importing import Outcome, run_import
from annotator.services.project import Project


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    (articles / "locked").mkdir(parents=True)
    (articles / "one.txt").write_text("First article.", encoding="utf-8")
    (articles / "locked" / "two.txt").write_text("Second article.", encoding="utf-8")
    return articles


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files outside the imported folder that a link inside it points to (a stand-in for /etc)."""
    secrets = tmp_path / "elsewhere"
    (secrets / "more").mkdir(parents=True)
    (secrets / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    (secrets / "more" / "private.txt").write_text("Private notes.", encoding="utf-8")
    return secrets


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch):
    """``unreadable(path)``: os.scandir of that folder fails as without read permission."""
    real_scandir = os.scandir
    locked: set[Path] = set()

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) in locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return locked.add


def outcomes(report) -> dict[str, tuple[Outcome, str]]:  # type: ignore[no-untyped-def]
    return {Path(r.path).name: (r.outcome, r.reason) for r in report.results}


def test_an_unreadable_subfolder_is_listed_as_failed_with_the_reason(
    project: Project, folder: Path, unreadable
) -> None:
    unreadable(folder / "locked")
    report = run_import(project, [folder])
    assert outcomes(report) == {
        "one.txt": (Outcome.IMPORTED, ""),
        "locked": (Outcome.FAILED, "folder cannot be read (permission denied); its files were not imported"),
    }


def test_the_import_command_lists_an_unreadable_folder_and_exits_1(
    folder: Path, tmp_path: Path, unreadable, capsys
) -> None:
    unreadable(folder / "locked")
    code = cli(["import", str(tmp_path / "study.annotator"), str(folder)], lambda _request: 0)
    assert code == 1
    assert f"  failed  {folder / 'locked'}: folder cannot be read (permission denied)" in capsys.readouterr().err


def test_links_out_of_the_folder_are_not_followed_and_are_listed(
    project: Project, folder: Path, outside: Path
) -> None:
    (folder / "passwd.txt").symlink_to(outside / "passwd.txt")
    (folder / "more").symlink_to(outside / "more", target_is_directory=True)
    report = run_import(project, [folder / ".."/ "articles"])  # a path with ".." in it, too

    results = outcomes(report)
    assert results["passwd.txt"] == (
        Outcome.SKIPPED,
        f"is a link to the file {outside.resolve() / 'passwd.txt'}, outside the imported folder; "
        "not followed (`annotator import --follow-links` follows links)",
    )
    assert results["more"][0] is Outcome.SKIPPED and "is a link to the folder" in results["more"][1]
    assert "private.txt" not in results and not report.failed
    assert report.imported_documents == 2  # one.txt, locked/two.txt


def test_follow_links_imports_what_links_point_to(project: Project, folder: Path, outside: Path) -> None:
    from annotator.services.importing import ImportOptions

    (folder / "passwd.txt").symlink_to(outside / "passwd.txt")
    (folder / "more").symlink_to(outside / "more", target_is_directory=True)
    report = run_import(project, [folder], ImportOptions(follow_links=True))
    assert {name for name, (outcome, _) in outcomes(report).items() if outcome is Outcome.IMPORTED} == {
        "one.txt", "two.txt", "passwd.txt", "private.txt",
    }


def test_the_command_line_follows_links_only_when_asked(
    folder: Path, outside: Path, tmp_path: Path, capsys
) -> None:
    (folder / "passwd.txt").symlink_to(outside / "passwd.txt")
    project = tmp_path / "study.annotator"
    assert cli(["import", str(project), str(folder)], lambda _request: 0) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported 2 document(s) from 2 file(s)")
    assert f"  skipped {folder / 'passwd.txt'}: is a link to the file" in out
    assert cli(["import", "--follow-links", str(project), str(folder)], lambda _request: 0) == 0
    assert capsys.readouterr().out.startswith("Imported 1 document(s) from 1 file(s)")


def test_the_apps_import_does_not_follow_links_out_either(
    project: Project, folder: Path, outside: Path
) -> None:
    from threading import Event

    (folder / "passwd.txt").symlink_to(outside / "passwd.txt")
    job = make_workspace(project, "tester").import_paths([folder], Event())
    while True:
        try:
            next(job)
        except StopIteration as stop:
            report = stop.value
            break
    assert [Path(r.path).name for r in report.skipped] == ["passwd.txt"]
    assert report.imported_documents == 2


def test_links_inside_the_folder_import_their_target_once(project: Project, folder: Path) -> None:
    (folder / "again.txt").symlink_to(folder / "one.txt")
    (folder / "alias").symlink_to(folder / "locked", target_is_directory=True)
    report = run_import(project, [folder])
    assert outcomes(report) == {"one.txt": (Outcome.IMPORTED, ""), "two.txt": (Outcome.IMPORTED, "")}


def scan_within(seconds: float, *args, **kwargs):  # type: ignore[no-untyped-def]
    """scan_paths, failing the test instead of hanging if it never ends."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(scan_paths(*args, **kwargs)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"the folder walk did not end within {seconds} s"
    return result[0]


@pytest.mark.parametrize("follow_links", [False, True])
def test_link_loops_do_not_hang(folder: Path, follow_links: bool) -> None:
    (folder / "locked" / "up").symlink_to(folder, target_is_directory=True)  # a folder loop
    (folder / "a.txt").symlink_to(folder / "b.txt")  # a loop of file links
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "gone.txt").symlink_to(folder / "deleted.txt")  # dangling
    scan = scan_within(10, [folder], follow_links=follow_links)
    assert [p.name for p in scan.files] == ["two.txt", "one.txt"]  # type: ignore[attr-defined]  # locked/ first
    problems = {p.path.name: p.reason for p in scan.problems}  # type: ignore[attr-defined]
    assert set(problems) == {"a.txt", "b.txt", "gone.txt"}
    assert all(reason.startswith("is a broken link") for reason in problems.values())
