"""The shared helpers: dates, values as text, decoding candidates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from annotator.domain.errors import ImportFileError
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import date_fields, normalise_newlines, parse_date, to_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T10:30:00+01:00", date(2024, 3, 5)),
        ("2024-03-05 10:30", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("5 March 2024", date(2024, 3, 5)),
        ("5 Mar 2024", date(2024, 3, 5)),
        ("March 5, 2024", date(2024, 3, 5)),
        ("Mar 5, 2024", date(2024, 3, 5)),
        ("Tuesday, March 5, 2024", date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:30:00 +0000", date(2024, 3, 5)),
        ("  2024-03-05  ", date(2024, 3, 5)),
        ("25/03/2024", date(2024, 3, 25)),  # only a day can be 25
        ("03/25/2024", date(2024, 3, 25)),
        ("05/05/2024", date(2024, 5, 5)),
        ("05/03/2024", None),  # 5 March or May 3? left for the researcher
        ("2024-02-30", None),
        ("spring 2024", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected


def test_date_fields_keep_what_they_cannot_read() -> None:
    assert date_fields("05/03/2024") == (None, {"date_raw": "05/03/2024"})
    assert date_fields(datetime(2024, 3, 5, 12, 0)) == (date(2024, 3, 5), {})
    assert date_fields(date(2024, 3, 5)) == (date(2024, 3, 5), {})
    assert date_fields(None) == (None, {})
    assert date_fields("  ") == (None, {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("a\r\nb", "a\nb"),
        (3, "3"),
        (3.0, "3"),
        (2.5, "2.5"),
        (True, "true"),
        (datetime(2024, 3, 5), "2024-03-05"),
        (datetime(2024, 3, 5, 9, 15), "2024-03-05T09:15:00"),
        (["a", "ü"], '["a", "ü"]'),
        ({"k": 1}, '{"k": 1}'),
    ],
)
def test_to_text(value: object, expected: str) -> None:
    assert to_text(value) == expected


def test_only_crlf_and_cr_are_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\nd\u2028e\u2029f") == "a\nb\nc\nd\u2028e\u2029f"


def test_a_decoding_with_nul_characters_is_rejected_for_the_next_candidate() -> None:
    data = "Ascii only, but UTF-16.".encode("utf-16-le")
    assert data.decode("utf-8").count("\x00") > 10  # what a naive importer would keep
    assert decode_text(data, Path("x.txt")).text == "Ascii only, but UTF-16."


def test_declared_charset_comes_before_utf8_and_detection() -> None:
    data = "Žluťoučký kůň".encode("cp1250")
    assert decode_text(data, Path("x.html"), declared="cp1250").text == "Žluťoučký kůň"


def test_declared_charset_that_does_not_fit_falls_back_to_detection() -> None:
    data = "Grüße".encode()
    assert decode_text(data, Path("x.html"), declared="ascii").text == "Grüße"


def test_nul_bytes_in_every_candidate_mean_binary() -> None:
    with pytest.raises(ImportFileError, match="binary file"):
        decode_text(b"abc\x00\x00\x00\x01\x02def\x00" * 10, Path("x.txt"))
