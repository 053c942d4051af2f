"""Claimant candidates: the pure ranking, and real sentences parsed by the small model."""

from __future__ import annotations

import pytest

from annotator.domain.errors import SpanError
from annotator.nlp.claimant import Speaker, claimant_candidates, context_window, rank_candidates

PREFERRED = ("PERSON", "ORGANISATION")


def _setup(
    text: str, claim: str, entities: list[tuple[str, str]]
) -> tuple[int, int, list[tuple[int, int, str]]]:
    start = text.index(claim)
    spans = []
    for surface, label in entities:
        s = text.index(surface)
        spans.append((s, s + len(surface), label))
    return start, start + len(claim), spans


# --- pure ranking ----------------------------------------------------------------------


def test_speaker_head_first_then_phrase_then_nearest() -> None:
    # claim at 47-58; offsets only, no text needed
    entities = [
        (0, 6, "PERSON"),  # far before the claim
        (20, 25, "ORGANISATION"),  # in the speaker phrase, not its head
        (30, 35, "PERSON"),  # the speaker's head
        (40, 45, "LOCATION"),  # nearest, but not a preferred label
        (50, 55, "PERSON"),  # inside the claim
        (60, 64, "ORGANISATION"),  # just after the claim
    ]
    speaker = Speaker(start=18, end=36, head_start=30, head_end=35, cue="say")
    assert rank_candidates(entities, [speaker], 47, 58, PREFERRED) == [2, 1, 5, 0, 4]
    assert rank_candidates(entities, [], 47, 58, PREFERRED) == [5, 2, 1, 0, 4]


def test_speaker_head_of_any_label_counts() -> None:
    entities = [(0, 8, "LOCATION"), (20, 26, "PERSON")]
    speaker = Speaker(0, 8, 0, 8, "say")
    assert rank_candidates(entities, [speaker], 30, 40, PREFERRED) == [0, 1]


def test_context_window_is_the_paragraph() -> None:
    text = "First paragraph here.\nSecond one, with the claim in it.\nThird."
    start = text.index("the claim")
    lo, hi = context_window(text, start, start + 9)
    assert text[lo:hi] == "Second one, with the claim in it."


def test_context_window_cuts_at_whitespace() -> None:
    text = "word " * 100 + "CLAIM" + " word" * 100
    start = text.index("CLAIM")
    lo, hi = context_window(text, start, start + 5, margin=22)
    assert text[lo:hi] == "word word word word CLAIM word word word word"


def test_claim_outside_the_text_is_refused() -> None:
    with pytest.raises(SpanError):
        claimant_candidates(None, "short", 3, 10, [])  # type: ignore[arg-type]


# --- real sentences -----------------------------------------------------------------------


@pytest.mark.slow
def test_subject_of_a_reporting_verb(parser_sm) -> None:
    text = (
        "Prime Minister Sharif, speaking after meeting the IMF delegation, "
        "emphasized that Operation X would be pivotal."
    )
    start, end, entities = _setup(
        text,
        "Operation X would be pivotal",
        [("IMF", "ORGANISATION"), ("Sharif", "PERSON"), ("Operation X", "OPERATION")],
    )
    ranked = claimant_candidates(parser_sm, text, start, end, entities, PREFERRED)
    assert ranked[0] == 1  # Sharif, although the IMF is nearer the claim


@pytest.mark.slow
def test_short_sentence_subject(parser_sm) -> None:
    text = "Prime Minister Sharif emphasized that Operation X would be pivotal."
    start, end, entities = _setup(
        text, "Operation X would be pivotal", [("Operation X", "OPERATION"), ("Sharif", "PERSON")]
    )
    assert claimant_candidates(parser_sm, text, start, end, entities, PREFERRED) == [1]


@pytest.mark.slow
def test_subject_after_the_verb(parser_sm) -> None:
    text = 'The talks were broken off by Iberia. "We will not back down," said union leader Maria Lopez.'
    start, end, entities = _setup(
        text, "We will not back down", [("Iberia", "ORGANISATION"), ("Maria Lopez", "PERSON")]
    )
    ranked = claimant_candidates(parser_sm, text, start, end, entities, PREFERRED)
    assert ranked[0] == 1  # Maria Lopez, although Iberia is nearer the claim


@pytest.mark.slow
def test_according_to(parser_sm) -> None:
    text = "According to the ministry, prices will rise in Karachi, a blow to Sharif."
    start, end, entities = _setup(
        text,
        "prices will rise in Karachi",
        [("Sharif", "PERSON"), ("Karachi", "LOCATION"), ("the ministry", "ORGANISATION")],
    )
    ranked = claimant_candidates(parser_sm, text, start, end, entities, PREFERRED)
    assert ranked == [2, 0]


@pytest.mark.slow
def test_reporting_verb_inside_the_claim_ranks_after_the_one_outside(parser_sm) -> None:
    text = "Modi was mentioned twice. Sharif said that Modi had warned of war."
    start, end, entities = _setup(text, "Modi had warned of war", [("Modi", "PERSON"), ("Sharif", "PERSON")])
    entities.append((text.rindex("Modi"), text.rindex("Modi") + 4, "PERSON"))
    ranked = claimant_candidates(parser_sm, text, start, end, entities, PREFERRED)
    assert ranked[0] == 1


@pytest.mark.slow
def test_passive_agent_and_conjoined_verb(parser_sm) -> None:
    text = "The new tariffs were announced by the Ministry of Commerce on Friday, hurting Toyota."
    start, end, entities = _setup(
        text, "The new tariffs", [("Toyota", "ORGANISATION"), ("the Ministry of Commerce", "ORGANISATION")]
    )
    assert claimant_candidates(parser_sm, text, start, end, entities, PREFERRED)[0] == 1

    text = "Reporters waited. Khan arrived in Lahore and told them that the election was rigged."
    start, end, entities = _setup(text, "the election was rigged", [("Khan", "PERSON")])
    assert claimant_candidates(parser_sm, text, start, end, entities, PREFERRED) == [0]


@pytest.mark.slow
def test_only_the_claims_paragraph_is_parsed_but_all_entities_are_ranked(parser_sm) -> None:
    text = "Imran Khan addressed the rally.\n\nThe elections were rigged, he said."
    start, end, entities = _setup(text, "The elections were rigged", [("Imran Khan", "PERSON")])
    assert claimant_candidates(parser_sm, text, start, end, entities, PREFERRED) == [0]
