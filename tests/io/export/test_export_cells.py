"""The cell rules shared by the XLSX and CSV writers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from annotator.io.export.cells import (
    EXCEL_CELL_LIMIT,
    clean_text,
    convert,
    converter,
    csv_safe_text,
    looks_like_formula,
    to_boolean,
    to_date,
    to_datetime,
    to_integer,
    to_number,
    to_text,
)
from annotator.io.export.sheets import ColumnType


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ------------------------------------------------------------------------------ clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("a\x0bb", "ab"),
        ("a\x0cb", "ab"),
        ("a\x1fb", "ab"),
        ("a\ud800b", "ab"),
        ("a\udfffb", "ab"),
        ("a\ufffeb", "ab"),
        ("a\uffffb", "ab"),
        ("\x00\x01\x02\x03\x04\x05\x06\x07\x08", ""),
    ],
)
def test_clean_text_removes_characters_xml_forbids(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "text",
    ["tab\there", "line\nbreak", "carriage\rreturn", "وزیر اعظم", "总理", "🎉", "\u00a0nbsp", "é\u0301"],
)
def test_clean_text_keeps_allowed_characters(text: str) -> None:
    assert clean_text(text) == text


def test_clean_text_leaves_text_at_the_limit_alone() -> None:
    text = "x" * EXCEL_CELL_LIMIT
    assert clean_text(text) == text


def test_clean_text_cuts_long_text_with_a_marker() -> None:
    cut = clean_text("word " * 8000)  # 40,000 characters
    assert len(cut) <= EXCEL_CELL_LIMIT
    assert cut.endswith(" […cut: 40,000 characters in all]")
    assert cut.startswith("word word")


def test_clean_text_cut_counts_forbidden_characters_out_first() -> None:
    cut = clean_text("\x00" * 10_000 + "y" * 40_000)
    assert cut.endswith("[…cut: 40,000 characters in all]")
    assert "\x00" not in cut


def test_clean_text_counts_astral_characters_twice_like_excel() -> None:
    emoji = "🎉" * 20_000  # 20,000 code points, 40,000 UTF-16 code units
    cut = clean_text(emoji)
    assert utf16_length(cut) <= EXCEL_CELL_LIMIT
    assert cut.endswith("characters in all]")
    assert set(cut[: cut.index(" […cut")]) == {"🎉"}  # no half emoji
    cut.encode("utf-8")  # no lone surrogate left


def test_clean_text_cut_never_splits_a_surrogate_pair_at_the_boundary() -> None:
    for pad in range(4):
        cut = clean_text("a" * pad + "🎉" * 20_000)
        cut.encode("utf-8")
        assert utf16_length(cut) <= EXCEL_CELL_LIMIT


@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=200))
def test_clean_text_output_is_always_valid_xml_text(text: str) -> None:
    cleaned = clean_text(text)
    element = etree.Element("t")
    element.text = cleaned  # lxml raises ValueError for anything XML 1.0 forbids
    assert etree.fromstring(etree.tostring(element)).text in (cleaned, None)


# ------------------------------------------------------------------------------ injection


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_like_text_is_detected_and_prefixed_for_csv(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "plain", "1+1", " =x", "'=x", "#N/A", "وزیر"])
def test_harmless_text_is_left_alone(text: str) -> None:
    assert not looks_like_formula(text)
    assert csv_safe_text(text) == text


# ------------------------------------------------------------------------------ converters


def test_to_text() -> None:
    assert to_text(None) is None
    assert to_text("") is None
    assert to_text("a\x00") == "a"
    assert to_text(12) == "12"


def test_to_integer() -> None:
    assert to_integer(None) is None
    assert to_integer(-5) == -5
    assert to_integer(True) == 1
    assert to_integer(3.0) == 3 and type(to_integer(3.0)) is int
    assert to_integer(Decimal("7")) == 7
    assert to_integer(" 42 ") == 42
    assert to_integer("") is None
    assert to_integer(float("nan")) is None
    with pytest.raises(ValueError):
        to_integer(2.5)
    with pytest.raises(ValueError):
        to_integer("abc")
    with pytest.raises(TypeError):
        to_integer(date(2024, 1, 1))


def test_to_number() -> None:
    assert to_number(None) is None
    assert to_number(-5) == -5
    assert to_number(-2.5) == -2.5
    assert to_number(Decimal("0.25")) == 0.25
    assert to_number("1e3") == 1000.0
    assert to_number(float("nan")) is None
    assert to_number(float("inf")) is None
    assert to_number(False) == 0
    with pytest.raises(TypeError):
        to_number(object())


def test_to_datetime_converts_aware_values_to_naive_utc() -> None:
    karachi = timezone(timedelta(hours=5))
    assert to_datetime(datetime(2024, 3, 1, 10, 0, tzinfo=karachi)) == datetime(2024, 3, 1, 5, 0)
    assert to_datetime(datetime(2024, 3, 1, 10, 0)) == datetime(2024, 3, 1, 10, 0)
    assert to_datetime(date(2024, 3, 1)) == datetime(2024, 3, 1)
    assert to_datetime("2024-03-01T10:00:00+01:00") == datetime(2024, 3, 1, 9, 0)
    assert to_datetime(None) is None
    assert to_datetime(datetime(2024, 1, 1, tzinfo=UTC)).tzinfo is None
    with pytest.raises(ValueError):
        to_datetime("yesterday")


def test_to_date() -> None:
    assert to_date(date(2024, 3, 1)) == date(2024, 3, 1)
    assert type(to_date(datetime(2024, 3, 1, 23, 0))) is date
    late = datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert to_date(late) == date(2024, 3, 2)  # its UTC date
    assert to_date("2024-03-01") == date(2024, 3, 1)
    assert to_date("2024-03-01T12:00:00") == date(2024, 3, 1)
    assert to_date("") is None
    with pytest.raises(TypeError):
        to_date(20240301)


def test_to_boolean_gives_one_and_zero() -> None:
    assert to_boolean(True) == 1 and type(to_boolean(True)) is int
    assert to_boolean(False) == 0
    assert to_boolean(None) is None
    assert to_boolean(1) == 1
    assert to_boolean("Yes") == 1
    assert to_boolean("false") == 0
    with pytest.raises(ValueError):
        to_boolean(2)
    with pytest.raises(ValueError):
        to_boolean("maybe")


def test_converter_picks_by_type_and_accepts_plain_strings() -> None:
    assert converter(ColumnType.INTEGER) is to_integer
    assert converter("boolean") is to_boolean  # type: ignore[arg-type]
    assert convert(ColumnType.DATE, "2024-01-02") == date(2024, 1, 2)
