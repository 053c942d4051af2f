"""The document list panel: a filter bar over a paged table of documents."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus
from annotator.domain.ordering import ORDER_TEXT, DocumentOrder
from annotator.ui.common.field_keys import FieldKeys
from annotator.ui.documents.document_model import STATUS_TEXT, DocumentListModel

_FILTER_DELAY_MS = 200  # wait for a pause in typing before querying


class DocumentListPanel(QWidget):
    document_chosen = Signal(object)  # DocumentId the reader moved to
    leave_wanted = Signal()  # Enter or Esc in the filter: back to the article

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._quiet = False  # True while the selection is moved by code, not by the reader
        self._current: DocumentId | None = None

        self.filter_edit = QLineEdit(placeholderText="Filter documents")  # fits a narrow list
        self.filter_edit.setObjectName("documentFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Filter by words of the text, the title or the file name.\n"
            "Enter opens the first document shown; Down goes to the list; Esc returns to the article"
        )
        self.filter_keys = keys = FieldKeys(self.filter_edit)
        keys.entered.connect(lambda _forward: self._open_first())
        keys.escaped.connect(self.leave_wanted)
        keys.down_pressed.connect(lambda: self.table.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.status_box = QComboBox()
        self.status_box.setObjectName("statusFilter")
        self.status_box.addItem("All", None)
        for status, text in STATUS_TEXT.items():
            self.status_box.addItem(text, status.value)
        self.order_box = QComboBox()
        self.order_box.setObjectName("documentOrder")
        for order, text in ORDER_TEXT.items():
            self.order_box.addItem(text, order.value)
        self.order_box.setToolTip(
            "Most uncertain first: the documents the model was least sure of come first;\n"
            "its suggestions there need the closest reading.\n"
            "Scores come from the last pre-annotation; documents without one come last.\n"
            "Each row's tooltip gives its score."
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("documentCount")
        self.count_label.setEnabled(False)  # quiet, secondary text

        self.table = QTableView()
        self.table.setObjectName("documentTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Shift/Ctrl+click, Ctrl+A) for editing their details at once (F2).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed row heights and column widths: nothing has to measure 10,000 rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        header.setMinimumSectionSize(20)
        self.table.setColumnWidth(DocumentListModel.STATUS, 22)
        # Counts as narrow as three digits (or their header); the title takes the rest, and
        # the row's tooltip gives every count.
        digits = metrics.horizontalAdvance("888")
        for column in DocumentListModel.COUNTS:
            header_width = metrics.horizontalAdvance(DocumentListModel.HEADERS[column])
            self.table.setColumnWidth(column, max(digits, header_width) + 12)
        claims_width = digits + 34  # the number and the unfinished-claims mark
        self.table.setColumnWidth(DocumentListModel.CLAIMS, max(claims_width, self.table.columnWidth(
            DocumentListModel.CLAIMS)))

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.order_box)
        layout.addLayout(footer)

        self._filter_timer = QTimer(self, singleShot=True, interval=_FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.status_box.currentIndexChanged.connect(self._apply_filter)
        self.order_box.currentIndexChanged.connect(self._apply_order)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        model.modelReset.connect(self._update_count)
        model.modelReset.connect(lambda: self.select_document(self._current))
        self._update_count()

    def _apply_filter(self) -> None:
        data = self.status_box.currentData()  # Qt hands a StrEnum back as a plain str
        status = DocumentStatus(data) if data else None
        self.model.set_filter(self.filter_edit.text().strip(), status)

    def _apply_order(self) -> None:
        self.model.set_order(DocumentOrder(self.order_box.currentData()))  # the reset keeps the selection

    def set_order(self, order: DocumentOrder) -> None:
        """Choose the order as the reader would (e.g. one remembered for the project)."""
        self.order_box.setCurrentIndex(self.order_box.findData(order.value))

    def _open_first(self) -> None:
        """Enter in the filter: the filter applies now; the open document stays when it is
        shown, else the first document shown opens; then the keyboard goes to the article."""
        if self._filter_timer.isActive():
            self._filter_timer.stop()
            self._apply_filter()
        shown = self._current is not None and self.model.row_of(self._current) is not None
        first = self.model.document_id_at(0)
        if not shown and first is not None:
            self.document_chosen.emit(first)
        self.leave_wanted.emit()

    def _update_count(self) -> None:
        count = self.model.rowCount()
        filtered = bool(self.model.text_filter or self.model.status_filter)
        noun = "document" if count == 1 else "documents"
        self.count_label.setText(f"{count:,} {noun}{' shown' if filtered else ''}")

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        document_id = self.model.document_id_at(current.row())
        if document_id is not None:
            self._current = document_id
            self.document_chosen.emit(document_id)

    def select_document(self, document_id: DocumentId | None) -> None:
        """Show which document is open, without announcing it as a new choice."""
        self._current = document_id
        row = None if document_id is None else self.model.row_of(document_id)
        self._quiet = True
        try:
            selection = self.table.selectionModel()
            if row is None:
                selection.clearSelection()
                return
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._quiet = False

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()
