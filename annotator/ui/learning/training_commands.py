"""Annotate -> Train from Corrections: run a training on the worker thread, show it, use it.

Training goes through the window's one worker (a ``Task``), so it queues behind a running
pre-annotation and the task bar shows it with its Cancel button. A kept model is used at
once: the documents not yet decided are pre-annotated with it. Automatic training (off by
default) starts a training, quietly, once the set number of documents were finished since
the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.domain.training import TrainingStep
from annotator.services.project_model import (
    AUTO_TRAIN_SETTING,
    auto_train_due,
    finished_count,
    model_in_use,
    use_model,
)
from annotator.services.training import TrainingOptions, TrainingReport
from annotator.ui.common.worker import Task
from annotator.ui.learning.training_dialog import TrainingDialog

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


class TrainingCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: TrainingDialog | None = None
        self.task: Task | None = None
        window.controller.document_updated.connect(lambda _document: self.train_if_due())

    # -- the dialog -------------------------------------------------------------------------
    def open_dialog(self) -> TrainingDialog:
        if self.dialog is None:
            self.dialog = TrainingDialog(self.window)
            self.dialog.train_wanted.connect(self.train)
            self.dialog.cancel_wanted.connect(self.cancel)
            self.dialog.use_base_wanted.connect(self.use_base_model)
            self.dialog.auto_train_changed.connect(self.set_auto_train)
        self.refresh()
        self.dialog.set_running(self.task is not None)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def refresh(self) -> None:
        if self.dialog is None:
            return
        ws = self.window.workspace
        trained = model_in_use(ws.project)
        base = ws.preannotator.base_model_name()
        line = trained.describe() if trained is not None else f"the base model {base}"
        if trained is not None and not trained.path.is_dir():
            line += " — its folder is missing: the base model is used instead"
        every = ws.project.setting(AUTO_TRAIN_SETTING) or "0"
        self.dialog.show_state(line, trained is not None, finished_count(ws.project),
                               int(every) if every.isdigit() else 0)

    # -- training ---------------------------------------------------------------------------
    def train(self, options: TrainingOptions | None = None, quiet: bool = False) -> Task | None:
        ws = self.window.workspace
        job = ws.training
        if job is None:
            self.window.show_message("Training is not available here")
            return None
        if self.task is not None:
            return None  # one training at a time
        chosen = options or TrainingOptions()
        if self.dialog is not None and not quiet:
            self.dialog.set_running(True)
        self.task = self.window.runner.submit(Task(
            "Training from corrections", lambda cancel: job(chosen, cancel),
            on_progress=self._on_step,
            on_finished=lambda report: self._on_finished(report, quiet),
            on_failed=self._on_failed,
        ))
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.set()

    def train_if_due(self) -> None:
        ws = self.window.workspace
        if self.task is None and ws.training is not None and not ws.read_only and auto_train_due(ws.project):
            self.window.show_message("Enough documents were finished since the last training: "
                                     "training again…")
            self.train(quiet=True)

    def _on_step(self, step: object) -> None:
        if self.dialog is not None and isinstance(step, TrainingStep):
            self.dialog.show_step(step)

    def _on_finished(self, report: TrainingReport | None, quiet: bool) -> None:
        self.task = None
        if self.dialog is not None and not (quiet and not self.dialog.isVisible()):
            self.dialog.show_report(report)
        self.refresh()
        if report is None:
            self.window.show_message("Training cancelled: nothing was kept; the project's model is unchanged")
            return
        if report.kept:
            self.window.show_message(
                f"Trained model in use (held-out F1 {report.trained.overall.f1:.2f}, base "  # type: ignore[union-attr]
                f"{report.base.overall.f1:.2f}): pre-annotating the documents not yet decided with it"
            )
            self.window.jobs.preannotate(None)
        else:
            self.window.show_message(report.verdict())

    def _on_failed(self, message: str) -> None:
        self.task = None
        text = message[:1].upper() + message[1:]
        if self.dialog is not None:
            self.dialog.show_report(None, text)
        self.window.show_message(text)

    # -- settings ---------------------------------------------------------------------------
    def use_base_model(self) -> None:
        use_model(self.window.workspace.project, None)
        self.refresh()
        self.window.show_message("Suggesting with the base model again; the trained model stays on disk")

    def set_auto_train(self, every: int) -> None:
        self.window.workspace.project.set_setting(AUTO_TRAIN_SETTING, str(every) if every > 0 else None)
