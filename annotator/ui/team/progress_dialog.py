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

from annotator.domain.model import Coder

COLUMNS = ("Coder", "Role", "Assigned", "Not started", "In progress", "Done", "Done %")


def progress_rows(coders: list[Coder], progress: dict[str, dict[str, int]]) -> list[tuple[str, ...]]:
    """One row of text per coder, in the order the project knows them."""
    rows = []
    for coder in coders:
        p = progress.get(coder.name, {})
        assigned, done = p.get("assigned", 0), p.get("done", 0)
        started = p.get("in_progress", 0)
        not_started = max(assigned - done - started, 0) if assigned else p.get("new", 0)
        share = f"{100 * done / assigned:.0f} %" if assigned else "—"
        role = "PI" if coder.is_pi else "coder"
        rows.append((coder.name, role, str(assigned), str(not_started), str(started), str(done), share))
    return rows


class TeamProgressDialog(QDialog):
    def __init__(
        self, coders: list[Coder], progress: dict[str, dict[str, int]], blind: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team Progress")
        self.setObjectName("teamProgress")
        layout = QVBoxLayout(self)
        mode = ("Blind coding: coders see only their own work." if blind
                else "Shared coding: coders may look at each other's work.")
        layout.addWidget(QLabel(mode))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row in progress_rows(coders, progress):
            r = self.table.rowCount()
            self.table.insertRow(r)
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names get the room
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(620, 320)
