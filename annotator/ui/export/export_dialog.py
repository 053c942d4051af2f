"""File -> Export: what to export (options) and where (an .xlsx file or a folder of CSVs)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import DocumentStatus
from annotator.services.export import ExportOptions


@dataclass(frozen=True)
class ExportChoice:
    target: Path
    options: ExportOptions


def with_format(target: Path, options: ExportOptions) -> Path:
    """An Excel export needs a name ending in .xlsx; a CSV export is a folder."""
    if options.format == "xlsx" and target.suffix.lower() != ".xlsx":
        return target.with_name(target.name + ".xlsx")
    return target


_SAFE = re.compile(r"[^\w-]+")

#: The coder choice's first entry: every coder's layer, each row naming its coder.
ALL_CODERS = "All coders"


class ExportDialog(QDialog):
    """``coders``: the project's coders; with two or more, a Coder choice exports one layer."""

    def __init__(
        self, project_path: Path, parent: QWidget | None = None, folder: Path | None = None,
        coders: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        # "study.xlsx" alone would not say where; the caller knows the last export folder
        self.folder = (folder or project_path.absolute().parent).absolute()
        self.stem = project_path.stem
        self.xlsx = QRadioButton("Excel workbook (.xlsx), one sheet per table")
        self.csv = QRadioButton("CSV files in a folder, one file per table")
        self.xlsx.setChecked(True)
        formats = QButtonGroup(self)
        formats.addButton(self.xlsx)
        formats.addButton(self.csv)
        self.suggestions = QCheckBox("Include undecided and rejected suggestions, not only accepted entities")
        self.texts = QCheckBox("Include the article texts")
        self.only_done = QCheckBox("Only documents marked done")
        self.only_done.setToolTip(
            "With all coders: done by every coder who has the document; with one coder: theirs"
        )
        self.coder = QComboBox()
        self.coder.setObjectName("exportCoder")
        self.coder.addItem(ALL_CODERS, None)
        for name in coders:
            self.coder.addItem(name, name)
        self.coder.setToolTip(
            "All coders: every coder's entities and claims, each row naming its coder, and a "
            "status column per coder. One coder: only that coder's work and statuses."
        )
        self.target = QLineEdit()
        self.target.setObjectName("exportTarget")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(browse)

        form = QFormLayout()
        form.addRow("Format:", self.xlsx)
        form.addRow("", self.csv)
        if len(coders) > 1:  # one coder: their layer is the whole export
            form.addRow("Coder:", self.coder)
        form.addRow("Entities:", self.suggestions)
        form.addRow("Documents:", self.only_done)
        form.addRow("", self.texts)
        form.addRow("Save to:", where)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.xlsx.toggled.connect(self._suggest_target)
        self.coder.currentIndexChanged.connect(self._suggest_target)
        self.target.textChanged.connect(self._update_ok)
        self._suggest_target()

    def options(self) -> ExportOptions:
        return ExportOptions(
            include_suggestions=self.suggestions.isChecked(),
            include_text=self.texts.isChecked(),
            status=DocumentStatus.DONE if self.only_done.isChecked() else None,
            format="xlsx" if self.xlsx.isChecked() else "csv",
            coder=self.coder.currentData() if self.coder.count() > 2 else None,
        )

    def choice(self) -> ExportChoice | None:
        text = self.target.text().strip()
        if not text:
            return None
        options = self.options()
        return ExportChoice(with_format(Path(text).expanduser(), options), options)

    def _suggest_target(self) -> None:
        coder = self.coder.currentData()
        # one coder's layer says whose in its name (a name safe on every system)
        stem = f"{self.stem}-{_SAFE.sub('_', coder)}" if coder else self.stem
        name = f"{stem}.xlsx" if self.xlsx.isChecked() else f"{stem}-export"
        self.target.setText(str(self.folder / name))

    def _browse(self) -> None:
        current = self.target.text()
        if self.xlsx.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "Export to", current, "Excel workbook (*.xlsx)")
        else:
            path = QFileDialog.getExistingDirectory(self, "Export CSV files into", str(self.folder))
        if path:
            self.target.setText(path)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.target.text().strip()))
