"""Issue 15.3/15.6: the project suggests with its trained model, decisions survive the switch
and a re-run, and a corrupt or missing model falls back to the base model with a clear message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.services.project_model import MODEL_IN_USE_SETTING, model_in_use, use_model
from annotator.storage.repositories import SpanRepository
from tests.learning.conftest import TrainedStudy
from tests.learning.corpus import add_span, set_status


@pytest.fixture
def study(trained_study: TrainedStudy, tmp_path: Path) -> Path:
    """A copy of the trained study with its models folder (the setting's path is relative)."""
    path = tmp_path / "study.annotator"
    shutil.copy(trained_study.path, path)
    shutil.copytree(trained_study.path.with_name("study.annotator.models"), tmp_path / "study.annotator.models")
    return path


def _spans(project: Project, doc: int) -> list:
    with project.read_session() as session:
        return SpanRepository(session).for_document(doc)  # type: ignore[arg-type]


def test_decisions_survive_a_switch_of_model_and_a_re_run(study: Path) -> None:
    with Project(study) as project:
        trained = model_in_use(project)
        assert trained is not None
        use_model(project, None)  # first the base model suggests
        run_to_end(Preannotator(project).run())
        new_docs = [31, 32, 33]
        decided = {}
        for doc in new_docs:
            suggestions = [s for s in _spans(project, doc) if s.annotator is None]
            assert suggestions
            first = suggestions[0]  # alice rejects the base model's first suggestion
            decided[doc] = add_span(project, doc, first.start, first.end, first.label, "alice", SpanStatus.REJECTED)
        set_status(project, 31, "alice", DocumentStatus.DONE)  # finished: the new model leaves it alone
        set_status(project, 32, "alice", DocumentStatus.IN_PROGRESS)
        before_done = _spans(project, 31)

        use_model(project, trained)  # the switch
        annotator = Preannotator(project)
        assert annotator.model_name() == str(trained.path)
        pending = annotator.pending()
        assert 31 not in pending and 32 in pending and 33 in pending
        summary = run_to_end(annotator.run())
        assert summary.model_name.startswith("en_trained_") and not annotator.fallback
        assert summary.suggestions_by_label.get("PARTY", 0) > 0  # the study's own label, learnt

        assert _spans(project, 31) == before_done
        for doc in new_docs:
            spans = _spans(project, doc)
            own = [s for s in spans if s.annotator == "alice"]
            assert own == [decided[doc]]  # the decision, untouched
            if doc == 31:
                continue  # not re-run: its rows are as they were (checked above)
            shared = [s for s in spans if s.annotator is None]
            assert shared and all(s.model_name.startswith("en_trained_") for s in shared)
            assert not [s for s in shared if s.start < decided[doc].end and decided[doc].start < s.end]
        # a second run finds nothing left to do
        assert Preannotator(project).pending() == []


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_corrupt_or_missing_model_falls_back_to_the_base_model_with_a_message(
    study: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project(study) as project:
        trained = model_in_use(project)
        assert trained is not None
    if damage == "missing":
        shutil.rmtree(trained.path)
    else:
        (trained.path / "config.cfg").write_text("[nlp\nthis is not a config", encoding="utf-8")
    with Project(study) as project:
        annotator = Preannotator(project)
        annotator.pending()
        assert annotator.fallback.startswith("The trained model could not be used")
        assert "base model en_core_web_sm" in annotator.fallback and "\n" not in annotator.fallback
        assert not annotator.using_trained()
        summary = run_to_end(annotator.run())
        assert summary.model_name.startswith("en_core_web_sm") and summary.documents == 40
    assert run(["preannotate", str(study)], lambda request: 0) == 0
    err = capsys.readouterr().err
    assert "annotator: warning: The trained model could not be used" in err


def test_a_damaged_setting_means_no_trained_model(study: Path) -> None:
    with Project(study) as project:
        project.set_setting(MODEL_IN_USE_SETTING, "{not json")
        assert model_in_use(project) is None
        assert not Preannotator(project).using_trained()
        project.set_setting(MODEL_IN_USE_SETTING, json.dumps({"nopath": 1}))
        assert model_in_use(project) is None


def test_a_new_model_must_also_beat_the_trained_model_in_use(study: Path) -> None:
    from annotator.nlp.models import NerPipeline, load_ner_pipeline
    from annotator.services.training import Trainer, TrainingOptions

    with Project(study) as project:
        current = model_in_use(project)
        assert current is not None

        def fake_train(base: str, train: object, dev: object, out: Path, **kw: object) -> bool:
            out.mkdir(parents=True)
            (out / "meta.json").write_text("{}", encoding="utf-8")
            return True

        def loader(name: str, patterns):  # type: ignore[no-untyped-def]
            if name == str(current.path) or not Path(name).exists():
                return load_ner_pipeline(name, patterns)  # the model in use, or the base package
            import spacy

            return NerPipeline.from_language(spacy.blank("en"), "blank", "0")  # the new one finds nothing

        report = Trainer(project, loader=loader, trainer=fake_train).run(TrainingOptions(seed=5))
        assert report.in_use is not None and report.in_use.overall.f1 > report.base.overall.f1
        assert not report.better and not report.kept
        assert "the trained model in use until now" in "\n".join(report.table())
        assert model_in_use(project) == current  # unchanged
