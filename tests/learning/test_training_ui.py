"""Issue 15.3: Annotate -> Train from Corrections, on the worker thread, with progress, cancel,
the side-by-side figures at the end, the model in use shown, and automatic training."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.app import app_services, make_workspace
from annotator.domain.training import Figures, Score, TrainingStep
from annotator.services.project import Project
from annotator.services.project_model import (
    AUTO_TRAIN_SETTING,
    TRAINED_AT_SETTING,
    model_in_use,
    models_folder,
)
from annotator.services.training import TrainingReport
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from tests.learning.corpus import make_study


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    project, ids = make_study(tmp_path / "study.annotator", n=14, done=12)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    workspace = make_workspace(project, "alice")
    workspace.propose_claimant = None
    main = MainWindow(workspace, settings, CannedPrompts(), app_services(), document=ids[-1])
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.runner.shutdown()
    main.close()
    project.close()


def test_train_from_corrections_shows_progress_the_figures_and_uses_the_model(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.actions["train_model"].trigger()
    dialog = window.training_commands.dialog  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    assert "the base model en_core_web_sm" in dialog.model_label.text()
    assert "12" in dialog.data_label.text()
    steps: list[str] = []
    window.runner.progressed.connect(lambda step: steps.append(getattr(step, "text", "")))
    dialog.max_minutes.setValue(1)
    dialog.keep.setChecked(True)  # a tiny corpus: keep it whatever the figures, to see it used
    dialog.train_button.click()
    assert not dialog.train_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: "overall" in dialog.result.toPlainText(), timeout=120_000)
    result = dialog.result.toPlainText()
    assert "base model" in result and "trained model" in result and "PARTY" in result
    assert steps and steps[0].startswith("Training: epoch")  # the task bar's line
    assert dialog.train_button.isEnabled() and not dialog.cancel_button.isEnabled()
    trained = model_in_use(window.workspace.project)
    assert trained is not None and trained.path.is_dir()
    assert dialog.model_label.text().startswith("<b>Suggesting with:</b> Trained model of")
    assert dialog.use_base_button.isVisible()
    # the documents not yet decided are pre-annotated with it
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=60_000)
    assert window.workspace.preannotator.using_trained()
    dialog.grab().save("/tmp/learning_dialog.png")
    dialog.use_base_button.click()
    assert model_in_use(window.workspace.project) is None
    assert "the base model" in dialog.model_label.text()


def test_cancel_in_the_dialog_keeps_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = window.training_commands.open_dialog()  # type: ignore[attr-defined]
    window.runner.progressed.connect(lambda step: dialog.cancel_button.click())
    dialog.train_button.click()
    qtbot.waitUntil(lambda: dialog.train_button.isEnabled(), timeout=120_000)
    assert "cancelled" in dialog.step_label.text()
    assert model_in_use(window.workspace.project) is None
    folder = models_folder(window.workspace.project)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert "Training cancelled" in window.statusBar().currentMessage()


def test_automatic_training_starts_after_n_newly_finished_documents(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    calls: list[object] = []

    def fake_job(options, cancel):  # type: ignore[no-untyped-def]
        calls.append(options)
        yield TrainingStep(1, 1, 2.0, 0.5, 0.5, 1.0, 40)
        return TrainingReport("base", 9, 3, base=Figures(Score(0.2, 0.2, 0.2, 5)),
                              trained=Figures(Score(0.1, 0.1, 0.1, 5)))

    ws = window.workspace
    ws.training = fake_job
    project: Project = ws.project
    document = window.controller.document
    assert document is not None
    window.controller.document_updated.emit(document)
    assert not calls  # off by default
    project.set_setting(AUTO_TRAIN_SETTING, "5")
    project.set_setting(TRAINED_AT_SETTING, "10")  # 12 finished now: 2 new, fewer than 5
    window.controller.document_updated.emit(document)
    assert not calls
    project.set_setting(TRAINED_AT_SETTING, "6")
    window.controller.document_updated.emit(document)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=10_000)
    assert len(calls) == 1
    assert "not better" in window.statusBar().currentMessage()
    assert model_in_use(project) is None


def test_a_missing_trained_model_is_reported_in_the_app_and_the_base_model_suggests(
    qtbot, window: MainWindow, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from annotator.services.project_model import TrainedModel, use_model

    project = window.workspace.project
    use_model(project, TrainedModel(tmp_path / "gone", "en_trained_x", "2026-12-01T10:00:00", "base", 9, 3,
                                    Figures(Score(0.9, 0.9, 0.9, 5)), Figures(Score(0.5, 0.5, 0.5, 5)), {}))
    window.jobs.preannotate(None)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=60_000)
    prompts = window.prompts
    assert any(title == "Trained model not used" and "could not be used" in text
               for title, text in prompts.informed)  # type: ignore[attr-defined]
    assert "en_core_web_sm" in window.statusBar().currentMessage()
