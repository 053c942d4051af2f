"""Issue 9, point 6: a project's name is a file name, never part of a URL.

Each hostile name is created, imported into, read back and exported through the real command
line (in-process), and afterwards the folder holds exactly that file: no other file was created,
and decoy files whose names a URL parser could have read out of it are untouched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import run
from annotator.services.project import Project

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_NAMES = [
    "report?v2.annotator",  # the issue's case: '?' started a URL query
    "report?mode=memory.annotator",  # a query that would silently use an in-memory database
    "notes#draft.annotator",  # '#' starts a URL fragment
    "100%25 sure.annotator",  # a percent escape that would decode to '100% sure'
    "%3F.annotator",
    "with  two spaces .annotator",
    "Zürich – 東京 🚀.annotator",
    ":memory:",
    "file:report.annotator",  # would be taken for a URI by SQLite
    "it's \"quoted\" & <tagged>.annotator",
    "semi;colon,comma=equals+plus.annotator",
    "back\\slash.annotator",
    "line\nbreak.annotator",
    "-starts-with-dash.annotator",
]
NAMES = HOSTILE_NAMES


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_decoys(folder: Path) -> dict[str, str]:
    """SQLite databases named like the pieces a URL parser would cut out of a hostile name."""
    decoys = {}
    for name in ("report", "notes", "100% sure", "?", "file", "report.annotator"):
        connection = sqlite3.connect(folder / name)
        connection.execute("CREATE TABLE precious (x)")
        connection.execute("INSERT INTO precious VALUES ('keep me')")
        connection.commit()
        connection.close()
        decoys[name] = digest(folder / name)
    return decoys


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "art.txt"
    path.write_text("Maria Lopez spoke in Manila on Monday.", encoding="utf-8")
    return path


def cli(*args: str | Path) -> int:
    return run([*map(str, args)], open_gui=lambda _request: 0)


@pytest.mark.parametrize("name", NAMES, ids=[repr(n) for n in NAMES])
def test_any_file_name_is_exactly_that_file(
    tmp_path: Path, article: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    decoys = make_decoys(folder)
    project = folder / name
    cwd = Path.cwd()
    os.chdir(folder)  # relative names too: ':memory:' and 'file:…' are not absolute paths
    try:
        assert cli("import", "--", name, article) == 0, capsys.readouterr().err
        assert cli("stats", "--json", "--", name) == 0
        assert '"documents": 1' in capsys.readouterr().out
        assert cli("export", "--format", "csv", "--", name, tmp_path / "out") == 0
    finally:
        os.chdir(cwd)

    assert sorted(os.listdir(folder)) == sorted([*decoys, name])
    assert {n: digest(folder / n) for n in decoys} == decoys
    with Project.open(project) as reopened:
        assert reopened.document_count() == 1
    assert "Maria Lopez" in (tmp_path / "out" / "Documents.csv").read_text(encoding="utf-8-sig")


def test_a_name_with_slashes_is_a_path_into_folders(tmp_path: Path, article: Path) -> None:
    folder = tmp_path / "file:"
    folder.mkdir()
    project = folder / "x?y#z.annotator"
    assert cli("import", project, article) == 0
    assert sorted(os.listdir(folder)) == ["x?y#z.annotator"]
    assert sorted(os.listdir(tmp_path)) == ["art.txt", "file:"]


def test_the_issue_reproduction_through_a_real_shell_command(tmp_path: Path, article: Path) -> None:
    """`annotator import 'report?v2.annotator' art.txt` beside an unrelated database `report`."""
    decoys = make_decoys(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", "report?v2.annotator", str(article)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert {n: digest(tmp_path / n) for n in decoys} == decoys
    report = sqlite3.connect(tmp_path / "report")
    assert [r[0] for r in report.execute("SELECT name FROM sqlite_master")] == ["precious"]
    report.close()
    assert sorted(os.listdir(tmp_path)) == sorted([*decoys, "art.txt", "report?v2.annotator"])
