"""The open document and what the reader does to it: the rules between keys and services.

The controller holds the open document, its spans and the selected entity. Each action
calls a service (which commits at once), pushes an undoable command holding the change,
and announces what changed; the article view, the entity panel and the document list each
listen and redraw only what concerns them. Errors a reader can meet (an overlap, a span
gone meanwhile) become one-line messages for the status bar, never dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.domain.document_details import DocumentDetails
from annotator.domain.errors import AnnotatorError, ServerUnreachableError, SpanError
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import Document, DocumentStatus, EntitySpan, SpanStatus
from annotator.domain.spans import entity_range
from annotator.services.corrections import SpanChange
from annotator.services.retry import retrying
from annotator.services.ui_support import add_pattern
from annotator.ui.editing.commands import (
    AddPatternCommand,
    DocumentStatusCommand,
    SpanChangeCommand,
    flattened,
    quoted,
)
from annotator.ui.shell.workspace import Workspace

T = TypeVar("T")
TextRange = tuple[int, int]


class AnnotationController(QObject):
    document_opened = Signal(object, object)  # Document | None, its spans
    document_updated = Signal(object)  # Document: the open one's status changed
    spans_changed = Signal(object, object)  # all spans of the open document, touched spans or None
    selection_changed = Signal(object)  # SpanId | None
    documents_changed = Signal(object)  # set of DocumentIds whose list rows are stale
    message = Signal(str)

    def __init__(self, workspace: Workspace, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.workspace = workspace
        self.undo_stack = undo_stack
        self.document: Document | None = None
        self.spans: dict[SpanId, EntitySpan] = {}
        self.selected: SpanId | None = None
        self.show_rejected = False

    # -- opening ---------------------------------------------------------------------------
    def open_document(self, document_id: DocumentId | None) -> None:
        if document_id is None:
            self.document, self.spans = None, {}
        else:
            bundle = self._guarded(lambda: self.workspace.browser.bundle(document_id))
            if bundle is None:
                return
            self.document = bundle.document
            self.spans = {s.id: s for s in bundle.spans if s.id is not None}
        self.selected = None
        self.document_opened.emit(self.document, list(self.spans.values()))
        self.selection_changed.emit(None)

    def reload_spans(self) -> None:
        """Read the open document's spans again (a model run changed them meanwhile)."""
        if self.document is None:
            return
        document_id = self.document.id
        spans = self._guarded(lambda: self.workspace.browser.spans(document_id))
        if spans is None:
            return
        self.spans = {s.id: s for s in spans if s.id is not None}
        self.spans_changed.emit(list(self.spans.values()), None)
        if self.selected not in self.spans:
            self.select(None)

    def set_show_rejected(self, show: bool) -> None:
        self.show_rejected = show
        if not show and self.selected is not None and self.spans[self.selected].status is SpanStatus.REJECTED:
            self.select(None)

    # -- selecting -------------------------------------------------------------------------
    def select(self, span_id: SpanId | None) -> None:
        span_id = span_id if span_id in self.spans else None
        if span_id != self.selected:
            self.selected = span_id
            self.selection_changed.emit(span_id)

    def selected_span(self) -> EntitySpan | None:
        return None if self.selected is None else self.spans.get(self.selected)

    def pending(self) -> list[EntitySpan]:
        suggested = (s for s in self.spans.values() if s.status is SpanStatus.SUGGESTED)
        return sorted(suggested, key=lambda s: (s.start, s.end))

    def select_next_pending(self, forward: bool = True, after: int | None = None) -> None:
        """Select the next (or previous) suggestion from the selection, wrapping round."""
        pending = self.pending()
        if not pending:
            self.select(None)
            self.message.emit("No suggestions left in this document" if self.document else "")
            return
        current = self.selected_span()
        if after is not None:
            position = after
        elif current is not None:
            position = current.start
        else:
            position = -1 if forward else 1 << 62
        if forward:
            found = next((s for s in pending if s.start > position), pending[0])
        else:
            found = next((s for s in reversed(pending) if s.start < position), pending[-1])
        self.select(found.id)

    # -- entity actions --------------------------------------------------------------------
    def apply_label(self, label: str, text_range: TextRange | None) -> None:
        """A label key: create an entity from selected text, or relabel the selected one."""
        document, span = self.document, self.selected_span()
        if document is None:
            return
        if text_range is not None and text_range[0] != text_range[1]:
            change = self._guarded(lambda: self.workspace.corrections.create(document.id, *text_range, label))
            if change is not None and change.after is not None:
                self._push(f"Label {quoted(change.after.text)} as {label}", [change])
                self.select(change.after.id)
        elif span is not None and span.id is not None:
            span_id = span.id
            change = self._guarded(lambda: self.workspace.corrections.relabel(span_id, label))
            if change is not None:
                self._push(f"Relabel {quoted(span.text)} as {label}", [change])
        else:
            self.message.emit("Select some words (or an entity) first, then press a label key")

    def accept_selected(self) -> None:
        self._decide(lambda i: self.workspace.corrections.accept(i), "Accept")

    def reject_selected(self) -> None:
        self._decide(lambda i: self.workspace.corrections.reject(i), "Reject")

    def delete_selected(self) -> None:
        self._decide(lambda i: self.workspace.corrections.delete(i), "Delete")

    def _decide(self, action: Callable[[SpanId], SpanChange], verb: str) -> None:
        """Accept, reject or delete the selected entity, then move on to the next suggestion."""
        span = self.selected_span()
        if span is None or span.id is None:
            self.message.emit("Select an entity first (click it, or press N for the next suggestion)")
            return
        span_id = span.id
        change = self._guarded(lambda: action(span_id))
        if change is None:
            return
        self._push(f"{verb} {quoted(span.text)}", [change])
        if self.pending():
            self.select_next_pending(after=span.start)
        else:
            self.select(None)
            self.message.emit("All suggestions decided: Ctrl+Enter marks the document done")

    def resize_selected(self, edge: str, grow: bool) -> None:
        span = self.selected_span()
        if span is None or span.id is None:
            return
        span_id = span.id
        change = self._guarded(lambda: self.workspace.corrections.resize(span_id, edge, grow))
        if change is None or change.after is None:
            return
        if (change.after.start, change.after.end) == (span.start, span.end):
            self._guarded(lambda: self.workspace.corrections.revert(change))  # nothing moved
            self.message.emit(f"Cannot {'grow' if grow else 'shrink'} {quoted(span.text)} further")
            return
        self._push(f"Resize {quoted(span.text)} to {quoted(change.after.text)}", [change])

    def accept_all(self) -> None:
        document = self.document
        if document is None:
            return
        changes = self._guarded(lambda: self.workspace.corrections.accept_all(document.id))
        if not changes:
            if changes is not None:
                self.message.emit("No suggestions to accept in this document")
            return
        self._push(f"Accept {len(changes)} suggestion{'s' if len(changes) > 1 else ''}", changes)

    def label_everywhere(self, text: str, label: str) -> None:
        changes = self._guarded(lambda: self.workspace.corrections.label_everywhere(text, label))
        if changes is None:
            return
        documents = len({c.document_id for c in changes})
        if not changes:
            self.message.emit(f"No unlabelled {quoted(text)} left in the project")
            return
        self._push(f"Label every {quoted(text)} as {label} ({len(changes)})", changes)
        self.message.emit(f"Labelled {len(changes)} × {quoted(text)} as {label} in {documents} document(s)")

    def add_pattern(self, text: str, label: str) -> None:
        project = self.workspace.project
        before = self._guarded(lambda: add_pattern(project, label, text))
        if before is None:
            return
        self.undo_stack.push(AddPatternCommand(project, label, text.strip(), before, self.message.emit))
        self.message.emit(
            f"{quoted(text)} is now a {label} pattern; pre-annotate to apply it to the documents"
        )

    def label_everywhere_selected(self) -> None:
        span = self.selected_span()
        if span is not None:
            self.label_everywhere(span.text, span.label)

    def add_pattern_selected(self) -> None:
        span = self.selected_span()
        if span is not None:
            self.add_pattern(span.text, span.label)

    def snapped_text(self, text_range: TextRange | None) -> str | None:
        """The name a selection stands for, by the rule that makes entities of selections."""
        if self.document is None or text_range is None:
            return None
        try:
            start, end = entity_range(self.document.text, *text_range)
        except SpanError:
            return None
        return self.document.text[start:end]

    # -- documents -------------------------------------------------------------------------
    def mark_done_and_next(self) -> DocumentId | None:
        """Mark the open document done and return the next unfinished one (or None)."""
        document = self.document
        if document is None:
            return None
        before = self._guarded(
            lambda: self.workspace.corrections.set_document_status(document.id, DocumentStatus.DONE)
        )
        if before is None:
            return None
        self.undo_stack.push(
            DocumentStatusCommand(
                f"Mark {quoted(document.title or f'document {document.id}')} done",
                document.id, before, DocumentStatus.DONE, self.workspace.corrections,
                self.show_status, self.message.emit,
            )
        )
        self.show_status(document.id, DocumentStatus.DONE, from_history=False)
        left = len(self.pending())
        next_id = self._guarded(lambda: self.workspace.browser.next_unfinished(document.id))
        if left:
            self.message.emit(f"Marked done with {left} suggestion{'s' if left > 1 else ''} left undecided")
        elif next_id is None:
            self.message.emit("Every document is done")
        return next_id

    def show_status(
        self, document_id: DocumentId, status: DocumentStatus, from_history: bool = True
    ) -> None:
        if from_history and (self.document is None or self.document.id != document_id):
            self.open_document(document_id)  # undo brings the reader back to what it undid
        if self.document is not None and self.document.id == document_id:
            self.document = replace(self.document, status=status)
            self.document_updated.emit(self.document)
        self.documents_changed.emit({document_id})

    def show_details(self, details: DocumentDetails) -> None:
        """The open document's title, outlet, date... changed (an edit, or its undo)."""
        if self.document is not None:
            self.document = details.applied_to(self.document)
            self.document_updated.emit(self.document)

    # -- showing changes -------------------------------------------------------------------
    def _push(self, text: str, changes: Sequence[SpanChange]) -> None:
        self.undo_stack.push(
            SpanChangeCommand(
                text, changes, self.workspace.corrections, self._show_from_history, self.message.emit
            )
        )
        self.show_changes(changes)
        displaced = [d.before.text for c in changes for d in c.displaced if d.before is not None]
        if displaced:  # say so: a suggestion vanishing silently would look like a bug
            plural = "s" if len(displaced) > 1 else ""
            names = ", ".join(quoted(t) for t in displaced)
            self.message.emit(f"Replaced the suggestion{plural} {names} (Ctrl+Z brings it back)")

    def _show_from_history(self, changes: list[SpanChange]) -> None:
        """An undo or redo: go to the document it happened in and select what it restored."""
        documents = {c.document_id for c in changes}
        if len(documents) == 1 and (self.document is None or self.document.id not in documents):
            self.open_document(next(iter(documents)))
            self.documents_changed.emit(documents)
        else:
            self.show_changes(changes)
        last = next((c.after for c in reversed(changes) if c.after is not None), None)
        if last is not None and len(changes) == 1:
            self.select(last.id if self.show_rejected or last.status is not SpanStatus.REJECTED else None)

    def show_changes(self, changes: Iterable[SpanChange]) -> None:
        touched: list[EntitySpan | None] = []
        documents: set[DocumentId] = set()
        current = self.document.id if self.document is not None else None
        for change in flattened(changes):
            documents.add(change.document_id)
            if change.document_id != current:
                continue
            if change.before is not None and change.before.id is not None:
                self.spans.pop(change.before.id, None)
            if change.after is not None and change.after.id is not None:
                self.spans[change.after.id] = change.after
            touched += [change.before, change.after]
            if change.status_after is not None and self.document is not None:
                self.document = replace(self.document, status=change.status_after)
                self.document_updated.emit(self.document)
        if touched:
            self.spans_changed.emit(list(self.spans.values()), touched)
            if self.selected not in self.spans:
                self.select(None)
        if documents:
            self.documents_changed.emit(documents)

    def _guarded(self, action: Callable[[], T]) -> T | None:
        try:
            # On a team server a transaction rolled back for a concurrent one is run again (a
            # second at most). A dropped connection is not waited for: the window must not freeze.
            return retrying(action, patience_s=0)
        except ServerUnreachableError as exc:
            self.message.emit(f"{exc}. This change was not saved: "
                              "do it again once the server answers (the window says when).")
            return None
        except AnnotatorError as exc:
            self.message.emit(str(exc)[:1].upper() + str(exc)[1:])
            return None
