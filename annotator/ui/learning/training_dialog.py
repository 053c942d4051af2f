"""The Train from Corrections window: the model in use, the choices, progress and the figures.

Not modal: training runs on the worker thread while the researcher goes on coding; the
dialog shows each epoch and, at the end, the base and the trained model side by side on the
held-out documents, with what was done with the trained model.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.training import TrainingStep
from annotator.services.training import TrainingOptions, TrainingReport


class TrainingDialog(QDialog):
    train_wanted = Signal(object)  # TrainingOptions
    cancel_wanted = Signal()
    use_base_wanted = Signal()
    auto_train_changed = Signal(int)  # every N finished documents; 0: off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train from Corrections")
        self.setObjectName("trainingDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Annotator can learn from the documents your team has finished: it fine-tunes the "
            "entity model on them, tests it on a share it did not learn from, and uses it for the "
            "documents not yet decided only if it suggests better than the model it started from."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model_label = QLabel()
        self.model_label.setObjectName("modelInUse")
        self.model_label.setWordWrap(True)
        layout.addWidget(self.model_label)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        layout.addWidget(self.data_label)

        form = QFormLayout()
        self.eval_share = QSpinBox(minimum=10, maximum=50, value=20, suffix=" %")
        self.eval_share.setToolTip("Finished documents held out to test both models (and to stop training)")
        self.max_minutes = QSpinBox(minimum=0, maximum=240, value=10, suffix=" min")
        self.max_minutes.setSpecialValueText("no limit")
        self.keep = QCheckBox("Use the trained model even if it is not better")
        self.auto_every = QSpinBox(minimum=0, maximum=10000, value=0, suffix=" documents")
        self.auto_every.setSpecialValueText("never")
        self.auto_every.setToolTip("Train again by itself once this many more documents are finished")
        self.auto_every.valueChanged.connect(self.auto_train_changed)
        form.addRow("Held out to test:", self.eval_share)
        form.addRow("Stop after:", self.max_minutes)
        form.addRow("", self.keep)
        form.addRow("Train again every:", self.auto_every)
        layout.addLayout(form)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.step_label = QLabel("")
        layout.addWidget(self.progress)
        layout.addWidget(self.step_label)
        self.result = QPlainTextEdit(readOnly=True)
        self.result.setObjectName("trainingResult")
        self.result.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.result.setPlaceholderText("The figures of both models appear here when training ends.")
        self.result.setMinimumHeight(160)
        layout.addWidget(self.result, 1)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel Training")
        self.use_base_button = QPushButton("Use the Base Model")
        self.use_base_button.setToolTip("Stop suggesting with the trained model (it stays on disk)")
        close = QPushButton("Close")
        buttons.addWidget(self.use_base_button)
        buttons.addStretch(1)
        for button in (self.train_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.train_button.clicked.connect(lambda: self.train_wanted.emit(self.options()))
        self.cancel_button.clicked.connect(self.cancel_wanted)
        self.use_base_button.clicked.connect(self.use_base_wanted)
        close.clicked.connect(self.close)
        self.set_running(False)
        self.resize(620, 560)

    def options(self) -> TrainingOptions:
        minutes = self.max_minutes.value()
        return TrainingOptions(eval_share=self.eval_share.value() / 100, max_minutes=minutes or None,
                               keep=self.keep.isChecked())

    def show_state(self, model_line: str, trained_in_use: bool, finished: int, auto_every: int) -> None:
        self.model_label.setText(f"<b>Suggesting with:</b> {model_line}")
        self.use_base_button.setVisible(trained_in_use)
        self.data_label.setText(f"<b>Finished documents:</b> {finished:,} (marked done; the final layer "
                                "where adjudicated). At least 5 are needed.")
        self.auto_every.blockSignals(True)
        self.auto_every.setValue(auto_every)
        self.auto_every.blockSignals(False)

    def set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)
            self.step_label.setText("Preparing: reading the finished documents and scoring the base model…")
            self.result.clear()

    def show_step(self, step: TrainingStep) -> None:
        self.progress.setRange(0, max(step.total, step.epoch))
        self.progress.setValue(step.epoch)
        self.step_label.setText(step.line())

    def show_report(self, report: TrainingReport | None, message: str = "") -> None:
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if report is not None else 0)
        if report is None:
            self.step_label.setText(message or "Training cancelled: nothing was kept.")
            return
        self.step_label.setText(f"Done in {report.minutes:.1f} min.")
        lines = [f"Held-out documents: {report.eval_docs} (trained on {report.train_docs}); "
                 "exact-span scores:", "", *report.table(), "", report.verdict()]
        if report.left_out:
            lines += ["", *(f"Left out: {n} {why}" for why, n in report.left_out.items())]
        self.result.setPlainText("\n".join(lines))
