"""Offset rules: property tests over arbitrary text, including astral characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.errors import OverlapError, SpanError
from annotator.domain.model import EntitySpan
from annotator.domain.spans import (
    check_no_overlap,
    find_overlap,
    occurrences,
    overlaps,
    resize_by_token,
    sentence_bounds,
    snap_to_tokens,
    tokens,
    validate_offsets,
)

TEXT = st.text(
    alphabet=st.sampled_from([*list("ab cé\n.,'-"), "😀", "𝒳", "ب", "中"]), min_size=0, max_size=60
)


@given(TEXT, st.integers(-5, 70), st.integers(-5, 70))
def test_validate_accepts_exactly_the_valid_offsets(text: str, start: int, end: int) -> None:
    valid = 0 <= start < end <= len(text)
    if valid:
        validate_offsets(text, start, end, text[start:end])
    else:
        with pytest.raises(SpanError):
            validate_offsets(text, start, end)


@given(TEXT.filter(lambda t: len(t) >= 2), st.data())
def test_validate_refuses_a_wrong_snapshot(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    snapshot = text[start:end]
    validate_offsets(text, start, end, snapshot)
    with pytest.raises(SpanError):
        validate_offsets(text, start, end, snapshot + "x")


def test_offsets_are_code_points_not_utf16_units() -> None:
    text = "😀 Sharif spoke"
    start = text.index("Sharif")
    assert start == 2  # one code point for the emoji, though Qt counts two UTF-16 units
    validate_offsets(text, start, start + 6, "Sharif")


@given(st.integers(0, 20), st.integers(1, 10), st.integers(0, 20), st.integers(1, 10))
def test_overlap_is_symmetric_and_matches_set_intersection(a: int, la: int, b: int, lb: int) -> None:
    expected = bool(set(range(a, a + la)) & set(range(b, b + lb)))
    assert overlaps(a, a + la, b, b + lb) is expected
    assert overlaps(b, b + lb, a, a + la) is expected


def test_touching_spans_do_not_overlap_and_overlapping_ones_are_refused() -> None:
    spans = [EntitySpan(document_id=1, start=0, end=5, text="Alpha", label="PERSON", id=7)]  # type: ignore[arg-type]
    check_no_overlap(spans, 5, 9)
    with pytest.raises(OverlapError) as info:
        check_no_overlap(spans, 4, 9)
    assert "overlaps" in str(info.value)
    assert find_overlap(spans, 2, 3, ignore=7) is None  # a span never collides with itself


@given(TEXT, st.integers(0, 60), st.integers(0, 60))
def test_snapping_gives_whole_tokens_covering_the_selection(text: str, a: int, b: int) -> None:
    snapped = snap_to_tokens(text, a, b)
    if snapped is None:
        return
    start, end = snapped
    validate_offsets(text, start, end)
    token_starts = {s for s, _ in tokens(text)}
    token_ends = {e for _, e in tokens(text)}
    assert start in token_starts and end in token_ends
    assert not text[start].isspace() and not text[end - 1].isspace()


def test_snap_takes_the_whole_word_under_a_sloppy_selection() -> None:
    text = "Prime Minister Shehbaz Sharif said."
    assert snap_to_tokens(text, 17, 27) == (15, 29)  # "ehbaz Shar" -> "Shehbaz Sharif"
    assert snap_to_tokens(text, 17, 25) == (15, 22)  # "ehbaz Sh": Sharif only grazed
    assert snap_to_tokens(text, 14, 16) == (15, 22)  # leading space dropped
    assert snap_to_tokens("   ", 0, 3) is None


def test_snap_with_astral_characters() -> None:
    text = "🎉🎉 Zürich 中国 news"
    start, end = snap_to_tokens(text, 4, 6)  # type: ignore[misc]
    assert text[start:end] == "Zürich"
    start, end = snap_to_tokens(text, 10, 11)  # type: ignore[misc]
    assert text[start:end] == "中国"


def test_resize_by_token_grows_and_shrinks_either_edge() -> None:
    text = "the Prime Minister of Pakistan spoke"
    s, e = text.index("Minister"), text.index("Minister") + len("Minister")
    assert text[slice(*resize_by_token(text, s, e, "start", grow=True))] == "Prime Minister"
    assert text[slice(*resize_by_token(text, s, e, "end", grow=True))] == "Minister of"
    s2, e2 = text.index("Prime"), text.index(" spoke")
    assert text[slice(*resize_by_token(text, s2, e2, "start", grow=False))] == "Minister of Pakistan"
    assert text[slice(*resize_by_token(text, s2, e2, "end", grow=False))] == "Prime Minister of"
    # a one-token span cannot shrink to nothing
    assert resize_by_token(text, s, e, "end", grow=False) == (s, e)


@given(TEXT, st.data())
def test_resize_keeps_spans_valid(text: str, data: st.DataObject) -> None:
    toks = tokens(text)
    if not toks:
        return
    s, e = data.draw(st.sampled_from(toks))
    edge = data.draw(st.sampled_from(["start", "end"]))
    grow = data.draw(st.booleans())
    start, end = resize_by_token(text, s, e, edge, grow)
    validate_offsets(text, start, end)


def test_sentence_bounds_keeps_quotes_and_stops_at_line_breaks() -> None:
    text = 'He left. "We will not back down," she said. Then\nanother line.'
    start, end = sentence_bounds(text, text.index("back"))
    assert text[start:end] == '"We will not back down," she said.'
    start, end = sentence_bounds(text, text.index("another"))
    assert text[start:end] == "another line."


def test_occurrences_on_word_boundaries() -> None:
    text = "Sharif met Sharifa and Sharif."
    assert occurrences(text, "Sharif") == [(0, 6), (23, 29)]
    assert occurrences(text, "") == []


@given(st.text(alphabet=st.sampled_from([*list('ab .!?\n"”。'), "۔"]), max_size=80))
def test_fast_sentence_starts_agree_with_the_pattern(text: str) -> None:
    from annotator.domain.spans import _SENTENCE_END, sentence_starts

    assert sentence_starts(text) == [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
