"""Issue 9 point 9: text is decoded as a browser would, and every repair is reported.

A few stray bytes in a UTF-8 article are replaced by U+FFFD (with a warning), not taken as
a sign that the whole file is in another charset; a whole cp1252 file is still recognised;
a few NUL bytes are dropped with a warning, while a binary file is still refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.errors import ImportFileError
from annotator.io.importers import read_articles
from annotator.io.importers.decoding import decode_text
from annotator.services.importing import Outcome, run_import
from tests.io.importers.helpers import fixture, read_one, refused

ZURICH = "Der Bürgermeister von Zürich sagte am Montag, die Straßenbahn fahre wieder."


def test_one_stray_byte_in_utf8_is_replaced_not_turned_into_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ZURICH.encode().replace(b"Montag", b"Montag\xff"))
    article = read_one(path)
    assert article.text == ZURICH.replace("Montag", "Montag\ufffd")
    assert "Ã" not in article.text
    assert article.warnings == ("1 byte was not valid UTF-8 and was replaced by \ufffd",)


def test_declared_utf8_page_with_stray_cp1252_bytes(tmp_path: Path) -> None:
    """As the real German blog page: UTF-8 declared, umlauts in UTF-8, pasted cp1252 quotes and dashes."""
    body = (
        "<p>Die Gemeinderätin äußerte sich über die Öffnungszeiten der Bücherei.</p>"
        "<p>Sie sagte: \x84Wir öffnen früher\x93 und fügte hinzu, es sei \x96 wie immer \x96 knapp.</p>"
    )
    page = (
        '<html><head><meta charset="utf-8"><title>Bücherei öffnet früher</title></head><body><article>'
        "<h1>Bücherei öffnet früher</h1>" + body + "</article></body></html>"
    )
    data = page.encode("utf-8")
    for stray in (b"\xc2\x84", b"\xc2\x93", b"\xc2\x96"):  # the same characters as bare cp1252 bytes
        data = data.replace(stray, stray[1:])
    path = tmp_path / "blog.html"
    path.write_bytes(data)
    article = read_one(path)
    assert "Die Gemeinderätin äußerte sich über die Öffnungszeiten der Bücherei." in article.text
    assert "\ufffdWir öffnen früher\ufffd" in article.text
    assert "Ã" not in article.text
    assert article.title == "Bücherei öffnet früher"
    assert article.warnings == ("4 bytes were not valid UTF-8 and were replaced by \ufffd",)


def test_replacement_follows_the_whatwg_rule_one_character_per_broken_sequence() -> None:
    # a truncated 3-byte sequence (e2 82) is one maximal subpart: one U+FFFD, two bytes counted
    decoded = decode_text("Preis: 5 € oder ü".encode().replace(b"\xe2\x82\xac", b"\xe2\x82"), Path("x.txt"))
    assert decoded.text == "Preis: 5 \ufffd oder ü"
    assert decoded.warnings == ("2 bytes were not valid UTF-8 and were replaced by \ufffd",)


def test_a_whole_cp1252_file_is_still_recognised_and_the_guess_is_said() -> None:
    article = read_one(fixture("cp1252.txt"))
    assert article.text.startswith("L’été à Paris\nLe café coûte 5 € de plus")
    assert "\ufffd" not in article.text
    assert article.warnings == (
        "is not UTF-8: it was read as windows-1252, a guess; check accented letters",
    )


def test_clean_utf8_has_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text(ZURICH, encoding="utf-8")
    assert read_one(path).warnings == ()


def test_two_stray_nul_bytes_are_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes((ZURICH + "\n").encode() * 5 + b"Ende\x00 der\x00 Meldung.")
    article = read_one(path)
    assert article.text.endswith("Ende der Meldung.")
    assert "\x00" not in article.text
    assert article.warnings == ("2 NUL bytes (invisible control characters) were removed",)


def test_a_binary_file_is_still_refused() -> None:
    refused(fixture("image.txt"), "binary file")


def test_random_bytes_with_few_nuls_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 97 + 13) % 256 for i in range(4096)))
    with pytest.raises(ImportFileError, match=r"binary file|cannot be decoded"):
        read_articles(path)


def test_the_import_summary_carries_the_warning_to_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ZURICH.encode().replace(b"Montag", b"Montag\xff\xfe\xfd"))
    project = tmp_path / "study.annotator"
    assert run(["import", str(project), str(path)], open_gui=lambda request: 0) == 0
    out = capsys.readouterr().out
    assert "Imported 1 document(s) from 1 file(s)" in out
    assert f"  warning {path}: 3 bytes were not valid UTF-8 and were replaced by \ufffd" in out


def test_the_service_result_lists_the_warnings_once_per_file(project, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes("title;text\nEins;Zürich ist schön\nZwei;Straße\xff".encode().replace(b"\xc3\xbf", b"\xff"))
    report = run_import(project, [path])
    [result] = report.results
    assert result.outcome is Outcome.IMPORTED and result.documents == 2
    assert result.warnings == ("1 byte was not valid UTF-8 and was replaced by \ufffd",)
    assert report.warned == [result]
