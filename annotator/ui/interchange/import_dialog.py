"""The Import Annotations dialog: which files, in which format, into whose layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DETECT = "Detect from the files"


@dataclass(frozen=True)
class AnnotatedImportChoice:
    paths: tuple[Path, ...]
    format: str | None
    """None: detected from the files."""
    coder: str
    add_labels: bool


class AnnotatedImportDialog(QDialog):
    def __init__(self, formats: Sequence[str], coder: str, start: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Annotations")
        self.setMinimumWidth(480)
        self.start = start
        self.paths: list[Path] = []
        self.chosen = QLabel("No files chosen")
        self.chosen.setWordWrap(True)
        files = QPushButton("Files…")
        files.clicked.connect(self._choose_files)
        folder = QPushButton("Folder…")
        folder.clicked.connect(self._choose_folder)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(files)
        buttons_row.addWidget(folder)
        buttons_row.addStretch(1)
        self.format = QComboBox()
        self.format.addItems([DETECT, *formats])
        self.coder = QLineEdit(coder)
        self.coder.setToolTip("The coder whose layer gets the annotations (a new coder is added)")
        self.add_labels = QCheckBox("Add labels the codebook lacks")
        self.add_labels.setToolTip("Otherwise a document using a label the codebook lacks is "
                                   "refused, and the labels are listed")
        form = QFormLayout()
        form.addRow("Files:", self.chosen)
        form.addRow("", _wrapped(buttons_row))
        form.addRow("Format:", self.format)
        form.addRow("Into the layer of:", self.coder)
        form.addRow("", self.add_labels)
        note = QLabel("brat, doccano, Prodigy, Label Studio, spaCy, CoNLL and REFI-QDA files; "
                      "docs/formats.md says what each keeps.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._update()

    def set_paths(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        names = ", ".join(p.name for p in self.paths[:4])
        more = f" and {len(self.paths) - 4} more" if len(self.paths) > 4 else ""
        self.chosen.setText(names + more if self.paths else "No files chosen")
        self._update()

    def choice(self) -> AnnotatedImportChoice:
        name = self.format.currentText()
        return AnnotatedImportChoice(tuple(self.paths), None if name == DETECT else name,
                                     self.coder.text().strip() or "imported",
                                     self.add_labels.isChecked())

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Annotated Files", str(self.start))
        if paths:
            self.set_paths([Path(p) for p in paths])

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder of Annotated Files", str(self.start))
        if path:
            self.set_paths([Path(path)])

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.paths))


def _wrapped(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
