"""Undoable edits. Each service call has already committed when its command is pushed.

Pattern: the controller performs the action through the service, and only when that worked
pushes a command holding the returned change. ``QUndoStack.push`` calls ``redo()`` at once,
so the first ``redo()`` does nothing; later ones re-apply the change, and ``undo()`` reverts
it, each committing at once. If the project changed underneath (a model re-run removed a
suggestion), the command reports why and drops out of the stack instead of failing again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from annotator.domain.errors import AnnotatorError
from annotator.domain.ids import DocumentId
from annotator.domain.model import DocumentStatus, Pattern
from annotator.services.claims import ClaimChange, ClaimCoding
from annotator.services.corrections import Corrections, SpanChange
from annotator.services.project import Project
from annotator.services.ui_support import add_pattern, restore_patterns

ReportError = Callable[[str], None]


def quoted(text: str, limit: int = 32) -> str:
    """Entity text for a menu entry: 'Shehbaz Sharif', cut short if long."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


def inverted(change: SpanChange) -> SpanChange:
    """The change that undoing ``change`` makes (for views that show the result)."""
    return replace(
        change,
        before=change.after,
        after=change.before,
        claims_before=change.claims_after,
        claims_after=change.claims_before,
        status_before=change.status_after,
        status_after=change.status_before,
        displaced=tuple(inverted(d) for d in reversed(change.displaced)),
    )


def flattened(changes: Iterable[SpanChange]) -> Iterator[SpanChange]:
    """Each change with the suggestions it displaced (rejected to make room) before it."""
    for change in changes:
        yield from flattened(change.displaced)
        yield change


class _AppliedOnce(QUndoCommand):
    """Skips the first redo (the action already ran) and turns service errors into reports."""

    def __init__(self, text: str, report_error: ReportError) -> None:
        super().__init__(text)
        self._first_redo = True
        self._report_error = report_error

    def redo(self) -> None:
        if self._first_redo:
            self._first_redo = False
            return
        self._guarded(self.reapply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except AnnotatorError as exc:
            self._report_error(f"Cannot {self.text()[:1].lower()}{self.text()[1:]}: {exc}")
            self.setObsolete(True)

    def reapply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class SpanChangeCommand(_AppliedOnce):
    """One or more entity edits (a relabel, or all the suggestions accepted at once)."""

    def __init__(
        self,
        text: str,
        changes: Sequence[SpanChange],
        corrections: Corrections,
        show: Callable[[list[SpanChange]], None],
        report_error: ReportError,
    ) -> None:
        super().__init__(text, report_error)
        self.changes = list(changes)
        self._corrections = corrections
        self._show = show

    def reapply(self) -> None:
        self._corrections.reapply_many(self.changes)
        self._show(self.changes)

    def revert(self) -> None:
        self._corrections.revert_many(self.changes)
        self._show([inverted(c) for c in reversed(self.changes)])


class DocumentStatusCommand(_AppliedOnce):
    def __init__(
        self,
        text: str,
        document_id: DocumentId,
        before: DocumentStatus,
        after: DocumentStatus,
        corrections: Corrections,
        show: Callable[[DocumentId, DocumentStatus], None],
        report_error: ReportError,
    ) -> None:
        super().__init__(text, report_error)
        self.document_id, self.before, self.after = document_id, before, after
        self._corrections = corrections
        self._show = show

    def reapply(self) -> None:
        self._corrections.set_document_status(self.document_id, self.after)
        self._show(self.document_id, self.after)

    def revert(self) -> None:
        self._corrections.set_document_status(self.document_id, self.before)
        self._show(self.document_id, self.before)


class AddPatternCommand(_AppliedOnce):
    def __init__(
        self,
        project: Project,
        label: str,
        phrase: str,
        patterns_before: tuple[Pattern, ...],
        report_error: ReportError,
    ) -> None:
        super().__init__(f"Add pattern {quoted(phrase)} for {label}", report_error)
        self._project, self.label, self.phrase = project, label, phrase
        self.patterns_before = patterns_before

    def reapply(self) -> None:
        add_pattern(self._project, self.label, self.phrase)

    def revert(self) -> None:
        restore_patterns(self._project, self.patterns_before)


class ClaimChangeCommand(_AppliedOnce):
    """One claim edit: created, coded, moved, reviewed or deleted."""

    def __init__(
        self,
        text: str,
        change: ClaimChange,
        coding: ClaimCoding,
        show: Callable[[ClaimChange], None],
        report_error: ReportError,
    ) -> None:
        super().__init__(text, report_error)
        self.change = change
        self._coding = coding
        self._show = show

    def reapply(self) -> None:
        self._coding.reapply(self.change)
        self._show(self.change)

    def revert(self) -> None:
        self._coding.revert(self.change)
        self._show(self.change.reversed())


#: Consecutive codings of one variable of one claim merge into one step (arrowing through
#: a spin box or a list should not take a dozen undos).
_CODING_ID = 0x436C61


class ClaimCodingCommand(ClaimChangeCommand):
    """One variable coded (or cleared); merges with the next coding of the same variable."""

    def __init__(
        self,
        variable: str,
        text: str,
        change: ClaimChange,
        coding: ClaimCoding,
        show: Callable[[ClaimChange], None],
        report_error: ReportError,
    ) -> None:
        super().__init__(text, change, coding, show, report_error)
        self.variable = variable

    def id(self) -> int:
        return _CODING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ClaimCodingCommand) or other.variable != self.variable:
            return False
        mine, theirs = self.change, other.change
        if mine.after is None or theirs.before is None or mine.after.id != theirs.before.id:
            return False
        self.change = ClaimChange(mine.document_id, mine.before, theirs.after)
        self.setText(other.text())
        if mine.before is not None and theirs.after is not None:
            # Back where it started (coded, then cleared): nothing left to undo.
            self.setObsolete(mine.before.values == theirs.after.values)
        return True
