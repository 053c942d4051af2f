"""The claims of the open document as a table: state, text and the key variables.

The state column marks a claim whose required variables are missing, or that needs review
because an entity it links to changed; its tooltip says what is missing or why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView, QWidget

from annotator.domain.ids import ClaimId
from annotator.domain.model import Claim, ClaimField, Codebook, EntityRef, FieldKind
from annotator.ui.claims.claim_marks import claim_state, state_icon, state_tooltip
from annotator.ui.common.row_table import RowTable

Index = QModelIndex | QPersistentModelIndex
#: The variables most studies look at first; the ones the codebook has become columns.
KEY_VARIABLES = ("claimant", "form", "issue", "position")
SHORT_HEADERS = {"position": "Pos."}
_WIDE_COLUMN, _NARROW_COLUMN = 140, 84  # pixels at most for a key variable's column


def cell_text(field: ClaimField, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, EntityRef):
        return value.text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        signed = field.kind is FieldKind.SCALE and field.minimum is not None and field.minimum < 0
        return f"{value:+g}" if signed and value else f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ClaimTableModel(QAbstractTableModel):
    STATE, TEXT = 0, 1

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.rows: list[Claim] = []
        self.missing: Callable[[Claim], Sequence[str]] = lambda _claim: ()
        self.is_proposed: Callable[[Claim], bool] = lambda _claim: False
        self._italic = QFont()
        self._italic.setItalic(True)
        self.set_codebook(codebook)

    def set_codebook(self, codebook: Codebook) -> None:
        self.beginResetModel()
        fields = [codebook.field(name) for name in KEY_VARIABLES]
        self.fields: list[ClaimField] = [f for f in fields if f is not None] or list(codebook.fields[:3])
        self.headers = ["", "Claim"] + [
            SHORT_HEADERS.get(f.name, f.name.replace("_", " ").capitalize()) for f in self.fields
        ]
        self.endResetModel()

    def set_claims(self, claims: Sequence[Claim]) -> None:
        """Take the document's claims (in text order); rows keep their place when only
        their values changed, so the view keeps its selection and scroll position."""
        new = list(claims)
        if [c.id for c in new] == [c.id for c in self.rows]:
            self.rows = new
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.headers) - 1))
            return
        self.beginResetModel()
        self.rows = new
        self.endResetModel()  # the panel fits its columns to the new rows

    def row_of(self, claim_id: ClaimId | None) -> int | None:
        return next((i for i, c in enumerate(self.rows) if c.id == claim_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == self.STATE:
                return "Complete (green), required variables missing (amber), needs review (red)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        claim = self.rows[index.row()]
        column = index.column()
        field = self.fields[column - 2] if column >= 2 else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TEXT:
                return " ".join(claim.text.split())
            if field is not None:
                return cell_text(field, claim.values.get(field.name))
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATE:
            return state_icon(claim_state(claim, self.missing(claim)))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.TEXT:
                return claim.text
            return state_tooltip(claim, self.missing(claim))
        proposed = field is not None and field.kind is FieldKind.ENTITY and self.is_proposed(claim) and (
            field.name == "claimant"
        )
        if role == Qt.ItemDataRole.FontRole and proposed:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and proposed:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.UserRole:
            return claim.id
        return None


class ClaimPanel(RowTable):
    """Lists the open document's claims; choosing a row selects that claim."""

    claim_chosen = Signal(object)  # ClaimId

    def __init__(self, model: ClaimTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.setObjectName("claimPanel")
        self.claim_model = model
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setMinimumSectionSize(22)
        self.fit_columns()
        model.modelReset.connect(self.fit_columns)
        model.dataChanged.connect(lambda *_changed: self.fit_columns())
        # A click on the row already current still means "this claim" (an entity may have
        # been selected in the article since).
        self.clicked.connect(lambda index: self.claim_chosen.emit(model.rows[index.row()].id))

    def fit_columns(self) -> None:
        """The key variables as wide as their values (within a limit), the text gets the rest."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClaimTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ClaimTableModel.STATE, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(ClaimTableModel.STATE, 26)
        metrics, model = self.fontMetrics(), self.claim_model
        for column, field in enumerate(model.fields, start=2):
            texts = [str(model.headers[column]), *(model.data(model.index(r, column)) or "" for r in
                                                   range(model.rowCount()))]
            limit = _WIDE_COLUMN if field.kind in (FieldKind.ENTITY, FieldKind.TEXT) else _NARROW_COLUMN
            self.setColumnWidth(column, min(max(metrics.horizontalAdvance(t) for t in texts) + 16, limit))

    def row_chosen(self, row: int) -> None:
        self.claim_chosen.emit(self.claim_model.rows[row].id)

    def select_claim(self, claim_id: ClaimId | None) -> None:
        self.show_row(self.claim_model.row_of(claim_id), ClaimTableModel.TEXT)
