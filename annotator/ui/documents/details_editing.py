"""Editing documents' details from the window: which documents, the form, undo, and redraws.

F2 edits the open document, or every document selected in the list when several are (filter
the list, Ctrl+A in it, F2, type the outlet, Enter). Each edit is one step on the window's
undo stack; the service has committed it before the step is pushed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack

from annotator.domain.document_details import DETAIL_LABELS, as_text
from annotator.domain.errors import AnnotatorError
from annotator.domain.ids import DocumentId
from annotator.services.document_details import DetailsChange, DocumentDetailsEditor
from annotator.ui.documents.details_dialog import DetailsEdit, DetailsRequest
from annotator.ui.documents.document_list import DocumentListPanel
from annotator.ui.editing.commands import ReportError, _AppliedOnce, quoted
from annotator.ui.editing.controller import AnnotationController

AskDetails = Callable[[DetailsRequest], DetailsEdit | None]
ShowChanges = Callable[[list[DetailsChange], bool], None]


def selected_documents(panel: DocumentListPanel) -> list[DocumentId]:
    """The documents selected in the list, in list order."""
    rows = sorted(index.row() for index in panel.table.selectionModel().selectedRows())
    found = (panel.model.document_id_at(row) for row in rows)
    return [document_id for document_id in found if document_id is not None]


def step_text(changes: Sequence[DetailsChange], edit: DetailsEdit, title: str) -> str:
    """The undo step's name: "Set outlet of 12 documents to 'Dawn'", "Edit details of 'Floods'"."""
    target = f"{len(changes)} documents" if len(changes) > 1 else quoted(title)
    if len(edit) != 1:
        return f"Edit details of {target}"
    name, value = next(iter(edit.items()))
    label = DETAIL_LABELS[name] if name == "url" else DETAIL_LABELS[name].lower()
    if value is None or value == "":
        return f"Clear {label} of {target}"
    return f"Set {label} of {target} to {quoted(as_text(value))}"


class DocumentDetailsCommand(_AppliedOnce):
    def __init__(
        self,
        text: str,
        changes: Sequence[DetailsChange],
        editor: DocumentDetailsEditor,
        show: ShowChanges,
        report_error: ReportError,
    ) -> None:
        super().__init__(text, report_error)
        self.changes = list(changes)
        self._editor, self._show = editor, show

    def reapply(self) -> None:
        self._editor.reapply(self.changes)
        self._show(self.changes, True)

    def revert(self) -> None:
        self._editor.revert(self.changes)
        self._show([DetailsChange(c.document_id, c.after, c.before) for c in self.changes], True)


class DetailsEditing(QObject):
    message = Signal(str)

    def __init__(
        self,
        editor: Callable[[], DocumentDetailsEditor],
        undo_stack: QUndoStack,
        controller: AnnotationController,
        documents: DocumentListPanel,
        ask: AskDetails,
        open_document: Callable[[DocumentId], None],
    ) -> None:
        super().__init__()
        self._editor, self.undo_stack, self.controller = editor, undo_stack, controller
        self.documents, self._ask, self._open_document = documents, ask, open_document

    def offer_in_list(self, action: QAction) -> None:
        """Right-click in the document list offers the details of the rows selected there."""
        self.documents.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.documents.table.addAction(action)

    def targets(self) -> list[DocumentId]:
        """Several documents selected in the list: those; otherwise the open document."""
        selected = selected_documents(self.documents)
        if len(selected) > 1:
            return selected
        return [] if self.controller.document is None else [self.controller.document.id]

    def edit(self, document_ids: Sequence[DocumentId] | None = None) -> None:
        ids = list(document_ids) if document_ids is not None else self.targets()
        if not ids:
            self.message.emit("Open a document (or select several in the list) to edit its details")
            return
        editor = self._editor()
        try:
            current = editor.details(ids)
            request = DetailsRequest(
                details=[current[i] for i in ids if i in current],
                known=editor.known_values(),
                date_hint=self._date_hint(ids),
            )
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return
        answer = self._ask(request)
        if not answer:
            return
        try:
            changes = editor.update(ids, answer)
        except (AnnotatorError, KeyError) as exc:
            self.message.emit(f"Cannot change the details: {exc}")
            return
        if not changes:
            self.message.emit("The details were already so; nothing changed")
            return
        title = changes[0].after.title or f"document {changes[0].document_id}"
        text = step_text(changes, answer, title)
        self.undo_stack.push(DocumentDetailsCommand(text, changes, editor, self.show, self.message.emit))
        self.show(changes, False)
        self.message.emit(f"{text} (saved; Ctrl+Z undoes it)")

    def _date_hint(self, ids: Sequence[DocumentId]) -> str | None:
        document = self.controller.document
        if len(ids) != 1 or document is None or document.id != ids[0] or document.published:
            return None
        return document.metadata.get("date_raw")

    def show(self, changes: list[DetailsChange], from_history: bool) -> None:
        """Redraw the header of the open document and the list rows of the changed ones."""
        ids = {c.document_id for c in changes}
        if from_history and len(ids) == 1 and (
            self.controller.document is None or self.controller.document.id not in ids
        ):
            self._open_document(next(iter(ids)))  # undo shows what it undid
        open_document = self.controller.document
        for change in changes:
            if open_document is not None and change.document_id == open_document.id:
                self.controller.show_details(change.after)
        self.controller.documents_changed.emit(ids)
