"""The claims of the open document and what the researcher does to them.

It follows the entity controller: when a document opens, or its entities change (an entity
a claim links to may have been deleted, which flags the claim for review), it reads the
document's claims again. Every edit goes through ``ClaimCoding`` (which commits at once)
and is pushed as a command on the window's one undo stack, beside the entity edits.

The claimant is proposed on the worker thread, because ``propose_claimant`` loads spaCy's
parser: the claim is created at once, the editor says "proposing…", and when the candidates
come back the best one is written as an undoable command of its own and shown as
*proposed* until the researcher confirms it or picks another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from threading import Event
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.domain.codebook import missing_required
from annotator.domain.errors import AnnotatorError
from annotator.domain.ids import ClaimId, DocumentId, SpanId
from annotator.domain.model import Claim, Codebook, Document, EntityRef, FieldKind
from annotator.domain.spans import sentence_bounds
from annotator.services.claimant import CLAIMANT_FIELD
from annotator.services.claims import ClaimChange
from annotator.ui.common.worker import Task, TaskRunner
from annotator.ui.editing.commands import ClaimChangeCommand, ClaimCodingCommand, quoted
from annotator.ui.editing.controller import AnnotationController
from annotator.ui.shell.workspace import Workspace

T = TypeVar("T")
TextRange = tuple[int, int]


def describe_value(value: object) -> str:
    """A coded value as a menu entry shows it: "demand", "yes", "'Shehbaz Sharif'"."""
    if isinstance(value, EntityRef):
        return quoted(value.text)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if len(str(value)) <= 24 else quoted(str(value), 24)


class ClaimController(QObject):
    claims_changed = Signal(object)  # list[Claim]: the open document's claims, in text order
    selection_changed = Signal(object)  # ClaimId | None
    proposal_changed = Signal()  # a proposal started, arrived, or was confirmed
    documents_changed = Signal(object)  # set of DocumentIds whose list rows are stale
    coding_wanted = Signal()  # a claim was just created: move the keyboard to its editor
    message = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        undo_stack: QUndoStack,
        runner: TaskRunner,
        entities: AnnotationController,
        open_document: Callable[[DocumentId], None],
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.undo_stack = undo_stack
        self.runner = runner
        self.entities = entities
        self._open_document = open_document
        self.codebook: Codebook = workspace.claims.codebook()
        self.document_id: DocumentId | None = None
        self.claims: dict[ClaimId, Claim] = {}
        self.selected: ClaimId | None = None
        self.proposing: set[ClaimId] = set()
        #: claim -> the entity the proposer wrote as its claimant, until confirmed or changed
        self.proposed: dict[ClaimId, SpanId] = {}
        entities.document_opened.connect(self._on_document_opened)
        # An entity edit may flag claims (their claimant was deleted): read them again.
        entities.spans_changed.connect(lambda _spans, _touched: self.reload())

    def set_workspace(self, workspace: Workspace) -> None:
        """Another project: forget this one's claims (the window opens a document next)."""
        self.workspace = workspace
        self.proposing.clear()
        self.proposed.clear()
        self.document_id, self.claims, self.selected = None, {}, None
        self.codebook = workspace.claims.codebook()

    def set_codebook(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.reload()

    # -- reading ---------------------------------------------------------------------------
    def _on_document_opened(self, document: Document | None, _spans: object) -> None:
        self.document_id = None if document is None else document.id
        self.selected = None
        self.reload()
        self.selection_changed.emit(None)

    def reload(self) -> None:
        document_id = self.document_id
        coding = self.workspace.claims
        found = [] if document_id is None else self._guarded(lambda: coding.claims(document_id))
        self.claims = {c.id: c for c in found or () if c.id is not None}
        self.claims_changed.emit(self.ordered())
        if self.selected not in self.claims:
            self.select(None)

    def ordered(self) -> list[Claim]:
        return sorted(self.claims.values(), key=lambda c: (c.start, c.end, c.id or 0))

    def selected_claim(self) -> Claim | None:
        return None if self.selected is None else self.claims.get(self.selected)

    def missing(self, claim: Claim) -> list[str]:
        """The required variables the claim lacks, named as the form names them."""
        names = missing_required(self.codebook, claim)
        return [f.display_name if (f := self.codebook.field(n)) else n for n in names]

    def is_proposed(self, claim: Claim) -> bool:
        """The claimant is still the proposer's choice, not yet confirmed by a person."""
        value = claim.values.get(CLAIMANT_FIELD)
        wanted = self.proposed.get(claim.id) if claim.id is not None else None
        return wanted is not None and isinstance(value, EntityRef) and value.span_id == wanted

    # -- selecting -------------------------------------------------------------------------
    def select(self, claim_id: ClaimId | None) -> None:
        claim_id = claim_id if claim_id in self.claims else None
        if claim_id is not None:
            self.entities.select(None)  # one target at a time: Delete and Esc act on the claim
        if claim_id != self.selected:
            self.selected = claim_id
            self.selection_changed.emit(claim_id)

    def step(self, step: int) -> None:
        """Select the next (1) or previous (-1) claim in text order, wrapping round."""
        ids = [c.id for c in self.ordered()]
        if not ids:
            self.message.emit("No claims in this document: select words and press C to add one")
            return
        if self.selected in ids:
            index = (ids.index(self.selected) + step) % len(ids)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.select(ids[index])

    def sentence_range(self, text_range: TextRange | None, cursor: int) -> TextRange | None:
        """The whole sentence(s) around the selection (or the caret, or the selected entity);
        a selection that already covers whole sentences grows by the next one."""
        document = self.entities.document
        if document is None:
            return None
        text = document.text
        span = self.entities.selected_span()
        if text_range is not None and text_range[0] != text_range[1]:
            start, end = text_range
        elif span is not None:
            start, end = span.start, span.end
        else:
            start = end = cursor
        low = sentence_bounds(text, start)[0]
        high = sentence_bounds(text, max(start, end - 1))[1]
        if (low, high) == (start, end):
            following = high
            while following < len(text) and text[following].isspace():
                following += 1
            if following < len(text):
                high = sentence_bounds(text, following)[1]
        return (low, high) if high > low else None

    # -- edits -----------------------------------------------------------------------------
    def create(self, text_range: TextRange | None) -> None:
        document = self.entities.document
        if document is None:
            return
        if text_range is None or text_range[0] == text_range[1]:
            self.message.emit("Select the words of the claim first (S selects the sentence), then press C")
            return
        document_id = document.id
        change = self._guarded(lambda: self.workspace.claims.create(document_id, *text_range))
        if change is None or change.after is None:
            return
        self._push(f"New claim {quoted(change.after.text)}", change)
        self.select(change.after.id)
        self.coding_wanted.emit()
        self.propose(change.after)

    def set_span(self, text_range: TextRange | None) -> None:
        claim = self.selected_claim()
        if claim is None or claim.id is None:
            self.message.emit("Select a claim first (click its underlined text, or its row)")
            return
        if text_range is None or text_range[0] == text_range[1]:
            self.message.emit("Select the claim's new words, then press Shift+C")
            return
        claim_id = claim.id
        change = self._guarded(lambda: self.workspace.claims.set_span(claim_id, *text_range))
        if change is not None and change.after is not None:
            self._push(f"Set claim span to {quoted(change.after.text)}", change)

    def set_value(self, claim_id: ClaimId, name: str, value: object) -> str | None:
        """Code one variable. Returns why not (also shown in the status bar) when the value
        does not fit, None when it is stored."""
        if claim_id not in self.claims:
            return "the claim is gone"
        try:
            change = self.workspace.claims.set_value(claim_id, name, value)
        except AnnotatorError as exc:
            reason = str(exc)  # starts with the variable's name, which keeps its case
            self.message.emit(reason)
            return reason
        if change.after is None:
            return None
        if name == CLAIMANT_FIELD:
            self.proposed.pop(claim_id, None)  # the researcher decided
            self.proposal_changed.emit()
        if change.before is not None and change.before.values == change.after.values:
            self._apply(change)  # nothing to undo
            return None
        coded = change.after.values.get(name)
        shown = field.display_name if (field := self.codebook.field(name)) else name
        text = f"Code {shown} = {describe_value(coded)}" if coded is not None else f"Clear {shown}"
        self._push(text, change, variable=name)
        return None

    def delete_selected(self) -> None:
        claim = self.selected_claim()
        if claim is None or claim.id is None:
            return
        claim_id = claim.id
        change = self._guarded(lambda: self.workspace.claims.delete(claim_id))
        if change is not None:
            self.proposed.pop(claim_id, None)
            self._push(f"Delete claim {quoted(claim.text)}", change)
            self.select(None)

    def mark_reviewed(self) -> None:
        claim = self.selected_claim()
        if claim is None or claim.id is None:
            return
        if not claim.needs_review:
            self.message.emit("This claim needs no review")
            return
        claim_id = claim.id
        change = self._guarded(lambda: self.workspace.claims.mark_reviewed(claim_id))
        if change is not None:
            self._push(f"Mark claim {quoted(claim.text)} reviewed", change)

    # -- the claimant proposal -------------------------------------------------------------
    def propose(self, claim: Claim) -> None:
        """Ask the worker thread for claimant candidates (spaCy never runs on this thread)."""
        propose = self.workspace.propose_claimant
        field = self.codebook.field(CLAIMANT_FIELD)
        if propose is None or field is None or field.kind is not FieldKind.ENTITY or claim.id is None:
            return
        if claim.values.get(CLAIMANT_FIELD) is not None:
            return
        claim_id, document_id, start, end = claim.id, claim.document_id, claim.start, claim.end

        def job(cancel: Event):  # type: ignore[no-untyped-def]
            # Runs on the worker thread: the parser loads there on the first proposal.
            if cancel.is_set():
                return None
            return propose(document_id, start, end)
            yield  # a generator, which is what the worker drives

        self.proposing.add(claim_id)
        self.proposal_changed.emit()
        self.runner.submit(
            Task("Proposing the claimant", job,
                 on_finished=lambda found: self._on_proposed(claim_id, document_id, found),
                 on_failed=lambda text: self._on_proposal_failed(claim_id, text))
        )

    def _on_proposed(self, claim_id: ClaimId, document_id: DocumentId, found: list[SpanId] | None) -> None:
        self.proposing.discard(claim_id)
        self.proposal_changed.emit()
        if found is None:  # cancelled
            return
        claim = self.claims.get(claim_id)
        if claim is None:  # the researcher moved on to another document meanwhile
            stored = self._guarded(lambda: self.workspace.claims.claims(document_id)) or []
            claim = next((c for c in stored if c.id == claim_id), None)
        if claim is None or claim.values.get(CLAIMANT_FIELD) is not None:
            return  # deleted meanwhile, or the researcher chose already: theirs wins
        if not found:
            self.message.emit("No claimant candidate in the claim's sentence: choose one in the editor")
            return
        best = found[0]
        change = self._guarded(lambda: self.workspace.claims.set_value(claim_id, CLAIMANT_FIELD, best))
        if change is None or change.after is None:
            return
        self.proposed[claim_id] = best
        proposal = change.after.values.get(CLAIMANT_FIELD)
        self._push(f"Propose claimant {describe_value(proposal)}", change)
        self.proposal_changed.emit()

    def _on_proposal_failed(self, claim_id: ClaimId, text: str) -> None:
        self.proposing.discard(claim_id)
        self.proposal_changed.emit()
        self.message.emit(f"Could not propose a claimant: {text}")

    def confirm_proposal(self) -> None:
        claim = self.selected_claim()
        if claim is not None and claim.id is not None and self.proposed.pop(claim.id, None) is not None:
            self.proposal_changed.emit()
            self.message.emit(f"Claimant {describe_value(claim.values.get(CLAIMANT_FIELD))} confirmed")

    # -- showing changes -------------------------------------------------------------------
    def _push(self, text: str, change: ClaimChange, variable: str | None = None) -> None:
        coding, report = self.workspace.claims, self.message.emit
        if variable is None:
            command = ClaimChangeCommand(text, change, coding, self._show_from_history, report)
        else:
            command = ClaimCodingCommand(variable, text, change, coding, self._show_from_history, report)
        self.undo_stack.push(command)
        self._apply(change)

    def _apply(self, change: ClaimChange) -> None:
        if change.document_id == self.document_id:
            if change.before is not None and change.before.id is not None:
                self.claims.pop(change.before.id, None)
            if change.after is not None and change.after.id is not None:
                self.claims[change.after.id] = change.after
            self.claims_changed.emit(self.ordered())
            if self.selected not in self.claims:
                self.select(None)
        if change.status_after is not None:  # the first claim of a new document (or its undo)
            self.entities.show_status(change.document_id, change.status_after, from_history=False)
        self.documents_changed.emit({change.document_id})

    def _show_from_history(self, change: ClaimChange) -> None:
        """An undo or redo: go to the claim's document and select what it restored."""
        if change.document_id != self.document_id:
            self._open_document(change.document_id)
            self.documents_changed.emit({change.document_id})
        else:
            self._apply(change)
        self.select(change.after.id if change.after is not None else None)

    def _guarded(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except AnnotatorError as exc:
            self.message.emit(_sentence(str(exc)))
            return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
