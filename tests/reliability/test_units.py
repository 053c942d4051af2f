"""How coders' entities and claims become units: the matching rules."""

from __future__ import annotations

from annotator.domain.agreement.tokens import token_labels, tokenize
from annotator.domain.agreement.units import (
    CodedEntity,
    entity_clusters,
    entity_pair_counts,
    match_claims,
    match_overlap,
    unit_pair_counts,
)
from annotator.domain.ids import DocumentId

DOC = DocumentId(1)


def units_of(layers):  # type: ignore[no-untyped-def]
    return match_claims(DOC, {c: [(s, e, f"{c}{s}") for s, e in spans] for c, spans in layers.items()})


def test_claims_overlapping_by_half_the_shorter_are_one_unit() -> None:
    # bob's 0-10 shares 5 of its 10 characters with alice's 5-40: exactly half of the shorter
    (unit,) = units_of({"alice": [(5, 40)], "bob": [(0, 10)]})
    assert set(unit.items) == {"alice", "bob"} and (unit.start, unit.end) == (0, 40)


def test_claims_overlapping_by_less_than_half_are_two_units() -> None:
    units = units_of({"alice": [(6, 40)], "bob": [(0, 10)]})  # 4 of 10
    assert [set(u.items) for u in units] == [{"bob"}, {"alice"}]


def test_a_unit_holds_at_most_one_claim_per_coder_best_overlap_first() -> None:
    # alice split what bob coded as one claim: bob's claim goes with the better-covered half
    units = units_of({"alice": [(0, 30), (30, 40)], "bob": [(0, 40)]})
    assert [(u.start, u.end, sorted(u.items)) for u in units] == [
        (0, 40, ["alice", "bob"]), (30, 40, ["alice"]),
    ]
    assert units[0].items["alice"] == "alice0"


def test_three_coders_join_one_unit_and_an_unmatched_claim_stands_alone() -> None:
    units = units_of({"a": [(0, 20), (50, 60)], "b": [(2, 20)], "c": [(0, 18)]})
    assert [sorted(u.items) for u in units] == [["a", "b", "c"], ["a"]]
    assert unit_pair_counts(units, "a", "b").f1 == 2 * 1 / (2 + 1)
    assert unit_pair_counts(units, "b", "c").f1 == 1.0


def test_claims_of_one_coder_never_match_each_other() -> None:
    units = units_of({"a": [(0, 20), (5, 20)]})
    assert len(units) == 2


def test_exact_and_overlap_entity_matching() -> None:
    alice = [CodedEntity(0, 12, "PERSON"), CodedEntity(20, 26, "LOCATION"), CodedEntity(30, 35, "ORG")]
    bob = [CodedEntity(0, 12, "PERSON"), CodedEntity(20, 24, "LOCATION"), CodedEntity(30, 35, "PERSON")]
    counts = entity_pair_counts(alice, bob)
    exact, loose = counts[None]
    assert (exact.matched, loose.matched) == (1, 2)  # a label that differs never matches
    assert exact.f1 == 2 * 1 / 6 and loose.f1 == 2 * 2 / 6
    assert counts["LOCATION"][0].f1 == 0.0 and counts["LOCATION"][1].f1 == 1.0
    assert counts["ORG"][0].first == 1 and counts["ORG"][0].second == 0


def test_overlap_matching_is_one_to_one() -> None:
    # bob's one entity overlaps two of alice's: it matches one of them only (the larger overlap)
    alice = [CodedEntity(0, 5, "PERSON"), CodedEntity(6, 14, "PERSON")]
    bob = [CodedEntity(0, 14, "PERSON")]
    assert match_overlap(alice, bob) == 1
    assert entity_pair_counts(alice, bob)[None][1].f1 == 2 * 1 / 3


def test_entity_clusters_group_what_shares_text() -> None:
    groups = entity_clusters({
        "a": [CodedEntity(0, 5, "PERSON"), CodedEntity(10, 15, "ORG")],
        "b": [CodedEntity(3, 12, "PERSON")],  # bridges both of a's
        "c": [CodedEntity(20, 25, "ORG")],
    })
    assert [sorted(g) for g in groups] == [["a", "b"], ["c"]]
    assert len(groups[0]["a"]) == 2


def test_tokens_are_words_and_single_marks_with_code_point_offsets() -> None:
    text = "Sharif's army — 20% in Lahore. 🙂 Ok"
    tokens = tokenize(text)
    assert [text[s:e] for s, e in tokens] == [
        "Sharif", "'", "s", "army", "—", "20", "%", "in", "Lahore", ".", "🙂", "Ok",
    ]
    labels = token_labels(tokens, [(0, 8, "PERSON"), (23, 29, "LOCATION")])
    assert labels == ["PERSON", "PERSON", "PERSON", None, None, None, None, None, "LOCATION", None, None, None]


def test_a_token_partly_covered_takes_the_label() -> None:
    tokens = tokenize("New Yorkers cheered")
    assert token_labels(tokens, [(0, 8, "LOCATION")]) == ["LOCATION", "LOCATION", None]
