"""Zip bombs and huge inputs stay within bounded memory (issue 9, point 4).

The bombs are built in tmp_path (see ``zip_bombs``): about a megabyte on disk, hundreds of
megabytes to a gigabyte expanded. Each is imported by the real command in a subprocess,
which reports its own peak memory (VmHWM, else ``ru_maxrss``): the file is refused with its reason and
the process stays far below the 1 GB any single import may take.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from annotator.domain.errors import ImportFileError
from annotator.io.importers import ImportOptions, read_articles
from annotator.io.importers.zip_limits import LIMITS, ZipLimits
from tests.faults.zip_bombs import MB, Member, members_of, swollen, write_zip

REPO = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 300  # an import must stay under 1 GB; these refusals need a fraction of it
PARAGRAPH = b"<w:p><w:r><w:t>" + b"All work and no play makes Jack a dull boy. " * 20 + b"</w:t></w:r></w:p>"

IMPORT_AND_MEASURE = textwrap.dedent(
    """
    import resource, sys
    from annotator.app import main

    def peak_mb():
        # Linux keeps ru_maxrss across exec, so a child of a big pytest process starts out
        # "big"; the high-water mark of this process's own memory (VmHWM) does not.
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)

    code = main(sys.argv[1:])
    print(f"peak_mb={peak_mb():.0f}", file=sys.stderr)
    sys.exit(code)
    """
)


def import_command(*args: str) -> tuple[int, list[str], float]:
    """Run `annotator import ...` in a fresh process: exit code, stderr lines, peak memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_MEASURE, "import", *args],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    lines = done.stderr.rstrip().splitlines()
    peak = float(lines[-1].removeprefix("peak_mb="))
    return done.returncode, lines[:-1], peak


def word_package(text: str = "Hello") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel_package() -> bytes:
    workbook = Workbook()
    workbook.active.append(["title", "text"])
    workbook.active.append(["One", "CELL"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_docx_bomb_is_refused_before_parsing_in_little_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "report.docx"
    write_zip(bomb, swollen(word_package(), "word/document.xml", b"<w:body>", PARAGRAPH, 400))
    assert bomb.stat().st_size < 2 * MB  # 400 MB of XML inside

    code, err, peak = import_command(str(tmp_path / "study.annotator"), str(bomb))

    assert code == 1
    assert len(err) == 1
    assert re.fullmatch(
        rf"  failed  {re.escape(str(bomb))}: expands to 40\d\.\d MB \(compression ratio \d+:1\), "
        "refused as a possible zip bomb", err[0],
    )
    assert peak < PEAK_LIMIT_MB


def test_an_xlsx_bomb_with_a_one_gigabyte_cell_is_refused_in_little_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "survey.xlsx"
    cell = b'<c r="B2" t="inlineStr"><is><t>'  # the text of the one article
    write_zip(bomb, swollen(excel_package(), "xl/worksheets/sheet1.xml", cell, b"A" * 4096, 1024))
    assert bomb.stat().st_size < 2 * MB

    code, err, peak = import_command(str(tmp_path / "study.annotator"), str(bomb))

    assert code == 1
    assert len(err) == 1
    assert re.fullmatch(
        rf"  failed  {re.escape(str(bomb))}: expands to 1\.0 GB \(compression ratio 10\d\d:1\), "
        "refused as a possible zip bomb", err[0],
    )
    assert peak < PEAK_LIMIT_MB


def test_sizes_declared_too_small_do_not_let_a_bomb_through(tmp_path: Path) -> None:
    """A package may understate a member's size. zipfile hands out no more than the declared
    size, but inflates all the data first (888 MB for this file before the check inflated
    each member itself, a piece at a time, counting)."""
    liar = tmp_path / "liar.docx"
    members = swollen(word_package(), "word/document.xml", b"<w:body>", PARAGRAPH, 400)
    write_zip(liar, [Member(m.name, m.head, m.chunk, m.repeat, m.tail, declared_size=4096)
                     if m.repeat else m for m in members])

    code, err, peak = import_command(str(tmp_path / "study.annotator"), str(liar))

    assert code == 1
    assert err == [f"  failed  {liar}: is damaged (a part holds more than the package declares); "
                   "refused as a possible zip bomb"]
    assert peak < PEAK_LIMIT_MB


def test_a_text_file_over_the_limit_is_refused_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:  # sparse: 3 GB long, nothing on disk
        out.truncate(3 * 1024 * MB)

    code, err, peak = import_command(str(tmp_path / "study.annotator"), str(huge))

    assert code == 1
    assert err == [f"  failed  {huge}: the file is 3.0 GB, over the import limit of 50.0 MB; "
                   "split it into smaller files"]
    assert peak < PEAK_LIMIT_MB


# -- the limits, one by one, on small packages ----------------------------------------------------
def random_text(size: int) -> str:
    rng = random.Random(3)
    words = ["budget", "minister", "river", "council", "Zürich", "police", "water", "court"]
    parts, length = [], 0
    while length < size:
        word = rng.choice(words) + rng.choice(["", "s", "ed", "ing"])
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)


def test_a_part_too_big_to_parse_is_refused_even_if_it_compresses_normally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(LIMITS, ".docx", ZipLimits(max_part=MB))
    big = tmp_path / "book.docx"
    big.write_bytes(word_package(random_text(2 * MB)))
    with pytest.raises(ImportFileError) as refused:
        read_articles(big)
    assert refused.value.reason.startswith("expands to more than 1.0 MB (word/document.xml alone is 2.0 MB")
    assert "split the document" in refused.value.reason


def test_a_package_expanding_past_the_total_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(LIMITS, ".docx", ZipLimits(max_part=MB, max_total=2 * MB))
    package = tmp_path / "photos.docx"
    members = [*members_of(word_package()), Member("word/media/image1.png", random.Random(1).randbytes(3 * MB))]
    write_zip(package, members)
    with pytest.raises(ImportFileError, match=r"expands to 3\.\d MB, more than 2\.0 MB .*zip bomb"):
        read_articles(package)


def test_a_package_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "many.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(LIMITS[".xlsx"].max_members + 1):
            archive.writestr(f"xl/p{i}.xml", b"")
    package.write_bytes(buffer.getvalue())
    with pytest.raises(ImportFileError, match="holds more than 10,000 parts"):
        read_articles(package)


def test_small_parts_that_compress_very_well_are_not_taken_for_bombs(tmp_path: Path) -> None:
    """Real styles and repeated table rows can compress 100:1 or more: below a megabyte that is fine."""
    document = tmp_path / "repeated.docx"
    members = members_of(word_package())
    body = next(m for m in members if m.name == "word/document.xml")
    cut = body.head.index(b"<w:body>") + len(b"<w:body>")
    rows = Member(body.name, body.head[:cut], PARAGRAPH * 100, 8, body.head[cut:])
    write_zip(document, [rows if m is body else m for m in members])
    with zipfile.ZipFile(document) as package:
        part = package.getinfo(body.name)
    assert part.file_size < MB and part.file_size / part.compress_size > 100
    (article,) = read_articles(document)
    assert article.text.count("Jack") == 20 * 800


def test_the_import_limit_holds_for_the_expanded_text(tmp_path: Path) -> None:
    options = ImportOptions(max_bytes=200 * 1024)
    document = tmp_path / "long.docx"
    document.write_bytes(word_package(random_text(300 * 1024)))
    assert document.stat().st_size < options.max_bytes  # the file itself is within the limit
    with pytest.raises(ImportFileError) as refused:
        read_articles(document, options)
    assert refused.value.reason == (
        "its text is more than 200.0 KB, over the import limit; split it into smaller files"
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_table_of_too_many_rows_is_refused_before_it_fills_memory(tmp_path: Path, suffix: str) -> None:
    """Each row becomes an article held until the file is stored: a 50 MB file of tiny rows
    (3.5 million) would take gigabytes; it stops at the row limit instead (492 MB measured)."""
    from annotator.io.importers.options import MAX_ROWS_PER_FILE

    table = tmp_path / f"tweets{suffix}"
    rows = range(MAX_ROWS_PER_FILE + 1)
    if suffix == ".csv":
        table.write_text("title,text\n" + "".join(f"{i},w{i}\n" for i in rows), encoding="utf-8")
    else:
        table.write_text("".join(f'{{"text": "w{i}"}}\n' for i in rows), encoding="utf-8")
    unit = "row" if suffix == ".csv" else "line"
    with pytest.raises(ImportFileError) as refused:
        read_articles(table)
    assert refused.value.reason == f"has more than 200,000 {unit}s; split it into smaller files"
