"""Marking a document done asks first when a claim is unfinished (issue 10.6).

"2 claims are incomplete (claim 3: claimant type, issue) and 1 is flagged for review. Mark
done anyway?" -- the researcher marks it done anyway, goes to the first unfinished claim
(its first missing variable gets the keyboard), or leaves the document in progress.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from annotator.domain.errors import AnnotatorError
from annotator.services.done_check import UnfinishedClaim
from annotator.ui.claims.claim_controller import ClaimController
from annotator.ui.claims.claims_tab import ClaimsTab
from annotator.ui.shell.dialogs import DoneAnswer, Prompts
from annotator.ui.shell.workspace import Workspace


class DoneGuard(QObject):
    message = Signal(str)

    def __init__(
        self,
        workspace: Callable[[], Workspace],
        prompts: Prompts,
        claims: ClaimController,
        claims_tab: ClaimsTab,
    ) -> None:
        super().__init__(claims_tab)
        self._workspace, self.prompts, self.claims, self.claims_tab = workspace, prompts, claims, claims_tab

    def allows_done(self) -> bool:
        """True when the open document may be marked done now (nothing unfinished, or the
        researcher said so); otherwise it stays as it is and the window says why."""
        document = self.claims.entities.document
        if document is None:
            return True
        try:
            check = self._workspace().claims.unfinished(document.id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return False
        if not check:
            return True
        answer = self.prompts.confirm_done(check.summary())
        if answer is DoneAnswer.DONE:
            return True
        if answer is DoneAnswer.GO and check.first is not None:
            self.go_to(check.first)
        else:
            self.message.emit(f"Left in progress: {check.summary()}")
        return False

    def go_to(self, claim: UnfinishedClaim) -> None:
        """Select the claim and put the keyboard in its first missing variable."""
        self.claims.select(claim.claim_id)
        self.claims_tab.reveal_wanted.emit()
        editor = self.claims_tab.editor
        editor.window().activateWindow()  # back from the question's dialog, keys go to the form
        target = editor.inputs.get(claim.missing[0]) if claim.missing else None
        if target is not None:
            editor.scroll_to(target)
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif claim.needs_review:
            editor.review_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.message.emit(_describe(claim))


def _describe(claim: UnfinishedClaim) -> str:
    parts = []
    if claim.missing:
        parts.append(f"missing {', '.join(claim.missing_captions)}")
    if claim.needs_review:
        parts.append("flagged for review (Mark Reviewed clears it)")
    return f"Claim {claim.number}: {' and '.join(parts)}"
