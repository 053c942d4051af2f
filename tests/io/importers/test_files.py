"""Which files an import covers, and the checks every file passes before it is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io.importers import SUPPORTED_SUFFIXES, ImportOptions, collect_files
from annotator.io.importers.files import human_size
from tests.io.fixtures import make_fixtures
from tests.io.importers.helpers import FIXTURES, fixture, read_one, refused


def test_supported_suffixes() -> None:
    assert frozenset(
        {".txt", ".md", ".html", ".htm", ".docx", ".rtf", ".odt", ".pdf", ".csv", ".xlsx", ".jsonl",
         ".rss", ".xml"}
    ) == SUPPORTED_SUFFIXES


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_folders_are_expanded_recursively_sorted_without_hidden_and_lock_files(
    tmp_path: Path,
) -> None:
    _touch(
        tmp_path,
        "b.txt", "A.md", "c.pdf", "notes.doc", "photo.jpg", "Thumbs.db",
        ".hidden.txt", "~$draft.docx", ".git/config.txt", ".cache/x.csv",
        "sub/z.html", "sub/a.jsonl", "sub/deeper/m.xlsx", "sub/.secret/x.txt",
    )
    assert [p.relative_to(tmp_path).as_posix() for p in collect_files([tmp_path])] == [
        "A.md", "b.txt", "c.pdf", "notes.doc",  # .doc is listed, to be refused with advice
        "sub/a.jsonl", "sub/deeper/m.xlsx", "sub/z.html",
    ]


def test_files_given_directly_are_kept_as_given_once(tmp_path: Path) -> None:
    _touch(tmp_path, "folder/a.txt", "photo.jpg", ".hidden.txt")
    missing = tmp_path / "missing.txt"
    given = [tmp_path / "photo.jpg", missing, tmp_path / "folder", tmp_path / "folder/a.txt",
             tmp_path / ".hidden.txt"]
    assert collect_files(given) == [
        tmp_path / "photo.jpg", missing, tmp_path / "folder/a.txt", tmp_path / ".hidden.txt",
    ]


def test_unknown_extension_lists_what_can_be_imported() -> None:
    reason = refused(fixture("notes.xyz"), "unsupported file type .xyz")
    assert reason == (
        "unsupported file type .xyz; Annotator imports "
        ".txt, .md, .html, .htm, .docx, .rtf, .odt, .pdf, .csv, .xlsx, .jsonl, .rss, .xml"
    )


@pytest.mark.parametrize(
    ("name", "advice"),
    [("old.doc", "save it as .docx"), ("sheet.xls", "save it as .xlsx"),
     ("dump.json", "one JSON object per line"), ("README", "(no extension)")],
)
def test_near_misses_get_advice(tmp_path: Path, name: str, advice: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    refused(path, "unsupported file type", advice)


def test_missing_file() -> None:
    refused(FIXTURES / "no_such_file.txt", "file not found")


def test_folder_given_to_read_articles(tmp_path: Path) -> None:
    folder = tmp_path / "articles.txt"
    folder.mkdir()
    refused(folder, "is a folder")


def test_file_over_the_size_limit_says_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 3000, encoding="utf-8")
    refused(path, "2.9 KB", "import limit of 2.0 KB", options=ImportOptions(max_bytes=2048))
    assert read_one(path, ImportOptions(max_bytes=3000)).text == "x" * 3000


def test_default_limit_is_50_mb() -> None:
    assert ImportOptions().max_bytes == 50 * 1024 * 1024
    assert human_size(ImportOptions().max_bytes) == "50.0 MB"
    assert human_size(999) == "999 bytes"
    assert human_size(3 * 1024**3) == "3.0 GB"


def test_checked_in_fixtures_match_the_script() -> None:
    for name, build in make_fixtures.FIXTURES.items():
        assert (FIXTURES / name).read_bytes() == build(), f"{name}: run make_fixtures.py"
