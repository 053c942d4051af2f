"""Team -> Reliability: the coders' agreement for the PI.

The figures are computed on the window's worker thread (the bootstrap takes seconds); what
comes back is plain values (``AgreementResult``). The view shows a table per claim variable
and per entity label, each alpha marked against Krippendorff's thresholds, a chart of alpha
with its interval, and under them the disagreements behind the chosen row, each of which
opens the document at its place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.ids import DocumentId
from annotator.services.agreement.job import AgreementResult
from annotator.ui.common.worker import Task, TaskRunner
from annotator.ui.reliability.alpha_chart import AlphaChart
from annotator.ui.reliability.disagreement_list import DisagreementList
from annotator.ui.reliability.figure_table import FigureTable
from annotator.ui.reliability.figures import (
    ENTITY_COLUMNS,
    VARIABLE_COLUMNS,
    VERDICT_COLUMN,
    FigureRow,
    entity_rows,
    scope_text,
    variable_rows,
)
from annotator.ui.shell.workspace import AgreementJob

OpenAt = Callable[[DocumentId, int, int, str], None]


class ReliabilityDialog(QDialog):
    def __init__(
        self, job: AgreementJob, runner: TaskRunner, coders: Sequence[str], chosen: Sequence[str],
        open_at: OpenAt, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reliability")
        self.setObjectName("reliability")
        self.job, self.runner, self.open_at = job, runner, open_at
        self.result: AgreementResult | None = None
        self.task: Task | None = None
        self.workspace: object = None  # the workspace the figures belong to (set by ``launch``)

        self.coder_boxes: dict[str, QCheckBox] = {}
        options = QHBoxLayout()
        options.addWidget(QLabel("Coders:"))
        for name in coders:
            box = QCheckBox(name)
            box.setChecked(name in chosen)
            box.toggled.connect(self._on_options_changed)
            self.coder_boxes[name] = box
            options.addWidget(box)
        options.addSpacing(16)
        self.unfinished = QCheckBox("Include unfinished documents")
        self.unfinished.setToolTip("Also count documents the coders have started but not marked done")
        self.unfinished.toggled.connect(self._on_options_changed)
        options.addWidget(self.unfinished)
        options.addStretch(1)
        self.recompute = QPushButton("Recompute")
        self.recompute.setObjectName("recompute")
        self.recompute.setToolTip("Compute the figures again with these options (takes a few seconds)")
        self.recompute.clicked.connect(self.compute)
        options.addWidget(self.recompute)

        self.status = QLabel()
        self.status.setObjectName("reliabilityStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.variables = FigureTable(VARIABLE_COLUMNS, VERDICT_COLUMN["variables"])
        self.variables.setObjectName("variableFigures")
        self.entities = FigureTable(ENTITY_COLUMNS, VERDICT_COLUMN["entities"])
        self.entities.setObjectName("entityFigures")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.variables, "Claim variables")
        self.tabs.addTab(self.entities, "Entities")
        self.chart = AlphaChart()
        self.chart_caption = QLabel()
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_caption)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        chart_layout.addWidget(scroll, 1)

        self.places_caption = QLabel("Choose a row to list the disagreements behind it.")
        self.places = DisagreementList()
        self.places.open_wanted.connect(
            lambda doc, start, end, codings: self.open_at(DocumentId(doc), start, end, codings)
        )
        open_button = QPushButton("Open in Document")
        open_button.setToolTip("Open the document at the chosen disagreement (Enter, or a double click)")
        open_button.clicked.connect(lambda: self.places.open_row(self.places.currentRow()))
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.places_caption, 1)
        caption_row.addWidget(open_button)
        bottom_layout.addLayout(caption_row)
        bottom_layout.addWidget(self.places, 1)
        # the table across the full width (it has many columns); under it, the chart beside
        # the disagreements of the row chosen
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(chart_box)
        lower.addWidget(bottom)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

        self.variables.row_chosen.connect(lambda _row: self._show_places(self.variables))
        self.entities.row_chosen.connect(lambda _row: self._show_places(self.entities))
        self.tabs.currentChanged.connect(self._on_tab)
        self.chart.row_clicked.connect(self._on_chart_row)
        self.resize(1180, 700)

    # -- computing -------------------------------------------------------------------------
    def chosen_coders(self) -> list[str]:
        return [name for name, box in self.coder_boxes.items() if box.isChecked()]

    @property
    def computing(self) -> bool:
        return self.task is not None

    def compute(self) -> None:
        """Compute the figures on the worker thread; the view says so meanwhile."""
        if self.computing:
            return
        coders = self.chosen_coders()
        if len(coders) < 2:
            self.status.setText("Choose at least two coders to compare.")
            return
        unfinished = self.unfinished.isChecked()
        job = self.job
        waiting = self.runner.current
        self.task = self.runner.submit(Task(
            "Computing agreement", lambda cancel: job(coders, unfinished, cancel),
            on_finished=self._on_result, on_failed=self._on_failed,
        ))
        self.recompute.setEnabled(False)
        self.tabs.setEnabled(False)
        self.status.setText(
            f"Computing… (waiting for “{waiting.name}” to finish first)" if waiting is not None else
            "Computing… Krippendorff's alpha with 1,000 bootstrap draws per figure takes a few seconds."
        )

    def _on_result(self, result: AgreementResult | None) -> None:
        self.task = None
        self.recompute.setEnabled(True)
        self.tabs.setEnabled(True)
        if result is None:
            self.status.setText("Computing was cancelled; Recompute starts again.")
            return
        self.result = result
        report = result.report
        self.status.setText("\n".join([scope_text(report), *report.notes]))
        self.variables.set_rows(variable_rows(report))
        self.entities.set_rows(entity_rows(report))
        self._on_tab(self.tabs.currentIndex())

    def _on_failed(self, message: str) -> None:
        self.task = None
        self.recompute.setEnabled(True)
        self.tabs.setEnabled(True)
        self.status.setText(f"Could not compute the figures: {message}")

    def _on_options_changed(self) -> None:
        if self.result is not None and not self.computing:
            changed = "\nThe options changed: Recompute to apply them."
            self.status.setText(scope_text(self.result.report) + changed)

    # -- showing ---------------------------------------------------------------------------
    def _current_table(self) -> FigureTable:
        return self.variables if self.tabs.currentWidget() is self.variables else self.entities

    def _on_tab(self, _index: int) -> None:
        table = self._current_table()
        is_claims = table is self.variables
        self.chart_caption.setText(
            "Alpha per claim variable, with its 95 % interval" if is_claims else
            "Token alpha per entity label, with its 95 % interval"
        )
        self.chart.set_rows(table.rows)
        self._show_places(table)

    def _on_chart_row(self, index: int) -> None:
        table = self._current_table()
        row = table.row_named(self.chart.rows[index].name)
        if row >= 0:
            table.setCurrentCell(row, 0)

    def _show_places(self, table: FigureTable) -> None:
        if table is not self._current_table() or self.result is None:
            return
        figure: FigureRow | None = table.current_figure()
        self.chart.set_current(figure.name if figure else None)
        if figure is None:
            self.places_caption.setText("Choose a row to list the disagreements behind it.")
            self.places.show_places([], self.result.report.coders, {})
            return
        count = len(figure.disagreements)
        self.places_caption.setText(
            f"{count:,} disagreement{'s' if count != 1 else ''} behind {figure.name}"
            + (" · Enter or double-click opens the document there" if count else "")
        )
        self.places.show_places(figure.disagreements, self.result.report.coders, self.result.documents,
                                entities=table is self.entities)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None:  # the result is no longer wanted
            self.task.cancel.set()
        super().closeEvent(event)
