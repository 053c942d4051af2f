"""Reading a document's details as typed: dates, URLs, one-line values."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.domain.document_details import DocumentDetails, as_text, parse_detail
from annotator.domain.errors import DocumentDetailsError
from annotator.domain.model import ClaimField, FieldKind


@pytest.mark.parametrize(
    ("name", "typed", "value"),
    [
        ("published", "2024-03-05", date(2024, 3, 5)),
        ("published", " ", None),
        ("url", "https://www.dawn.com/news/1", "https://www.dawn.com/news/1"),
        ("url", "", None),
        ("source", "  The   Express\nTribune ", "The Express Tribune"),
        ("section", "", None),
        ("title", "", ""),
    ],
)
def test_typed_values_are_read(name: str, typed: str, value: object) -> None:
    assert parse_detail(name, typed) == value


@pytest.mark.parametrize(
    ("name", "typed", "says"),
    [
        ("published", "05/03/2024", "YYYY-MM-DD"),
        ("published", "2024-02-30", "real day"),
        ("published", "20240305", "YYYY-MM-DD"),
        ("url", "www.dawn.com", "http:// or https://"),
        ("url", "ftp://files.example.org/a", "http:// or https://"),
        ("url", "https://", "http:// or https://"),
    ],
)
def test_wrong_values_are_refused_with_the_expected_form(name: str, typed: str, says: str) -> None:
    with pytest.raises(DocumentDetailsError, match=says) as raised:
        parse_detail(name, typed)
    assert typed.strip() in str(raised.value)


def test_details_change_and_show_as_text() -> None:
    details = DocumentDetails(title="Floods", source="Dawn")
    changed = details.with_changes({"published": date(2024, 3, 5), "source": None})
    assert changed == DocumentDetails(title="Floods", published=date(2024, 3, 5))
    assert as_text(changed.published) == "2024-03-05" and as_text(changed.source) == ""
    with pytest.raises(KeyError):
        details.with_changes({"text": "no"})


def test_a_variable_is_named_as_the_form_names_it() -> None:
    assert ClaimField("claimant_type", FieldKind.SINGLE).display_name == "claimant type"
    assert ClaimField("note", FieldKind.TEXT).display_name == "note"


def test_a_value_that_does_not_fit_names_the_variable_as_the_form_does() -> None:
    from annotator.domain.codebook import normalize_value
    from annotator.domain.errors import CodebookError
    from annotator.domain.model import CategoryValue

    field = ClaimField("claimant_type", FieldKind.SINGLE, values=(CategoryValue("state"),))
    with pytest.raises(CodebookError) as raised:
        normalize_value(field, "party")
    assert str(raised.value) == "claimant type: 'party' is not one of its values"
