"""The text of a disagreement on screen: each coder's version, what differs in red."""

from __future__ import annotations

from annotator.domain.adjudication import UnitKind, document_units
from annotator.domain.ids import DocumentId
from annotator.domain.model import Claim, EntitySpan
from annotator.ui.adjudication.versions import key_hints, version_html

TEXT = "Khan demanded new elections."
DOC = DocumentId(1)


def test_an_entity_whose_label_differs_is_captioned_in_red() -> None:
    alice = [EntitySpan(DOC, 0, 4, "Khan", "PERSON", annotator="alice")]
    bob = [EntitySpan(DOC, 0, 4, "Khan", "ORG", annotator="bob")]
    [unit] = document_units(DOC, ["alice", "bob"], {"alice": alice, "bob": bob}, {})
    assert unit.kind is UnitKind.ENTITY and not unit.agreed
    html = version_html(TEXT, unit, "alice", "#FCE1A4")
    assert "#FCE1A4" in html and "<b>Khan</b>" in html and 'color:#B00020">PERSON' in html


def test_a_claim_shows_its_values_and_marks_the_differing_ones() -> None:
    alice = [Claim(DOC, 0, 28, TEXT, {"form": "demand", "frames": ("security",)}, annotator="alice")]
    bob = [Claim(DOC, 0, 28, TEXT, {"form": "statement", "frames": ("security",)}, annotator="bob")]
    [unit] = document_units(DOC, ["alice", "bob"], {}, {"alice": alice, "bob": bob})
    html = version_html(TEXT, unit, "bob", "#C6E5F8")
    assert '<b style="color:#B00020">statement</b>' in html
    assert "<td>security</td>" in html  # the same for both: not marked
    [only_alice] = document_units(DOC, ["alice", "bob"], {}, {"alice": alice})
    assert "no claim here" in version_html(TEXT, only_alice, "bob", "#C6E5F8")


def test_the_hints_name_the_coders_keys() -> None:
    assert key_hints({0: "alice", 1: "bob"}).startswith("1/A take alice's · 2/B take bob's · D drop")
