"""The `annotator` command through a subprocess, as a researcher's shell would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def annotator(*args: str | Path, entry: str = "main") -> subprocess.CompletedProcess[str]:
    command = {
        "main": [sys.executable, str(ROOT / "main.py")],
        "module": [sys.executable, "-m", "annotator"],
    }[entry]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talks in Islamabad\n\nPrime Minister Shehbaz Sharif met Army Chief Asim Munir in "
        "Islamabad on Saturday. Sharif said the operation would begin in July.",
        encoding="utf-8",
    )
    (folder / "b.md").write_text("# Second\n\nMaria Lopez spoke in Manila.", encoding="utf-8")
    return folder


def test_import_creates_the_project_and_prints_a_summary(tmp_path: Path, articles: Path) -> None:
    project = tmp_path / "study.annotator"
    result = annotator("import", project, articles)
    assert result.returncode == 0, result.stderr
    assert "Imported 2 document(s) from 2 file(s); skipped 0 duplicate(s); failed 0 file(s)." in result.stdout
    again = annotator("import", project, articles / "a.txt")
    assert again.returncode == 0
    assert "skipped 1 duplicate(s)" in again.stdout


def test_import_exits_1_when_a_file_fails_but_keeps_the_others(tmp_path: Path, articles: Path) -> None:
    (articles / "empty.txt").write_bytes(b"")
    (articles / "notes.xyz").write_text("?", encoding="utf-8")
    project = tmp_path / "study.annotator"
    result = annotator("import", project, articles, articles / "notes.xyz")
    assert result.returncode == 1
    assert "empty.txt: the file is empty" in result.stderr.replace("  failed  ", "").replace(
        str(articles) + "/", ""
    )
    assert "notes.xyz" in result.stderr and "unsupported file type .xyz" in result.stderr
    stats = json.loads(annotator("stats", project, "--json").stdout)
    assert stats["documents"] == 2


def test_a_damaged_pdf_is_one_line_without_the_pdf_library_s_notes(tmp_path: Path, articles: Path) -> None:
    (articles / "garbage.pdf").write_bytes(b"\xcc\xcd not a pdf at all " * 40)
    result = annotator("import", tmp_path / "study.annotator", articles)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "garbage.pdf: cannot read this PDF" in lines[0], result.stderr


def test_stats_json_shape(tmp_path: Path, articles: Path) -> None:
    project = tmp_path / "study.annotator"
    annotator("import", project, articles)
    result = annotator("stats", project, "--json", entry="module")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["documents"] == 2
    assert stats["documents_by_status"] == {"new": 2, "in_progress": 0, "done": 0}
    assert stats["entities"] == {
        "total": 0, "by_label": {}, "by_status": {"suggested": 0, "accepted": 0, "rejected": 0}
    }
    assert stats["claims"] == 0
    table = annotator("stats", project)
    assert "Documents: 2" in table.stdout


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    not_a_project = tmp_path / "notes.annotator"
    not_a_project.write_text("hello", encoding="utf-8")
    result = annotator("stats", not_a_project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not an Annotator project" in lines[0] and str(not_a_project) in lines[0]
    assert not_a_project.read_text(encoding="utf-8") == "hello"
    missing = annotator("stats", tmp_path / "missing.annotator")
    assert missing.returncode == 2 and "no such project file" in missing.stderr


def test_help_describes_every_command() -> None:
    result = annotator("--help")
    assert result.returncode == 0
    for command in ("import", "stats", "preannotate", "gui"):
        assert command in result.stdout
        sub = annotator(command, "--help")
        assert sub.returncode == 0 and "usage: annotator" in sub.stdout


@pytest.mark.slow
def test_preannotate_with_the_default_model(tmp_path: Path, articles: Path) -> None:
    project = tmp_path / "study.annotator"
    annotator("import", project, articles)
    result = annotator("preannotate", project)
    assert result.returncode == 0, result.stderr
    assert "Documents: 2" in result.stdout and "words/s" in result.stdout
    stats = json.loads(annotator("stats", project, "--json").stdout)
    assert stats["entities"]["by_label"]["PERSON"] >= 3
    again = annotator("preannotate", project)
    assert "Nothing to do" in again.stdout


def test_the_three_entry_points_are_the_same_program() -> None:
    script = Path(sys.executable).with_name("annotator")
    if not script.exists():
        pytest.skip("the `annotator` console script is not installed in this environment")
    outputs = {
        annotator("--version").stdout,
        annotator("--version", entry="module").stdout,
        subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout,
    }
    assert outputs == {"annotator 0.1.0\n"}


def test_codebook_export_then_import_reports_changes(tmp_path: Path, articles: Path) -> None:
    project = tmp_path / "study.annotator"
    annotator("import", project, articles)
    shared = tmp_path / "team.json"
    assert annotator("codebook", "export", project, shared).returncode == 0
    data = json.loads(shared.read_text(encoding="utf-8"))
    assert data["format"] == "annotator-codebook"
    data["claim_variables"].append({"name": "tone", "kind": "text", "description": "overall tone"})
    shared.write_text(json.dumps(data), encoding="utf-8")
    result = annotator("codebook", "import", project, shared)
    assert result.returncode == 0, result.stderr
    assert "New variable tone (text)." in result.stdout
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    failed = annotator("codebook", "import", project, broken)
    assert failed.returncode == 2 and "broken.json: not valid JSON" in failed.stderr


def test_an_older_project_is_upgraded_with_a_note_naming_the_backup(tmp_path: Path) -> None:
    from sqlalchemy import text

    from annotator.storage.db import make_engine
    from annotator.storage.schema import upgrade

    old = tmp_path / "old.annotator"
    old.touch()  # make_engine opens existing files only
    engine = make_engine(old)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO project_info VALUES ('application', 'annotator')"))
        connection.execute(  # an old project always had its codebook
            text("INSERT INTO labels (name, color, shortcut, description, spacy_labels, position)"
                 " VALUES ('PERSON', '#0072B2', NULL, '', '[]', 0)")
        )
    engine.dispose()
    first = annotator("stats", old, "--json")
    assert first.returncode == 0, first.stderr
    assert "was upgraded to the current format" in first.stderr and ".backup-schema0001-" in first.stderr
    assert json.loads(first.stdout)["documents"] == 0
    again = annotator("stats", old, "--json")
    assert again.stderr == ""
