"""The project's trained model (issue 15.3): where it is, what it scored, and using it safely.

The setting ``ner_model`` holds JSON: the model's folder (relative to the project's folder
when inside it, so the project and its models move together), its name, date, base model,
how many documents it learnt from and its held-out figures beside the base model's. While it
is set, pre-annotation suggests with it; a folder that is gone or broken is reported in one
line and the base model is used instead, so suggestions never stop.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus
from annotator.domain.training import Figures
from annotator.services.project import Project
from annotator.storage.repositories.project_info import ProjectInfoRepository
from annotator.storage.repositories.runs import ModelRunRepository
from annotator.storage.repositories.training_read import TrainingReader

MODEL_IN_USE_SETTING = "ner_model"
#: Train again after this many newly finished documents ("" or absent: never).
AUTO_TRAIN_SETTING = "auto_train_every"
#: How many documents were finished when the model in use was trained.
TRAINED_AT_SETTING = "auto_train_done_at"


@dataclass(frozen=True)
class TrainedModel:
    path: Path
    name: str
    date: str
    base: str
    train_docs: int
    eval_docs: int
    figures: Figures
    base_figures: Figures
    #: model label -> project label, for labels the codebook maps from no spaCy label
    labels: dict[str, str]

    def describe(self) -> str:
        """One line for a status bar: which model, when, how good."""
        when = self.date[:16].replace("T", " ")
        return (f"Trained model of {when} ({self.train_docs} documents): held-out F1 "
                f"{self.figures.overall.f1:.2f} (base {self.base_figures.overall.f1:.2f})")

    def to_json(self, project_dir: Path) -> str:
        try:
            stored = str(self.path.resolve().relative_to(project_dir.resolve()))
        except ValueError:
            stored = str(self.path.resolve())
        return json.dumps({
            "path": stored, "name": self.name, "date": self.date, "base": self.base,
            "train_docs": self.train_docs, "eval_docs": self.eval_docs,
            "figures": self.figures.to_json(), "base_figures": self.base_figures.to_json(),
            "labels": self.labels,
        })


def models_folder(project: Project) -> Path:
    """``study.annotator.models/`` beside the project file."""
    return project.path.with_name(project.path.name + ".models")


def new_model_path(project: Project) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = models_folder(project)
    path, n = folder / stamp, 1
    while path.exists():
        n += 1
        path = folder / f"{stamp}-{n}"
    return path


def model_in_use(project: Project) -> TrainedModel | None:
    raw = project.setting(MODEL_IN_USE_SETTING)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        path = Path(data["path"])
        if not path.is_absolute():
            path = project.path.parent / path
        return TrainedModel(
            path, str(data.get("name", "")), str(data.get("date", "")), str(data.get("base", "")),
            int(data.get("train_docs", 0)), int(data.get("eval_docs", 0)),
            Figures.from_json(data.get("figures") or {}), Figures.from_json(data.get("base_figures") or {}),
            {str(k): str(v) for k, v in (data.get("labels") or {}).items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged setting: the base model is used, as with no trained model


def use_model(project: Project, model: TrainedModel | None) -> None:
    """Suggest with ``model`` from now on (None: with the base model again).

    The uncertainty scores of the model used so far are cleared: the next pre-annotation
    scores the documents again with this one (finished documents stay unscored, last)."""
    value = None if model is None else model.to_json(project.path.parent)
    with project.session() as session:  # one transaction: never scores of another model in use
        ProjectInfoRepository(session).set(MODEL_IN_USE_SETTING, value)
        ModelRunRepository(session).clear_uncertainty()


def finished_documents(statuses: Mapping[DocumentId, Mapping[str, DocumentStatus]]) -> set[DocumentId]:
    """Documents decided for good: the final layer is done, or every coder with it is done."""
    finished = set()
    for document_id, by in statuses.items():
        coders = {c: s for c, s in by.items() if c != FINAL_LAYER}
        if by.get(FINAL_LAYER) is DocumentStatus.DONE or (
            coders and all(s is DocumentStatus.DONE for s in coders.values())
        ):
            finished.add(document_id)
    return finished


def finished_count(project: Project) -> int:
    with project.read_session() as session:
        return len(finished_documents(TrainingReader(session).statuses()))


def auto_train_due(project: Project) -> bool:
    """Automatic training is on and enough documents were finished since the last training."""
    every = project.setting(AUTO_TRAIN_SETTING)
    if not every or not every.isdigit() or int(every) <= 0:
        return False
    since = project.setting(TRAINED_AT_SETTING) or "0"
    return finished_count(project) - (int(since) if since.isdigit() else 0) >= int(every)
