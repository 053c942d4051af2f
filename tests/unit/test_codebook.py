"""Codebook rules for every kind of claim variable, required fields and JSON round trips."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.domain.codebook import (
    is_complete,
    missing_required,
    normalize_value,
    normalize_values,
    validate_codebook,
)
from annotator.domain.codebook_json import codebook_to_json
from annotator.domain.errors import CodebookError
from annotator.domain.model import Claim, Codebook, EntityRef, Label
from annotator.io.codebook_json import codebook_from_json
from tests.conftest import SMALL_CODEBOOK


def field(name: str):  # type: ignore[no-untyped-def]
    found = SMALL_CODEBOOK.field(name)
    assert found is not None
    return found


def test_single_category_accepts_only_its_codes() -> None:
    assert normalize_value(field("form"), "demand") == "demand"
    with pytest.raises(CodebookError, match="form: 'protest' is not one of its values"):
        normalize_value(field("form"), "protest")


def test_multi_category_dedupes_and_keeps_codebook_order() -> None:
    assert normalize_value(field("frames"), ["rights", "security", "rights"]) == ("security", "rights")
    with pytest.raises(CodebookError):
        normalize_value(field("frames"), ["war"])


def test_scale_is_bounded_and_whole() -> None:
    assert normalize_value(field("position"), "-1") == -1.0
    with pytest.raises(CodebookError, match="above its maximum"):
        normalize_value(field("position"), 2)
    with pytest.raises(CodebookError, match="whole steps"):
        normalize_value(field("position"), 0.5)


def test_number_refuses_text_and_nan() -> None:
    assert normalize_value(field("amount"), "2.5") == 2.5
    for bad in ("many", float("nan")):
        with pytest.raises(CodebookError, match="not a number"):
            normalize_value(field("amount"), bad)


def test_boolean_date_text_and_entity() -> None:
    assert normalize_value(field("anonymous"), "yes") is True
    assert normalize_value(field("anonymous"), False) is False
    with pytest.raises(CodebookError):
        normalize_value(field("anonymous"), "maybe")
    assert normalize_value(field("claim_date"), "2024-06-22") == date(2024, 6, 22)
    with pytest.raises(CodebookError, match="not a date"):
        normalize_value(field("claim_date"), "22/06/2024")
    assert normalize_value(field("note"), "memo") == "memo"
    ref = EntityRef(span_id=3, text="Sharif")  # type: ignore[arg-type]
    assert normalize_value(field("claimant"), ref) == ref
    with pytest.raises(CodebookError, match="link to an entity"):
        normalize_value(field("claimant"), "Sharif")


def test_empty_values_are_dropped_and_unknown_variables_refused() -> None:
    assert normalize_values(SMALL_CODEBOOK, {"note": "", "frames": []}) == {}
    with pytest.raises(CodebookError, match="not a variable"):
        normalize_values(SMALL_CODEBOOK, {"colour": "red"})


def test_required_fields_decide_completeness() -> None:
    claim = Claim(document_id=1, start=0, end=4, text="Text", values={"form": "statement"})  # type: ignore[arg-type]
    assert missing_required(SMALL_CODEBOOK, claim) == ["claimant", "position"]
    assert not is_complete(SMALL_CODEBOOK, claim)
    full = Claim(
        document_id=1, start=0, end=4, text="Text",  # type: ignore[arg-type]
        values={"form": "statement", "position": 1.0, "claimant": EntityRef(None, "Sharif")},
    )
    assert is_complete(SMALL_CODEBOOK, full)  # the claimant's text survives its entity
    flagged = Claim(**{**full.__dict__, "needs_review": True})
    assert not is_complete(SMALL_CODEBOOK, flagged)


def test_codebook_json_round_trip() -> None:
    again = codebook_from_json(codebook_to_json(SMALL_CODEBOOK))
    assert [lb.name for lb in again.labels] == [lb.name for lb in SMALL_CODEBOOK.labels]
    assert again.fields == SMALL_CODEBOOK.fields


def test_codebook_errors_name_the_source() -> None:
    with pytest.raises(CodebookError, match=r"team\.json: not valid JSON"):
        codebook_from_json("{", "team.json")
    with pytest.raises(CodebookError, match="appears twice"):
        validate_codebook(Codebook(labels=(Label("A", "#000000"), Label("A", "#111111"))))
    bad = codebook_to_json(SMALL_CODEBOOK).replace('"kind": "text"', '"kind": "essay"')
    with pytest.raises(CodebookError, match=r"team\.json: claim_variables\[3\]\.kind must be one of single"):
        codebook_from_json(bad, "team.json")
