"""A stand-in for a statistical NER model: spacy.blank("en") with a ruler playing the model.

It predicts fixed spaCy labels, so tests of the pre-annotation rules run in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy

from annotator.domain.model import Pattern
from annotator.nlp.models import NerPipeline

MODEL_GUESSES = [
    {"label": "PERSON", "pattern": "Shehbaz Sharif"},
    {"label": "PERSON", "pattern": "Asim Munir"},
    {"label": "GPE", "pattern": "Islamabad"},
    {"label": "ORG", "pattern": "Gilgit Baltistan"},  # what the small model gets wrong
    {"label": "CARDINAL", "pattern": "three"},
    {"label": "ORG", "pattern": "Army"},
]


def fake_loader(name: str = "fake_model", patterns: Sequence[Pattern] = ()) -> NerPipeline:
    nlp = spacy.blank("en")
    model = nlp.add_pipe("entity_ruler", name="fake_model_ner")
    model.add_patterns(MODEL_GUESSES)  # type: ignore[attr-defined]
    return NerPipeline.from_language(nlp, "fake_model", "1.0", patterns=patterns)
