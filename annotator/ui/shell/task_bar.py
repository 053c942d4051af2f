"""The running task in the status bar: its name, a progress bar and a Cancel button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from annotator.ui.common.worker import TaskRunner


class TaskBar(QWidget):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskBar")
        self.runner = runner
        self.name_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setFixedWidth(180)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton(text="Cancel")
        self.cancel_button.setObjectName("cancelTask")
        self.cancel_button.setToolTip(
            "Stop the task: pre-annotation and import keep the documents finished so far; "
            "an export writes nothing"
        )
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.name_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        runner.started.connect(self._on_started)
        runner.progressed.connect(self._on_progress)
        runner.idle.connect(self.hide)
        self.hide()

    def _on_started(self, name: str) -> None:
        self.name_label.setText(name)
        self.progress.setRange(0, 0)  # busy until the first step says how many there are
        self.cancel_button.setEnabled(True)
        self.show()

    def _on_progress(self, step: object) -> None:
        text = getattr(step, "text", None)  # a step that says what it is doing ("Exporting …")
        if isinstance(text, str) and self.cancel_button.isEnabled():
            self.name_label.setText(text)
        done, total = getattr(step, "done", None), getattr(step, "total", None)
        if isinstance(done, int) and isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done:,} / {total:,}")

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.name_label.setText("Cancelling…")
        self.runner.cancel_current()
