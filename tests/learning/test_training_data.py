"""Issue 15.1: which documents and entities a training learns from."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.services.project import Project
from annotator.services.training_data import (
    DISAGREEING,
    NOT_ADJUDICATED_DONE,
    TrainingData,
    gather,
    model_labels,
)
from tests.learning.corpus import CODEBOOK, add_span, make_study, set_status


def _study(tmp_path: Path) -> tuple[Project, list]:
    return make_study(tmp_path / "study.annotator", n=6, done=0)


def test_only_documents_marked_done_count_with_their_accepted_entities(tmp_path: Path) -> None:
    project, ids = _study(tmp_path)
    with project:
        add_span(project, ids[0], 0, 3, "PERSON", "alice")
        add_span(project, ids[0], 4, 9, "ORG", "alice", SpanStatus.REJECTED)
        add_span(project, ids[0], 10, 14, "ORG", None, SpanStatus.SUGGESTED)  # pending: not used
        set_status(project, ids[0], "alice", DocumentStatus.DONE)
        add_span(project, ids[1], 0, 3, "PERSON", "alice")
        set_status(project, ids[1], "alice", DocumentStatus.IN_PROGRESS)
        data = gather(project)
    assert [d for d, _t in data.documents] == [ids[0]]
    assert data.documents[0][1].entities == ((0, 3, "PERSON"),)  # rejected and pending left out
    assert data.label_counts() == {"PERSON": 1}


def test_the_final_layer_wins_once_it_is_done_and_an_unfinished_adjudication_is_left_out(tmp_path: Path) -> None:
    project, ids = _study(tmp_path)
    with project:
        for doc in ids[:2]:
            add_span(project, doc, 0, 3, "PERSON", "alice")
            set_status(project, doc, "alice", DocumentStatus.DONE)
            add_span(project, doc, 0, 3, "ORG", FINAL_LAYER)
        set_status(project, ids[0], FINAL_LAYER, DocumentStatus.DONE)
        data = gather(project)
    assert [(d, t.entities) for d, t in data.documents] == [(ids[0], ((0, 3, "ORG"),))]
    assert data.left_out == {NOT_ADJUDICATED_DONE: 1}


def test_coders_who_finished_a_document_differently_are_left_out_and_agreeing_ones_used(tmp_path: Path) -> None:
    project, ids = _study(tmp_path)
    with project:
        for coder in ("alice", "bob"):
            add_span(project, ids[0], 0, 3, "PERSON", coder)  # they agree
            set_status(project, ids[0], coder, DocumentStatus.DONE)
            set_status(project, ids[1], coder, DocumentStatus.DONE)
        add_span(project, ids[1], 0, 3, "PERSON", "alice")
        add_span(project, ids[1], 0, 3, "ORG", "bob")  # they disagree
        data = gather(project)
    assert [d for d, _t in data.documents] == [ids[0]]
    assert data.left_out == {DISAGREEING: 1}


def test_project_labels_are_learnt_under_their_spacy_label_or_their_own_name() -> None:
    assert model_labels(CODEBOOK) == {"PERSON": "PERSON", "ORG": "ORG", "LOCATION": "GPE", "PARTY": "PARTY"}


def test_a_label_may_be_learnt_under_any_spacy_label_that_maps_back_to_it() -> None:
    data = TrainingData(as_model=model_labels(CODEBOOK))
    equivalents = data.equivalents(CODEBOOK)
    assert equivalents["GPE"] == tuple(next(lb for lb in CODEBOOK.labels if lb.name == "LOCATION").spacy_labels)
    assert equivalents["PARTY"] == ()
