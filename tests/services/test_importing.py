"""Import service: files land each on their own, duplicates are skipped, failures reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from annotator.domain.model import DocumentStatus
from annotator.services.browse import Browser
from annotator.services.importing import Outcome, run_import
from annotator.services.project import Project


def test_good_files_land_bad_ones_are_reported_and_nothing_of_them_is_left(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("Headline one\n\nBody of the first article.", encoding="utf-8")
    (folder / "sub" / "two.txt").write_bytes("Zweiter Artikel über Zürich.\r\nZeile.".encode("cp1252"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "batch.csv").write_text(
        "title,text,date\nA,First row text,2024-06-22\nB,,2024-06-23\nC,Third row text,\n",
        encoding="utf-8",
    )
    report = run_import(project, [folder, tmp_path / "missing.docx"])

    outcomes = {Path(r.path).name: r for r in report.results}
    assert outcomes["one.txt"].outcome is Outcome.IMPORTED
    assert outcomes["two.txt"].outcome is Outcome.IMPORTED
    assert outcomes["batch.csv"].documents == 2
    for name in ("empty.txt", "image.txt", "missing.docx"):
        assert outcomes[name].outcome is Outcome.FAILED
        assert outcomes[name].reason
    assert report.imported_documents == 4

    browser = Browser(project)
    assert browser.count() == 4
    titles = {s.title for s in browser.page()}
    assert {"Headline one", "A", "C"} <= titles
    two = next(s for s in browser.page() if s.title.startswith("Zweiter"))
    document = browser.bundle(two.id).document
    assert document.text == "Zweiter Artikel über Zürich.\nZeile."  # cp1252 decoded, \r\n -> \n
    assert document.status is DocumentStatus.NEW
    assert document.original_filename == "two.txt"
    assert document.imported_at is not None
    first_row = next(s for s in browser.page() if s.title == "A")
    assert browser.bundle(first_row.id).document.published == date(2024, 6, 22)
    assert browser.bundle(first_row.id).document.metadata.get("row") == "1"


def test_duplicates_are_skipped_and_reported(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same text.", encoding="utf-8")
    report = run_import(project, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED, Outcome.DUPLICATE]
    again = run_import(project, [tmp_path / "a.txt"])
    assert again.results[0].outcome is Outcome.DUPLICATE
    assert "already in the project" in again.results[0].reason
    assert Browser(project).count() == 1


def test_an_import_stopped_early_keeps_the_finished_files(
    project: Project, tmp_path: Path, monkeypatch
) -> None:
    from annotator.services.importing import import_paths

    # Files are reported once committed; commits are grouped by time, so commit each one here.
    monkeypatch.setattr("annotator.storage.document_writer.COMMIT_EVERY_S", -1.0)
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article number {i}.", encoding="utf-8")
    run = import_paths(project, [tmp_path])
    next(run)
    next(run)
    run.close()
    assert Browser(project).count() == 2


def test_the_document_filter_finds_words_of_the_text(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Budget talks\n\nThe finance minister met Zürich bankers.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Floods\n\nRescue teams reached Sindh on Monday.", encoding="utf-8")
    run_import(project, [tmp_path])
    browser = Browser(project)
    assert [s.title for s in browser.page("zurich bank")] == ["Budget talks"]  # accents, prefix
    assert [s.title for s in browser.page("sindh")] == ["Floods"]
    assert [s.title for s in browser.page("b.txt")] == ["Floods"]  # file names still match
    assert browser.page('"quoted') == [] and browser.count("monday") == 1
