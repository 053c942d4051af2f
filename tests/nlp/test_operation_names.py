"""Issue 10 point 2: operation names are suggested whole, and the codebook's patterns leave the
model's other predictions as the model made them (real model, sentences in the style of public
government releases)."""

from __future__ import annotations

import pytest

from annotator.domain.model import Pattern
from annotator.nlp.models import NerPipeline, load_ner_pipeline
from annotator.services.resources import default_codebook
from tests.nlp.conftest import MODEL, blank_pipeline

SENTENCES = {
    "Operation Inherent Resolve": (
        "The coalition said Operation Inherent Resolve had trained 15,000 Iraqi soldiers in Baghdad since 2016."
    ),
    "Operation Steel Curtain": (
        "U.S. Marines launched Operation Steel Curtain near Husaybah on November 5, 2005, "
        "the Department of Defense said."
    ),
    "Operation Azm-e-Istehkam": (
        "Pakistan's army began Operation Azm-e-Istehkam in the north after Prime Minister Shehbaz Sharif approved it."
    ),
}
# Capitalised words right after a name are not part of it; a model entity the name cuts keeps
# what is still a name outside it.
NEIGHBOURS = (
    ("Combined Joint Task Force Operation Inherent Resolve Commander Lt. Gen. Paul Funk said on Tuesday "
     "that ISIS remains a threat.", "Operation Inherent Resolve"),
    ("During Operation Steel Curtain Iraqi Army soldiers fought alongside the 3rd Battalion, 6th Marines.",
     "Operation Steel Curtain"),
    ("Officials from Operation Inherent Resolve Headquarters met Kurdish Peshmerga leaders in Erbil.",
     "Operation Inherent Resolve"),
)


@pytest.fixture(scope="module")
def with_patterns() -> NerPipeline:
    return load_ner_pipeline(MODEL, default_codebook().patterns)


def entities(pipeline: NerPipeline, text: str) -> list[tuple[int, int, str, str]]:
    return [(e.start_char, e.end_char, e.text, e.label_) for e in pipeline.nlp(text).ents]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SENTENCES))
def test_operation_names_are_suggested_whole(with_patterns: NerPipeline, name: str) -> None:
    found = entities(with_patterns, SENTENCES[name])
    assert [(text, label) for _, _, text, label in found if label == "OPERATION"] == [(name, "OPERATION")]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name"), [*((s, n) for n, s in SENTENCES.items()), *NEIGHBOURS])
def test_the_models_other_predictions_stay_as_it_made_them(
    ner_sm: NerPipeline, with_patterns: NerPipeline, text: str, name: str
) -> None:
    start = text.index(name)
    end = start + len(name)
    model = entities(ner_sm, text)
    merged = entities(with_patterns, text)
    assert (start, end, name, "OPERATION") in merged
    untouched = [e for e in model if e[1] <= start or e[0] >= end]
    assert untouched and all(e in merged for e in untouched)


@pytest.mark.slow
def test_a_model_entity_the_name_cuts_keeps_the_name_outside_it(ner_sm, with_patterns) -> None:
    text = NEIGHBOURS[0][0]
    assert ("Joint Task Force Operation Inherent Resolve", "ORG") in [(t, lb) for _, _, t, lb in entities(ner_sm, text)]
    found = [(t, lb) for _, _, t, lb in entities(with_patterns, text)]
    assert ("Joint Task Force", "ORG") in found
    assert ("Operation Inherent Resolve", "OPERATION") in found
    assert not any("Commander" in t for t, _ in found)


def test_the_longest_match_wins_and_cut_model_entities_keep_only_what_is_still_a_name() -> None:
    from spacy.tokens import Span

    pipeline = blank_pipeline((
        Pattern("OPERATION", ({"ORTH": "Operation"}, {"IS_TITLE": True, "OP": "{1,2}"})),
        Pattern("LOCATION", "Islamabad"),
    ))
    doc = pipeline.nlp.make_doc(
        "The Joint Task Force Operation Inherent Resolve Headquarters left Islamabad with the Red Crescent."
    )
    doc.ents = [Span(doc, 0, 8, label="ORG"), Span(doc, 11, 14, label="ORG")]  # as a model might
    for _, component in pipeline.nlp.pipeline:
        doc = component(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Joint Task Force", "ORG"),  # "The" is not kept, "Headquarters" alone is no name
        ("Operation Inherent Resolve", "OPERATION"),
        ("Islamabad", "LOCATION"),
        ("the Red Crescent", "ORG"),  # untouched: exactly as the model made it
    ]
