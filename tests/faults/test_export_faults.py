"""Issue 9 point 14: exports under faults.

- headers are unique in every sheet (a variable named like a fixed column, a boolean ``a_b``
  beside the multi-choice ``a`` with the value ``b``, a label named like a Matrix column);
- a quote-prefixed CSV cell still fits Excel's 32,767 characters;
- a killed export leaves one recognisable part folder (nothing in the system temp folder),
  which the next export removes;
- a full disk gives exactly one line on stderr and leaves no partial file;
- a failed save leaves nothing for the garbage collector to complain about.
"""

from __future__ import annotations

import csv
import errno
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl.writer.excel
import pytest
from openpyxl import load_workbook

from annotator.domain.errors import ExportError
from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    Codebook,
    EntitySpan,
    FieldKind,
    Label,
    NewDocument,
)
from annotator.io.export import Column, Sheet, write_csv_folder, write_workbook
from annotator.io.export.cells import EXCEL_CELL_LIMIT
from annotator.io.export.files import LOCK_NAME, remove_stale_parts, replacing
from annotator.services.claims import ClaimCoding
from annotator.services.export import ExportOptions, export_project
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository

ROOT = Path(__file__).resolve().parents[2]

CLASHING = Codebook(
    labels=(
        Label("PERSON", "#0072B2", "1", spacy_labels=("PERSON",), position=0),
        Label("status", "#E69F00", "2", position=1),  # a Matrix column is called status
    ),
    fields=(
        ClaimField("document_id", FieldKind.TEXT, position=0),
        ClaimField("a", FieldKind.MULTI, position=1, values=(CategoryValue("b"), CategoryValue("c"))),
        ClaimField("a_b", FieldKind.BOOLEAN, position=2),
        ClaimField("Complete", FieldKind.NUMBER, position=3),  # case-blind clash with "complete"
    ),
)


def header_rows(path: Path) -> dict[str, list[str]]:
    workbook = load_workbook(path, read_only=True)
    headers = {ws.title: [c for c in next(ws.iter_rows(values_only=True))] for ws in workbook.worksheets}
    workbook.close()
    return headers


def test_headers_are_unique_and_the_codebook_sheet_says_where_each_variable_went(tmp_path: Path) -> None:
    with Project(tmp_path / "clash.annotator", create=True, codebook=CLASHING) as project:
        with project.session() as session:
            doc = DocumentRepository(session).add(NewDocument(text="Asim Munir spoke.", title="One"))
        coding = ClaimCoding(project, coder="ayesha")
        claim = coding.create(doc, 0, 10).after
        assert claim is not None and claim.id is not None
        for name, value in [("document_id", "my own id"), ("a", ["b"]), ("a_b", False), ("Complete", 7)]:
            coding.set_value(claim.id, name, value)
        export_project(project, tmp_path / "out.xlsx")
        export_project(project, tmp_path / "csv", ExportOptions(format="csv"))

    headers = header_rows(tmp_path / "out.xlsx")
    for sheet, names in headers.items():
        assert len({n.casefold() for n in names}) == len(names), (sheet, names)
    claims = headers["Claims"]
    assert claims[:6] == ["document_id", "document_title", "claim_id", "start", "end", "claim_text"]
    assert claims[6:11] == ["document_id_2", "a_b", "a_c", "a_b_2", "Complete_2"]
    assert claims[11:] == ["coder", "last_change", "complete", "missing", "needs_review", "review_note"]
    assert headers["Matrix"] == ["document_id", "title", "status", "PERSON", "status_2", "claims"]

    workbook = load_workbook(tmp_path / "out.xlsx")
    values = [c.value for c in workbook["Claims"][2]]
    row = dict(zip(claims, values, strict=True))
    assert row["document_id"] == doc and row["document_id_2"] == "my own id"
    assert (row["a_b"], row["a_c"], row["a_b_2"], row["Complete_2"]) == (1, 0, 0, 7)
    codebook = list(workbook["Codebook"].iter_rows(values_only=True))
    where = {r[1]: r[-1] for r in codebook[1:] if r[0] == "claim variable"}
    assert codebook[0][-1] == "claims_columns"
    assert where == {"document_id": "document_id_2", "a": "a_b, a_c", "a_b": "a_b_2", "Complete": "Complete_2"}

    with open(tmp_path / "csv" / "Claims.csv", encoding="utf-8-sig", newline="") as stream:
        assert next(csv.reader(stream)) == claims


def test_writers_never_repeat_a_header(tmp_path: Path) -> None:
    sheet = Sheet("Odd", [Column("x"), Column("X"), Column("x"), Column("x_2")], [["1", "2", "3", "4"]])
    write_workbook(tmp_path / "odd.xlsx", [sheet])
    assert header_rows(tmp_path / "odd.xlsx")["Odd"] == ["x", "X_2", "x_3", "x_2_2"]


@pytest.mark.parametrize("text", [
    "=" + "x" * 40_000,
    "=" + "x" * (EXCEL_CELL_LIMIT - 1),  # exactly at the limit before the quote
    "@" + "🎉" * 20_000,  # astral characters count twice in Excel
    "+" + "y" * (EXCEL_CELL_LIMIT - 2),  # fits with the quote: not cut
])
def test_a_quote_prefixed_csv_cell_fits_in_an_excel_cell(tmp_path: Path, text: str) -> None:
    paths = write_csv_folder(tmp_path, [Sheet("Cells", [Column("text")], [[text]])])
    with open(paths["Cells"], encoding="utf-8-sig", newline="") as stream:
        [_header, [cell]] = list(csv.reader(stream))
    assert cell.startswith("'" + text[0])
    assert len(cell.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    if len(text.encode("utf-16-le")) // 2 + 1 <= EXCEL_CELL_LIMIT:
        assert cell == "'" + text
    else:
        assert cell.endswith("characters in all]")


# --- part folders ------------------------------------------------------------------------


def test_a_part_folder_in_use_is_kept_and_a_stale_one_removed(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    stale = tmp_path / ".out.xlsx.part-deadbeef"
    stale.mkdir()
    (stale / LOCK_NAME).write_text("")
    (stale / "sheet1.xml").write_text("<half")
    unrelated = tmp_path / ".notes.part-keep"  # not ours: no lock file, and recent
    unrelated.mkdir()
    with replacing(out) as temporary:
        assert temporary.parent.name.startswith(".out.xlsx.part-")
        assert not stale.exists()
        assert remove_stale_parts(tmp_path) == []  # the running export's folder is locked
        temporary.write_bytes(b"done")
    assert out.read_bytes() == b"done"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.part-keep", "out.xlsx"]


def _big_project(path: Path, documents: int) -> None:
    with Project(path, create=True, codebook=CLASHING) as project, project.session() as session:
        docs = DocumentRepository(session)
        for i in range(documents):
            docs.add(NewDocument(text=f"Item {i}: " + "Asim Munir spoke at length. " * 80, title=f"Doc {i}"))


def _export_command(project: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from annotator.app import main; sys.exit(main())",
            "export", str(project), str(out), *extra]


@pytest.mark.slow
def test_a_killed_export_leaves_one_part_folder_that_the_next_export_removes(tmp_path: Path) -> None:
    project = tmp_path / "big.annotator"
    _big_project(project, 6000)
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / "study.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(system_temp)}
    process = subprocess.Popen(_export_command(project, out, "--include-text"), env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            scratch = list(out_folder.glob(".study.xlsx.part-*/sheet1.xml"))
            if scratch and scratch[0].stat().st_size > 200_000:  # well into the Documents sheet
                break
            time.sleep(0.02)
        assert process.poll() is None, "the export ended before it could be killed: make the project bigger"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    left = sorted(p.name for p in out_folder.iterdir())
    assert len(left) == 1 and left[0].startswith(".study.xlsx.part-")
    assert list(system_temp.iterdir()) == []  # nothing in the system temp folder

    with Project(project) as opened:
        export_project(opened, out)
    assert sorted(p.name for p in out_folder.iterdir()) == ["study.xlsx"]
    assert list(system_temp.iterdir()) == []


# --- full disk -----------------------------------------------------------------------------

_LIMITED_EXPORT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from annotator.app import main
sys.exit(main(sys.argv[2:]))
"""


def _entity_heavy_project(path: Path) -> None:
    """Small on disk, big as an export: every entity row repeats its long sentence."""
    sentence = " ".join(f"Sharif{i % 10} said word{i}" for i in range(400)) + "."
    with Project(path, create=True, codebook=CLASHING) as project, project.session() as session:
        docs = DocumentRepository(session)
        spans = SpanRepository(session)
        for d in range(6):
            text = f"Doc {d}. {sentence}"
            doc = docs.add(NewDocument(text=text, title=f"Doc {d}"))
            start = 0
            for _ in range(150):
                start = text.index("Sharif", start + 1)
                spans.add(EntitySpan(document_id=doc, start=start, end=start + 7, text=text[start:start + 7],
                                     label="PERSON"))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE (POSIX)")
@pytest.mark.parametrize("out_name", ["study.xlsx", "csv-folder"])
def test_a_full_disk_gives_one_line_and_no_partial_file(tmp_path: Path, out_name: str) -> None:
    project = tmp_path / "heavy.annotator"
    _entity_heavy_project(project)
    limit = 2_000_000
    assert project.stat().st_size < limit // 2
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / out_name
    extra = ["--format", "csv"] if out_name == "csv-folder" else []
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED_EXPORT, str(limit), "export", str(project), str(out), *extra],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, timeout=300,
    )
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: error: ") and "cannot write the export" in lines[0]
    assert "larger than" in lines[0] and "was not written" in lines[0]
    if out_name == "study.xlsx":
        assert list(out_folder.iterdir()) == []
    else:  # the sheets written before the full one are complete files; no part is left
        assert not [p for p in out.iterdir() if ".part-" in p.name]


def test_a_save_failing_part_way_leaves_nothing_for_the_garbage_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive is half written when the disk fills up: it must be closed there and then,
    not left for ``ZipFile.__del__`` to finish (which printed a stray traceback)."""
    original = openpyxl.writer.excel.ExcelWriter.write_data

    def fill_up(self) -> None:
        self._archive.writestr("half.xml", b"x" * 10_000)
        raise OSError(errno.ENOSPC, "No space left on device")

    unraisable: list[object] = []
    monkeypatch.setattr(openpyxl.writer.excel.ExcelWriter, "write_data", fill_up)
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    out = tmp_path / "out.xlsx"
    with pytest.raises(ExportError, match="the disk is full; it was not written"):
        write_workbook(out, [Sheet("S", [Column("x")], [["1"]] * 10)])
    gc.collect()
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(openpyxl.writer.excel.ExcelWriter, "write_data", original)
