"""Entity suggestions: label mapping, patterns, offsets, multiprocessing, the real model."""

from __future__ import annotations

import multiprocessing

import pytest

from annotator.domain.model import Pattern
from annotator.nlp.annotate import EntityGuess, annotate_texts, map_entities
from annotator.nlp.models import load_ner_pipeline
from tests.nlp.conftest import LABEL_MAP, MODEL, blank_pipeline

# --- map_entities (pure) -----------------------------------------------------------------


def test_spacy_labels_map_to_project_labels_and_unmapped_are_dropped() -> None:
    ents = [
        (0, 5, "Lahore", "GPE"),
        (6, 11, "Indus", "LOC"),
        (12, 20, "Mangla Dam", "FAC"),
        (21, 26, "three", "CARDINAL"),
        (27, 33, "Sharif", "PERSON"),
    ]
    label_map = {"GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION", "PERSON": "PERSON"}
    guesses = map_entities(ents, label_map, set())
    assert [(g.text, g.label) for g in guesses] == [
        ("Lahore", "LOCATION"),
        ("Indus", "LOCATION"),
        ("Mangla Dam", "LOCATION"),
        ("Sharif", "PERSON"),
    ]


def test_ruler_labels_pass_through_unmapped() -> None:
    guesses = map_entities([(0, 9, "Operation", "OPERATION"), (10, 13, "ISI", "ORG")], {}, {"OPERATION"})
    assert guesses == [EntityGuess(0, 9, "Operation", "OPERATION")]


def test_whitespace_is_trimmed_and_empty_entities_dropped() -> None:
    text = "met  Sharif\n\nin"
    ents = [(4, 13, " Sharif\n\n", "PERSON"), (11, 13, "\n\n", "PERSON")]
    assert text[4:13] == " Sharif\n\n"
    guesses = map_entities(ents, {"PERSON": "PERSON"}, set())
    assert guesses == [EntityGuess(5, 11, "Sharif", "PERSON")]
    assert text[5:11] == "Sharif"


# --- annotate_texts on a blank pipeline with a ruler (no model needed) --------------------


def test_phrase_and_token_patterns(blank) -> None:
    text = "Shehbaz Sharif met Asim Munir in Islamabad before Operation Zarb began."
    [(key, guesses)] = list(annotate_texts(blank, [("doc-1", text)], LABEL_MAP))
    assert key == "doc-1"
    assert [(g.text, g.label) for g in guesses] == [
        ("Shehbaz Sharif", "PERSON"),
        ("Asim Munir", "PERSON"),
        ("Islamabad", "LOCATION"),
        ("Operation Zarb", "OPERATION"),
    ]
    for g in guesses:
        assert text[g.start : g.end] == g.text


def test_phrase_patterns_match_exact_text(blank) -> None:
    [(_, guesses)] = list(annotate_texts(blank, [(1, "islamabad and ISLAMABAD")], LABEL_MAP))
    assert guesses == []


def test_entity_ending_in_whitespace_is_trimmed_end_to_end() -> None:
    pipeline = blank_pipeline((Pattern("PERSON", ({"LOWER": "sharif"}, {"IS_SPACE": True})),))
    text = "Sharif\nspoke."  # one line break: a blank line would end the paragraph before it
    [(_, guesses)] = list(annotate_texts(pipeline, [(1, text)], {}))
    assert guesses == [EntityGuess(0, 6, "Sharif", "PERSON")]


def test_astral_characters_before_an_entity_keep_code_point_offsets(blank) -> None:
    text = "🎉🇵🇰 𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠: Shehbaz Sharif arrived in Islamabad 🚀."
    [(_, guesses)] = list(annotate_texts(blank, [(1, text)], LABEL_MAP))
    assert [g.text for g in guesses] == ["Shehbaz Sharif", "Islamabad"]
    for g in guesses:
        assert text[g.start : g.end] == g.text
    assert guesses[0].start == text.index("Shehbaz")


def test_keys_come_back_in_order_with_empty_texts(blank) -> None:
    texts = [(i, "" if i % 3 == 0 else f"Asim Munir, item {i}") for i in range(40)]
    results = list(annotate_texts(blank, texts, LABEL_MAP, batch_size=4))
    assert [k for k, _ in results] == list(range(40))
    assert all((guesses == []) == (k % 3 == 0) for k, guesses in results)


def _corpus() -> list[tuple[tuple[str, int], str]]:
    base = [
        "Shehbaz Sharif met Asim Munir in Islamabad.",
        "Operation Zarb ended; 🎉 Asim Munir thanked the troops.",
        "Nothing to see here.",
        "",
    ]
    return [(("doc", i), base[i % len(base)] + f" ({i})") for i in range(60)]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_two_processes_give_the_same_result_as_one(blank, start_method: str) -> None:
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    one = list(annotate_texts(blank, _corpus(), LABEL_MAP, batch_size=8, n_process=1))
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(start_method, force=True)
    try:
        two = list(annotate_texts(blank, _corpus(), LABEL_MAP, batch_size=8, n_process=2))
    finally:
        multiprocessing.set_start_method(previous, force=True)
    assert two == one
    assert sum(len(g) for _, g in one) > 60


# --- the real small model -----------------------------------------------------------------

NEWS = (
    "Prime Minister Shehbaz Sharif met Army Chief Asim Munir in Islamabad on Saturday. "
    "The two discussed the security situation in Balochistan, where attacks on "
    "Chinese workers have increased. Finance Minister Muhammad Aurangzeb later told "
    "reporters in Karachi that talks with the International Monetary Fund would resume next week."
)


def _names(guesses: list[EntityGuess], label: str) -> set[str]:
    return {g.text for g in guesses if g.label == label}


@pytest.mark.slow
def test_real_model_finds_the_persons(ner_sm) -> None:
    [(_, guesses)] = list(annotate_texts(ner_sm, [(1, NEWS)], LABEL_MAP))
    assert {"Shehbaz Sharif", "Asim Munir", "Muhammad Aurangzeb"} <= _names(guesses, "PERSON")
    assert {"Islamabad", "Karachi"} <= _names(guesses, "LOCATION")
    assert "the International Monetary Fund" in _names(guesses, "ORGANISATION") or (
        "International Monetary Fund" in _names(guesses, "ORGANISATION")
    )
    for g in guesses:
        assert NEWS[g.start : g.end] == g.text


@pytest.mark.slow
def test_ner_only_pipeline_finds_the_same_entities_as_the_full_one(ner_sm, full_sm) -> None:
    texts = [NEWS, "Troops were deployed in Gilgit Baltistan on Monday.", "🎉 " + NEWS.upper(), NEWS[::-1]]
    for text in texts:
        full = [(e.start_char, e.end_char, e.label_) for e in full_sm(text).ents]
        ner_only = [(e.start_char, e.end_char, e.label_) for e in ner_sm.nlp(text).ents]
        assert ner_only == full


@pytest.mark.slow
def test_pattern_wins_over_the_statistical_model(ner_sm) -> None:
    deployed = "Troops were deployed in Gilgit Baltistan on Monday."
    government = "The government of Gilgit Baltistan announced new elections."
    # What the small model says on its own: FAC (a building!) in one, ORG in the other.
    assert next((e.text, e.label_) for e in ner_sm.nlp(deployed).ents) == ("Gilgit Baltistan", "FAC")
    assert [(e.text, e.label_) for e in ner_sm.nlp(government).ents] == [("Gilgit Baltistan", "ORG")]
    [(_, plain)] = list(annotate_texts(ner_sm, [(1, government)], LABEL_MAP))
    assert [(g.text, g.label) for g in plain] == [("Gilgit Baltistan", "ORGANISATION")]

    pipeline = load_ner_pipeline(MODEL, [Pattern("LOCATION", "Gilgit Baltistan")])
    no_fac = {k: v for k, v in LABEL_MAP.items() if k != "FAC"}
    results = dict(annotate_texts(pipeline, [(1, deployed), (2, government)], no_fac))
    assert [(g.text, g.label) for g in results[1]] == [("Gilgit Baltistan", "LOCATION"), ("Monday", "DATE")]
    assert [(g.text, g.label) for g in results[2]] == [("Gilgit Baltistan", "LOCATION")]


@pytest.mark.slow
def test_token_pattern_and_model_together_in_two_processes() -> None:
    patterns = [
        Pattern("LOCATION", "Gilgit Baltistan"),
        Pattern("OPERATION", ({"LOWER": "operation"}, {"IS_TITLE": True})),
    ]
    pipeline = load_ner_pipeline(MODEL, patterns)
    texts = [
        (i, f"Operation Zarb began as Shehbaz Sharif flew to Gilgit Baltistan on day {i}.") for i in range(24)
    ]
    one = list(annotate_texts(pipeline, texts, LABEL_MAP, batch_size=4))
    two = list(annotate_texts(pipeline, texts, LABEL_MAP, batch_size=4, n_process=2))
    assert two == one
    labels = {(g.text, g.label) for g in one[0][1]}
    assert {
        ("Operation Zarb", "OPERATION"),
        ("Gilgit Baltistan", "LOCATION"),
        ("Shehbaz Sharif", "PERSON"),
    } <= labels
