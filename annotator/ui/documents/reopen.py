"""Annotate → Reopen Document: a document marked done goes back to 'in progress'.

Undo covers one session, so a document marked done by mistake yesterday needs its own way
back; this is it (and it is itself one undoable step).
"""

from __future__ import annotations

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import DocumentStatus
from annotator.ui.editing.commands import DocumentStatusCommand, quoted
from annotator.ui.editing.controller import AnnotationController


def reopen_document(controller: AnnotationController) -> None:
    document = controller.document
    if document is None:
        return
    if document.status is not DocumentStatus.DONE:
        controller.message.emit("This document is not marked done; nothing to reopen")
        return
    corrections = controller.workspace.corrections
    try:
        before = corrections.set_document_status(document.id, DocumentStatus.IN_PROGRESS)
    except AnnotatorError as exc:
        controller.message.emit(str(exc))
        return
    text = f"Reopen {quoted(document.title or f'document {document.id}')}"
    controller.undo_stack.push(
        DocumentStatusCommand(
            text, document.id, before, DocumentStatus.IN_PROGRESS, corrections,
            controller.show_status, controller.message.emit,
        )
    )
    controller.show_status(document.id, DocumentStatus.IN_PROGRESS, from_history=False)
    controller.message.emit(f"{text}: it is in progress again")
