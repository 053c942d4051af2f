"""The form of one entity label in the codebook dialog: name, colour, key, the spaCy labels
it takes over, and its description."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Label

#: Paul Tol's colour-blind-safe "light" scheme (the default codebook's colours), plus grey.
PALETTE = (
    "#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
    "#EEDD88", "#EE8866", "#FFAABB", "#BBBBBB", "#DDDDDD",
)  # fmt: skip


SPACY_COLUMNS = 5


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelForm(QWidget):
    edited = Signal()  # something changed (the page updates the label's row in its list)

    def __init__(
        self,
        spacy_labels: Sequence[str],
        pick_colour: Callable[[str], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._label: Label | None = None
        self._loading = False
        self._pick_colour = pick_colour
        self._colour = "#999999"
        self.name = QLineEdit()
        self.name.setObjectName("labelName")
        self.name.setMaxLength(100)

        self.colour_button = QPushButton()
        self.colour_button.setObjectName("labelColour")
        self.colour_button.setToolTip("The label's colour; click to choose any colour")
        self.colour_button.clicked.connect(self._choose_colour)
        palette = QGridLayout()
        palette.setSpacing(3)
        self.palette_buttons: list[QToolButton] = []
        for n, colour in enumerate(PALETTE):
            button = QToolButton()
            button.setIcon(swatch(colour, 16))
            button.setToolTip(colour)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, c=colour: self.set_colour(c))
            palette.addWidget(button, 0, n)
            self.palette_buttons.append(button)
        colours = QHBoxLayout()
        colours.setContentsMargins(0, 0, 0, 0)
        colours.addWidget(self.colour_button)
        colours.addLayout(palette)
        more = QPushButton("More…")
        more.setToolTip("Choose any colour")
        more.clicked.connect(self._choose_colour)
        colours.addWidget(more)
        colours.addStretch(1)
        colour_row = QWidget()
        colour_row.setLayout(colours)

        self.key = QLineEdit()
        self.key.setObjectName("labelKey")
        self.key.setMaxLength(1)
        self.key.setFixedWidth(self.fontMetrics().horizontalAdvance("MM") + 16)
        key_hint = QLabel("one character: pressing it gives the selected text this label")
        key_hint.setStyleSheet("color: palette(mid);")
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.key)
        key_row.addWidget(key_hint, 1)
        key_box = QWidget()
        key_box.setLayout(key_row)

        self.spacy_grid = QGridLayout()
        self.spacy_grid.setContentsMargins(0, 0, 0, 0)
        self.spacy_grid.setHorizontalSpacing(12)
        self.spacy_grid.setVerticalSpacing(2)
        self.spacy_boxes: dict[str, QCheckBox] = {}
        self.set_spacy_choices(spacy_labels)
        spacy_hint = QLabel("The model's suggestions with a ticked label get this label. "
                            "Grey: given to another label (hover to see which).")
        spacy_hint.setWordWrap(True)
        spacy_hint.setStyleSheet("color: palette(mid);")
        spacy_box = QWidget()
        spacy_box.setObjectName("labelSpacyLabels")
        spacy_layout = QVBoxLayout(spacy_box)
        spacy_layout.setContentsMargins(0, 0, 0, 0)
        spacy_layout.addLayout(self.spacy_grid)
        spacy_layout.addWidget(spacy_hint)

        self.description = QPlainTextEdit()
        self.description.setObjectName("labelDescription")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.usage = QLabel()
        self.usage.setObjectName("labelUsage")

        form = QFormLayout()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow("Name:", self.name)
        form.addRow("Colour:", colour_row)
        form.addRow("Key:", key_box)
        form.addRow("spaCy labels:", spacy_box)
        form.addRow("Description:", self.description)
        form.addRow("", self.usage)
        for signal in (self.name.textEdited, self.key.textEdited, self.description.textChanged):
            signal.connect(self._on_edited)

    def set_spacy_choices(self, labels: Sequence[str]) -> None:
        """The spaCy labels offered (the model's, and any the codebook already uses)."""
        ticked = set(self._ticked())
        for box in self.spacy_boxes.values():
            self.spacy_grid.removeWidget(box)
            box.deleteLater()
        self.spacy_boxes = {}
        for n, name in enumerate(dict.fromkeys([*labels, *sorted(ticked - set(labels))])):
            box = QCheckBox(name)
            box.setChecked(name in ticked)
            box.toggled.connect(self._on_edited)
            self.spacy_grid.addWidget(box, n // SPACY_COLUMNS, n % SPACY_COLUMNS)
            self.spacy_boxes[name] = box

    # -- loading and reading ---------------------------------------------------------------
    def load(self, label: Label, entities: int, owners: dict[str, str]) -> None:
        """Show ``label``; ``owners`` says which other label already takes each spaCy label."""
        self._loading = True
        self._label = label
        self.name.setText(label.name)
        self.set_colour(label.color)
        self.key.setText(label.shortcut or "")
        self.description.setPlainText(label.description)
        missing = [s for s in label.spacy_labels if s not in self.spacy_boxes]
        if missing:
            self.set_spacy_choices([*self.spacy_boxes, *missing])
        for name, box in self.spacy_boxes.items():
            on = name in label.spacy_labels
            box.setChecked(on)
            owner = owners.get(name)
            box.setToolTip(f"{name} now goes to {owner}" if owner and not on else "")
            box.setStyleSheet("color: palette(mid);" if owner and not on else "")
        self.usage.setText(
            f"{entities:,} entit{'y' if entities == 1 else 'ies'} in this project have this label."
            if entities else "No entity has this label yet."
        )
        self._loading = False

    def label(self) -> Label:
        base = self._label or Label("", "#999999")
        return replace(
            base,
            name=self.name.text().strip(),
            color=self._colour,
            shortcut=self.key.text().strip() or None,
            description=self.description.toPlainText().strip(),
            spacy_labels=self._spacy_labels(base.spacy_labels),
        )

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour).name().upper() if QColor(colour).isValid() else colour
        self.colour_button.setIcon(swatch(self._colour, 16))
        self.colour_button.setText(f" {self._colour}")
        self._on_edited()

    def _choose_colour(self) -> None:
        chosen = self._pick_colour(self._colour)
        if chosen:
            self.set_colour(chosen)

    def _spacy_labels(self, before: tuple[str, ...]) -> tuple[str, ...]:
        """Ticked labels: those the label had keep their order, new ones follow."""
        ticked = self._ticked()
        return tuple([s for s in before if s in ticked] + [s for s in ticked if s not in before])

    def _ticked(self) -> list[str]:
        return [name for name, box in self.spacy_boxes.items() if box.isChecked()]

    def _on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()
