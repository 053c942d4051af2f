"""The form of one claim variable in the codebook dialog: name, kind, description, whether
it is required, bounds, the entity labels it accepts, and its values with their keys."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import CodebookError
from annotator.domain.model import (
    LEVELLED_KINDS,
    SETTABLE_LEVELS,
    CategoryValue,
    ClaimField,
    FieldKind,
    MeasurementLevel,
)

KIND_TEXT = {
    FieldKind.SINGLE: "one category", FieldKind.MULTI: "several categories", FieldKind.TEXT: "text",
    FieldKind.NUMBER: "number", FieldKind.SCALE: "scale (whole steps)", FieldKind.BOOLEAN: "yes / no",
    FieldKind.DATE: "date", FieldKind.ENTITY: "link to an entity",
}
CATEGORIES = (FieldKind.SINGLE, FieldKind.MULTI)
BOUNDED = (FieldKind.NUMBER, FieldKind.SCALE)
LEVEL_TIP = (
    "How agreement (Krippendorff's alpha) compares two coders' values: ordinal, only their order "
    "counts (a 1-5 rating); interval, their differences count (equal steps); ratio, there is a "
    "true zero as well (counts, amounts, ages)"
)


def _bound(text: str, what: str, name: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise CodebookError(f"{name}: the {what} {text!r} is not a number") from None


class VariableForm(QWidget):
    edited = Signal()  # something changed (the dialog updates the variable's name in its list)

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field: ClaimField | None = None
        self._loading = False
        self.name = QLineEdit()
        self.name.setObjectName("variableName")
        self.kind = QComboBox()
        self.kind.setObjectName("variableKind")
        for kind, text in KIND_TEXT.items():
            self.kind.addItem(text, kind.value)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.required = QCheckBox("Required: a claim without it counts as incomplete")
        self.multiline = QCheckBox("Memo: several lines (Enter starts a new line)")
        self.multiline.setObjectName("variableMultiline")
        self.minimum = QLineEdit(placeholderText="none")
        self.maximum = QLineEdit(placeholderText="none")
        bounds = QHBoxLayout()
        bounds.addWidget(QLabel("from"))
        bounds.addWidget(self.minimum)
        bounds.addWidget(QLabel("to"))
        bounds.addWidget(self.maximum)
        self.bounds = QWidget()
        self.bounds.setLayout(bounds)
        bounds.setContentsMargins(0, 0, 0, 0)
        self.level = QComboBox()
        self.level.setObjectName("variableLevel")
        self.level.setToolTip(LEVEL_TIP)
        self._level_kind = FieldKind.SCALE  # whose default the level list shows
        self._fill_levels(FieldKind.SCALE, None)
        level_hint = QLabel("how reliability (Krippendorff's alpha) compares coders' values")
        level_hint.setStyleSheet("color: palette(mid);")  # as the label key's hint
        level_hint.setWordWrap(True)  # the dialog keeps its width
        level_hint.setToolTip(LEVEL_TIP)
        self.level_row = QWidget()
        level_layout = QHBoxLayout(self.level_row)
        level_layout.setContentsMargins(0, 0, 0, 0)
        level_layout.addWidget(self.level)
        level_layout.addWidget(level_hint, 1)
        self.entity_labels = QListWidget()
        self.entity_labels.setObjectName("entityLabels")
        self.set_labels(labels)
        self.values = QTableWidget(0, 3)
        self.values.setObjectName("variableValues")
        self.values.setHorizontalHeaderLabels(["Code", "Label", "Key"])
        self.values.verticalHeader().hide()
        self.values.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.values.setColumnWidth(0, 120)
        self.values.setColumnWidth(2, 40)
        self.values.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.values.setWordWrap(False)
        row, header = self.values.verticalHeader().defaultSectionSize(), self.values.horizontalHeader()
        self.values.setMinimumHeight(row * 9 + header.sizeHint().height())  # nine values without scrolling
        value_buttons = QHBoxLayout()
        for text, slot in (("Add Value", self.add_value), ("Remove Value", self.remove_value),
                           ("Up", lambda: self.move_value(-1)), ("Down", lambda: self.move_value(1))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            value_buttons.addWidget(button)
        value_buttons.addStretch(1)
        self.values_box = QWidget()
        values_layout = QVBoxLayout(self.values_box)
        values_layout.setContentsMargins(0, 0, 0, 0)
        values_layout.addWidget(self.values, 1)
        values_layout.addLayout(value_buttons)

        self.form = QFormLayout()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.form)
        outer.addStretch(1)  # rows keep their height; the space left stays below them
        self.form.addRow("Name:", self.name)
        self.form.addRow("Kind:", self.kind)
        self.form.addRow("Description:", self.description)
        self.form.addRow("", self.required)
        self.form.addRow("", self.multiline)
        self.form.addRow("Bounds:", self.bounds)
        self.form.addRow("Level:", self.level_row)
        self.form.addRow("Entity labels:", self.entity_labels)
        self.form.addRow("Values:", self.values_box)
        for signal in (self.name.textEdited, self.kind.currentIndexChanged, self.required.toggled,
                       self.multiline.toggled,
                       self.minimum.textEdited, self.maximum.textEdited, self.description.textChanged,
                       self.values.itemChanged, self.entity_labels.itemChanged,
                       self.level.currentIndexChanged):
            signal.connect(self._on_edited)
        self.kind.currentIndexChanged.connect(self._show_kind_rows)

    def set_labels(self, labels: list[str]) -> None:
        """The entity labels a link may accept (the codebook dialog's labels, as edited)."""
        self.entity_labels.blockSignals(True)
        self.entity_labels.clear()
        for label in labels:
            item = QListWidgetItem(label)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.entity_labels.addItem(item)
        self.entity_labels.blockSignals(False)
        row_height = self.entity_labels.sizeHintForRow(0) if labels else 18
        self.entity_labels.setFixedHeight(max(1, min(len(labels), 12)) * row_height + 6)  # no scrolling

    # -- loading and reading ---------------------------------------------------------------
    def load(self, field: ClaimField, in_use: bool) -> None:
        self._loading = True
        self._field = field
        self.name.setText(field.name)
        self.kind.setCurrentIndex(self.kind.findData(field.kind.value))
        self.kind.setEnabled(not in_use)
        self.kind.setToolTip("In use: the kind of a coded variable cannot change" if in_use else "")
        self.description.setPlainText(field.description)
        self.required.setChecked(field.required)
        self.multiline.setChecked(field.multiline)
        self.minimum.setText("" if field.minimum is None else f"{field.minimum:g}")
        self.maximum.setText("" if field.maximum is None else f"{field.maximum:g}")
        for row in range(self.entity_labels.count()):
            item = self.entity_labels.item(row)
            on = item.text() in field.entity_labels
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        levelled = field.kind in LEVELLED_KINDS  # else the list starts afresh if the kind changes
        self._fill_levels(field.kind if levelled else FieldKind.SCALE, field.level if levelled else None)
        self.values.setRowCount(0)
        for value in field.values:
            self._append_value(value)
        self._show_kind_rows()
        self._loading = False

    def field(self) -> ClaimField:
        """The variable as the form shows it (raises CodebookError for a bound that is no number)."""
        base = self._field or ClaimField("", FieldKind.TEXT)
        kind = FieldKind(self.kind.currentData())
        name = self.name.text().strip()
        values: tuple[CategoryValue, ...] = ()
        if kind in CATEGORIES:
            values = tuple(
                CategoryValue(self._cell(row, 0), self._cell(row, 1), self._cell(row, 2)[:1] or None)
                for row in range(self.values.rowCount())
                if self._cell(row, 0)
            )
        labels = tuple(
            self.entity_labels.item(r).text() for r in range(self.entity_labels.count())
            if self.entity_labels.item(r).checkState() == Qt.CheckState.Checked
        ) if kind is FieldKind.ENTITY else ()
        bounded = kind in BOUNDED
        return replace(
            base, name=name, kind=kind, description=self.description.toPlainText().strip(),
            required=self.required.isChecked(), values=values, entity_labels=labels,
            multiline=kind is FieldKind.TEXT and self.multiline.isChecked(),
            # a level belongs to number and scale variables only: a changed kind drops it
            level=self._level(kind, base.level),
            minimum=_bound(self.minimum.text(), "minimum", name) if bounded else None,
            maximum=_bound(self.maximum.text(), "maximum", name) if bounded else None,
        )

    # -- values ----------------------------------------------------------------------------
    def add_value(self) -> None:
        self._append_value(CategoryValue(f"value_{self.values.rowCount() + 1}"))
        row = self.values.rowCount() - 1
        self.values.setCurrentCell(row, 0)
        self.values.editItem(self.values.item(row, 0))
        self._on_edited()

    def remove_value(self) -> None:
        row = self.values.currentRow()
        if row >= 0:
            self.values.removeRow(row)
            self._on_edited()

    def move_value(self, step: int) -> None:
        row = self.values.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.values.rowCount():
            return
        texts = [self._cell(row, c) for c in range(3)]
        self.values.removeRow(row)
        self.values.insertRow(target)
        for column, text in enumerate(texts):
            self.values.setItem(target, column, QTableWidgetItem(text))
        self.values.setCurrentCell(target, 0)
        self._on_edited()

    def _append_value(self, value: CategoryValue) -> None:
        row = self.values.rowCount()
        self.values.insertRow(row)
        for column, text in enumerate((value.code, value.label, value.shortcut or "")):
            self.values.setItem(row, column, QTableWidgetItem(text))

    def _cell(self, row: int, column: int) -> str:
        item = self.values.item(row, column)
        return "" if item is None else item.text().strip()

    # -- level of measurement ----------------------------------------------------------------
    def _fill_levels(self, kind: FieldKind, chosen: MeasurementLevel | None) -> None:
        """Ordinal, interval, ratio; the kind's default says so and is chosen when none is set."""
        default = LEVELLED_KINDS[kind]
        self._level_kind = kind
        self.level.blockSignals(True)
        self.level.clear()
        for level in SETTABLE_LEVELS:
            text = f"{level.value} (the {kind.value} default)" if level is default else level.value
            self.level.addItem(text, level.value)
        self.level.setCurrentIndex(self.level.findData((chosen or default).value))
        self.level.blockSignals(False)

    def _level(self, kind: FieldKind, stored: MeasurementLevel | None) -> MeasurementLevel | None:
        """The level to save: None for the kind's default (as the JSON leaves it out), unless
        the codebook names that level already."""
        if kind not in LEVELLED_KINDS:
            return None
        chosen = MeasurementLevel(self.level.currentData())
        return chosen if chosen is not LEVELLED_KINDS[kind] or stored is chosen else None

    def _on_kind_changed(self) -> None:
        """Between number and scale a chosen level stays; the default follows the kind."""
        kind = FieldKind(self.kind.currentData())
        if kind not in LEVELLED_KINDS or kind is self._level_kind:
            return
        current = MeasurementLevel(self.level.currentData())
        was_default = current is LEVELLED_KINDS[self._level_kind]
        self._fill_levels(kind, None if was_default else current)

    # -- reacting --------------------------------------------------------------------------
    def _show_kind_rows(self) -> None:
        kind = FieldKind(self.kind.currentData())
        self._on_kind_changed()
        self.form.setRowVisible(self.bounds, kind in BOUNDED)
        self.form.setRowVisible(self.level_row, kind in LEVELLED_KINDS)
        self.form.setRowVisible(self.entity_labels, kind is FieldKind.ENTITY)
        self.form.setRowVisible(self.values_box, kind in CATEGORIES)
        self.form.setRowVisible(self.multiline, kind is FieldKind.TEXT)

    def _on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()
