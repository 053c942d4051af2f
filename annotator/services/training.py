"""Train a project model from the coders' corrections (issue 15.2): the use case.

One run: gather the finished documents (:mod:`annotator.services.training_data`), hold out an
evaluation share (chosen at random with ``seed``), fine-tune the base model's recognizer on
the rest (:func:`annotator.nlp.training.train_ner`, early stopping on the held-out share),
score base and trained model on the held-out share as pre-annotation would suggest (project
labels, codebook patterns included), and keep the trained model, and use it, only if its
overall F1 is higher (or when asked to keep it). Kept models live in ``PROJECT.models/``.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Event

from annotator.domain.errors import ModelError, TrainingError
from annotator.domain.model import Pattern
from annotator.domain.training import Figures, TrainingStep, comparison_table
from annotator.nlp.models import NerPipeline, find_default_model, load_ner_pipeline
from annotator.nlp.scoring import score_pipeline
from annotator.nlp.training import TrainingText, train_ner, update_meta
from annotator.services.preannotate import MODEL_SETTING
from annotator.services.project import Project
from annotator.services.project_model import (
    TRAINED_AT_SETTING,
    TrainedModel,
    finished_count,
    model_in_use,
    new_model_path,
    use_model,
)
from annotator.services.training_data import TrainingData, gather

#: Fewest finished documents worth training on (some are held out to evaluate).
MIN_DOCUMENTS = 5


@dataclass(frozen=True)
class TrainingOptions:
    base: str | None = None
    eval_share: float = 0.2
    max_minutes: float | None = None
    seed: int = 0
    keep: bool = False


@dataclass
class TrainingReport:
    base_name: str = ""
    train_docs: int = 0
    eval_docs: int = 0
    label_counts: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    base: Figures = field(default_factory=Figures)
    trained: Figures | None = None
    #: The project's trained model in use before this training, on the same held-out documents
    #: (None when there was none, or it could not be loaded).
    in_use: Figures | None = None
    cancelled: bool = False
    kept: bool = False
    path: str = ""
    minutes: float = 0.0

    @property
    def better(self) -> bool:
        """Better overall than the base model and than the trained model in use, if any."""
        if self.trained is None:
            return False
        rival = max(self.base.overall.f1, self.in_use.overall.f1 if self.in_use is not None else 0.0)
        return self.trained.overall.f1 > rival

    def table(self) -> list[str]:
        lines = comparison_table(self.base, self.trained or Figures(), "base model", "trained model")
        if self.in_use is not None:
            lines.append(f"(the trained model in use until now: overall F1 {self.in_use.overall.f1:.3f} "
                         "on the same documents)")
        return lines

    def verdict(self) -> str:
        if self.cancelled:
            return "Training cancelled: nothing was kept; the project's model is unchanged."
        assert self.trained is not None
        base, trained = self.base.overall.f1, self.trained.overall.f1
        if self.in_use is not None and self.in_use.overall.f1 >= base:
            base = self.in_use.overall.f1  # the model to beat is the one in use
        if self.kept and self.better:
            return (f"The trained model is better (F1 {trained:.3f} against {base:.3f}): kept in {self.path} "
                    "and used from now on for documents not yet decided.")
        if self.kept:
            return (f"The trained model is NOT better (F1 {trained:.3f} against {base:.3f}) but was kept as "
                    f"asked (--keep): {self.path}, used from now on.")
        return (f"The trained model is not better (F1 {trained:.3f} against {base:.3f}): it was "
                "discarded; the project's model is unchanged.")


def split(ids: Sequence[int], share: float, seed: int) -> tuple[set[int], set[int]]:
    """(train, held out): ``share`` of the documents held out, chosen with ``seed``."""
    if not 0 < share < 1:
        raise TrainingError(f"The evaluation share must be between 0% and 100%, not {share:.0%}.")
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    held = min(max(1, round(len(order) * share)), len(order) - 1)
    return set(order[held:]), set(order[:held])


class Trainer:
    """Runs on one thread (never the GUI's); ``loader`` and ``trainer`` are spaCy's by default."""

    def __init__(
        self,
        project: Project,
        loader: Callable[[str, Sequence[Pattern]], NerPipeline] = load_ner_pipeline,
        trainer: Callable[..., bool] = train_ner,
    ) -> None:
        self.project = project
        self._loader = loader
        self._trainer = trainer

    def base_name(self, options: TrainingOptions) -> str:
        return options.base or self.project.setting(MODEL_SETTING) or find_default_model()

    def data(self) -> TrainingData:
        data = gather(self.project)
        if len(data.documents) < MIN_DOCUMENTS:
            raise TrainingError(
                f"{self.project.path}: only {len(data.documents)} document(s) are finished; training "
                f"needs at least {MIN_DOCUMENTS} (mark documents done once their entities are checked)."
            )
        return data

    def run(
        self,
        options: TrainingOptions = TrainingOptions(),
        on_step: Callable[[TrainingStep], None] = lambda step: None,
        cancel: Event | None = None,
    ) -> TrainingReport:
        started = time.monotonic()
        data = self.data()
        codebook = self.project.codebook()
        train_ids, eval_ids = split([d for d, _t in data.documents], options.eval_share, options.seed)
        train = [t for d, t in data.documents if d in train_ids]
        held = [t for d, t in data.documents if d in eval_ids]
        base_name = self.base_name(options)
        report = TrainingReport(base_name, len(train), len(held), data.label_counts(), dict(data.left_out))
        label_map = codebook.spacy_label_map()
        report.base = score_pipeline(self._loader(base_name, codebook.patterns), held, label_map)
        report.in_use = self._score_in_use(held, label_map)
        out = new_model_path(self.project)
        meta = self._meta(data, report, out)
        done = self._trainer(
            base_name, [data.for_model(t) for t in train], [data.for_model(t) for t in held], out,
            seed=options.seed, max_minutes=options.max_minutes, on_step=on_step, cancel=cancel, meta=meta,
            equivalents=data.equivalents(codebook),
        )
        if not done:
            report.cancelled = True
            report.minutes = (time.monotonic() - started) / 60
            return report
        own = data.own_labels()
        trained = self._loader(str(out), codebook.patterns)
        report.trained = score_pipeline(trained, held, {**own, **label_map})
        report.minutes = (time.monotonic() - started) / 60
        if report.better or options.keep:
            report.kept, report.path = True, str(out)
            update_meta(out, {"annotator": {**meta["annotator"], "figures": report.trained.to_json(),
                                            "base_figures": report.base.to_json()}})
            self._use(out, trained.model_name, report, own)
        else:
            shutil.rmtree(out, ignore_errors=True)
        # automatic training counts newly finished documents from here, kept or not
        self.project.set_setting(TRAINED_AT_SETTING, str(finished_count(self.project)))
        return report

    def _score_in_use(self, held: list[TrainingText], label_map: dict[str, str]) -> Figures | None:
        """The trained model in use, scored on this training's held-out documents (it may have
        learnt from some of them, which flatters it: a new model must beat it all the same)."""
        current = model_in_use(self.project)
        if current is None:
            return None
        try:
            pipeline = self._loader(str(current.path), self.project.codebook().patterns)
        except ModelError:
            return None  # gone or broken: the base model is what suggests now
        return score_pipeline(pipeline, held, {**current.labels, **label_map})

    def _meta(self, data: TrainingData, report: TrainingReport, out: Path) -> dict[str, object]:
        study = self.project.setting("study_id") or ""
        return {
            "name": f"trained_{out.name.replace('-', '_')}",
            "version": "1.0.0",
            "description": f"Entity recognizer of {self.project.path.name} trained from its coders' "
                           f"corrections on {report.train_docs} documents (base: {report.base_name}).",
            "annotator": {
                "project": self.project.path.name, "study_id": study, "base": report.base_name,
                "date": datetime.now().isoformat(timespec="seconds"),
                "train_docs": report.train_docs, "eval_docs": report.eval_docs,
                "label_counts": report.label_counts, "labels": data.as_model,
            },
        }

    def _use(self, out: Path, name: str, report: TrainingReport, own: dict[str, str]) -> None:
        assert report.trained is not None
        use_model(self.project, TrainedModel(
            out, name, datetime.now().isoformat(timespec="seconds"), report.base_name,
            report.train_docs, report.eval_docs, report.trained, report.base, own,
        ))
