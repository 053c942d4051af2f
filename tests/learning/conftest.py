"""One small training shared by the tests that need a trained model (seconds, not minutes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.services.project import Project
from annotator.services.training import Trainer, TrainingOptions, TrainingReport
from tests.learning.corpus import make_study


@dataclass
class TrainedStudy:
    path: Path
    report: TrainingReport


@pytest.fixture(scope="session")
def trained_study(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrainedStudy]:
    """30 finished synthetic texts of 40, trained once (base: the installed small model)."""
    path = tmp_path_factory.mktemp("trained") / "study.annotator"
    project, _ids = make_study(path, n=40, done=30)
    with project:
        report = Trainer(project).run(TrainingOptions(seed=0, max_minutes=2))
    yield TrainedStudy(path, report)


@pytest.fixture
def trained_project(trained_study: TrainedStudy) -> Iterator[Project]:
    with Project(trained_study.path) as project:
        yield project
