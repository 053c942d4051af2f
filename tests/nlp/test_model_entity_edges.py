"""Issue 10.1: the model's entities are trimmed by the rule manual entities follow."""

from __future__ import annotations

from annotator.domain.spans import entity_range
from annotator.nlp.annotate import map_entities

TEXT = "Read more: Shehbaz Sharif Visits Fazl’s House, said “Azm-e-Istehkam,” in the U.S. today."


def ent(text: str, label: str) -> tuple[int, int, str, str]:
    start = TEXT.index(text)
    return start, start + len(text), text, label


def test_model_entities_lose_possessives_and_edge_punctuation_like_manual_ones() -> None:
    raw = [
        ent("Fazl’s", "PERSON"),
        ent(": Shehbaz Sharif", "PERSON"),
        ent("“Azm-e-Istehkam,”", "ORG"),
        ent("the U.S.", "GPE"),
        ent(", ", "PERSON"),  # nothing left: dropped
    ]
    guesses = map_entities(raw, {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOCATION"}, frozenset())
    assert [(g.text, g.label) for g in guesses] == [
        ("Fazl", "PERSON"), ("Shehbaz Sharif", "PERSON"), ("Azm-e-Istehkam", "ORG"),
        ("the U.S.", "LOCATION"),
    ]
    for guess in guesses:
        assert TEXT[guess.start : guess.end] == guess.text
        # the same words selected by hand make the same entity
        assert entity_range(TEXT, guess.start, guess.end) == (guess.start, guess.end)
