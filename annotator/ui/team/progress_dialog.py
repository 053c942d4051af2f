"""Team -> Team Progress: each coder's documents, assigned, started and done (the PI's view)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import CoderRole
from annotator.services.coders import CoderProgress

COLUMNS = ("Coder", "Role", "Assigned", "Not started", "In progress", "Done", "Done %")


def progress_rows(progress: list[CoderProgress]) -> list[tuple[str, ...]]:
    """One row of text per coder, in the order the project knows them."""
    rows = []
    for p in progress:
        not_started = max(p.assigned - p.done - p.in_progress, 0) if p.assigned else p.new
        share = f"{100 * p.done / p.assigned:.0f} %" if p.assigned else "—"
        role = "PI" if p.role is CoderRole.PI else "coder"
        rows.append((p.name, role, str(p.assigned), str(not_started), str(p.in_progress), str(p.done), share))
    return rows


class TeamProgressDialog(QDialog):
    def __init__(self, progress: list[CoderProgress], blind: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team Progress")
        self.setObjectName("teamProgress")
        layout = QVBoxLayout(self)
        self.mode = QLabel()
        layout.addWidget(self.mode)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refresh(progress, blind)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names get the room
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(620, 320)

    def refresh(self, progress: list[CoderProgress], blind: bool) -> None:
        """Show these figures (the window calls it again when any coder's progress changes)."""
        self.mode.setText("Blind coding: coders see only their own work." if blind
                          else "Shared coding: coders may look at each other's work.")
        self.table.setRowCount(0)
        for row in progress_rows(progress):
            r = self.table.rowCount()
            self.table.insertRow(r)
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
