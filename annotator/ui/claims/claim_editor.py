"""The selected claim's variables, one input each in codebook order, coded as you go.

There is no Save button: every change an input commits is handed on at once (and becomes
an undoable command). Tab moves through the inputs, Esc goes back to the article. The
claimant row says "proposing…" while the worker thread looks for candidates, then marks the
proposer's choice until the researcher confirms it (Enter, or the Confirm button) or
picks another entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from itertools import pairwise

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.ids import ClaimId
from annotator.domain.model import Claim, ClaimField, Codebook, EntitySpan, FieldKind
from annotator.services.claimant import CLAIMANT_FIELD
from annotator.services.done_check import variable_caption
from annotator.ui.claims.claim_input_keys import InputKeys
from annotator.ui.claims.claim_inputs import ClaimInput, EntityInput, MultiChoiceInput, make_input
from annotator.ui.claims.focus_note import FocusNote

KEY_HINTS = {
    FieldKind.SINGLE: "Its letter picks a value; other letters search; Space opens the list; Delete clears.",
    FieldKind.MULTI: "Its letter or Space toggles a value; arrows move; Delete clears all.",
    FieldKind.BOOLEAN: "Y or N; Delete clears.",
    FieldKind.NUMBER: "Type a number or use the arrows; Delete clears.",
    FieldKind.SCALE: "Type a step or use the arrows; Delete clears.",
    FieldKind.DATE: "YYYY-MM-DD, stored on Enter or Tab.",
    FieldKind.TEXT: "Stored on Enter or Tab.",
    FieldKind.ENTITY: "An entity of this article; type its first letters; Delete clears.",
}
MEMO_HINT = "A memo: Enter starts a new line, Tab moves on; stored as you type."


def caption(field: ClaimField) -> str:
    return variable_caption(field.name) + (" *" if field.required else "")


class ClaimEditor(QWidget):
    value_edited = Signal(object, str, object)  # ClaimId, variable name, new value (None clears)
    review_requested = Signal()
    proposal_confirmed = Signal()
    escape_pressed = Signal()

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimEditor")
        self.claim: ClaimId | None = None
        self.inputs: dict[str, ClaimInput] = {}
        self.keys = InputKeys(self)
        self.keys.escape_pressed.connect(self.escape_pressed)

        self.title = QLabel()
        self.title.setObjectName("claimTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.state = QLabel()
        self.state.setObjectName("claimState")
        self.state.setWordWrap(True)
        self.review_button = QPushButton("Mark Reviewed")
        self.review_button.setObjectName("markReviewed")
        self.review_button.setToolTip("The linked entity changed: check the coding, then clear the flag")
        self.review_button.clicked.connect(self.review_requested)
        state_row = QHBoxLayout()
        state_row.setContentsMargins(0, 0, 0, 0)
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)

        self.proposal = QLabel()
        self.proposal.setObjectName("proposalState")
        self.proposal.setWordWrap(True)  # unwrapped, it widened the form past the panel
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setObjectName("confirmClaimant")
        self.confirm_button.setToolTip("Keep the proposed claimant (Enter in the claimant box does the same)")
        self.confirm_button.clicked.connect(self.proposal_confirmed)

        self.placeholder = QLabel("Select a claim (click its underlined words or its row),\n"
                                  "or select the words of a new one and press C.")
        self.placeholder.setEnabled(False)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form_host)
        # The input with the keyboard is always in view: Tab, a new claim, "go to the first".
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addLayout(state_row)
        body_layout.addWidget(scroll, 1)
        self.focus_note = FocusNote()
        body_layout.addWidget(self.focus_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.body, 1)
        self.set_codebook(codebook)
        self.show_claim(None)

    # -- building --------------------------------------------------------------------------
    def set_codebook(self, codebook: Codebook) -> None:
        """One row per variable, in codebook order (rebuilt when the codebook changes)."""
        self.proposal.setParent(None)  # kept across rebuilds; removeRow deletes the rest
        self.confirm_button.setParent(None)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        self.captions: dict[str, str] = {}
        self.hints: dict[str, str] = {}
        for field in sorted(codebook.fields, key=lambda f: f.position):
            widget = make_input(field)
            widget.setObjectName(f"claimInput_{field.name}")
            hint = MEMO_HINT if field.kind is FieldKind.TEXT and field.multiline else KEY_HINTS[field.kind]
            help_text = f"{field.description}\n\n{hint}".strip()
            widget.setProperty("help", help_text)
            widget.setToolTip(help_text)
            widget.installEventFilter(self.keys)
            widget.committed.connect(lambda value, name=field.name: self._on_committed(name, value))
            if isinstance(widget, MultiChoiceInput):  # the note names the row the keys act on
                widget.currentRowChanged.connect(lambda _row: self._show_focus_note())
            label = QLabel(caption(field))
            label.setToolTip(help_text)
            label.setBuddy(widget)
            self.inputs[field.name] = widget
            self.captions[field.name], self.hints[field.name] = variable_caption(field.name), hint
            if field.name == CLAIMANT_FIELD and isinstance(widget, EntityInput):
                widget.confirmed.connect(self._on_enter_in_claimant)
                row = QHBoxLayout()
                row.addWidget(widget, 1)
                row.addWidget(self.confirm_button)
                self.form.addRow(label, row)
                self.form.addRow("", self.proposal)
            else:
                self.form.addRow(label, widget)
        # Tab goes from input to input in codebook order, skipping the buttons.
        ordered = list(self.inputs.values())
        for first, second in pairwise(ordered):
            QWidget.setTabOrder(first, second)

    # -- showing ---------------------------------------------------------------------------
    def show_claim(
        self,
        claim: Claim | None,
        missing: Iterable[str] = (),
        proposing: bool = False,
        proposed: bool = False,
    ) -> None:
        self.claim = None if claim is None else claim.id
        self.placeholder.setVisible(claim is None)
        self.body.setVisible(claim is not None)
        if claim is None:
            return
        text = " ".join(claim.text.split())
        self.title.setText(f"<b>“{escape(text if len(text) <= 160 else text[:159] + '…')}”</b>")
        missing = list(missing)
        notes = []
        if claim.needs_review:
            note = escape(claim.review_note or "check it")
            notes.append(f"<span style='color:#CC3311'>Needs review: {note}</span>")
        if missing:
            names = ", ".join(variable_caption(name) for name in missing)
            notes.append(f"<span style='color:#BB5500'>Missing: {escape(names)}</span>")
        self.state.setText("<br>".join(notes) or "<span style='color:#228833'>Complete</span>")
        self.review_button.setVisible(claim.needs_review)
        for name, widget in self.inputs.items():
            widget.show_value(claim.values.get(name))
            widget.set_invalid(None)
        self.show_proposal(proposing, proposed)
        focused = QApplication.focusWidget()
        if focused is not None and self.form_host.isAncestorOf(focused):
            self.scroll_to(focused)
        self._show_focus_note()

    def show_proposal(self, proposing: bool, proposed: bool) -> None:
        if self.proposal.parent() is None:
            return  # no claimant variable in this codebook (and a parentless widget would pop up)
        if proposing:
            self.proposal.setText("<i>proposing…</i>")
        elif proposed:
            self.proposal.setText("<i>proposed from the sentence: Enter or Confirm keeps it</i>")
        self.proposal.setVisible(proposing or proposed)
        self.confirm_button.setVisible(proposed and not proposing)

    def set_entities(self, spans: Iterable[EntitySpan], claim: Claim | None) -> None:
        entities = list(spans)
        for name, widget in self.inputs.items():
            if isinstance(widget, EntityInput):
                widget.set_entities(entities)
                widget.show_value(None if claim is None else claim.values.get(name))

    def mark_invalid(self, name: str, message: str | None) -> None:
        widget = self.inputs.get(name)
        if widget is not None:
            widget.set_invalid(message)

    def focus_first(self) -> None:
        first = next(iter(self.inputs.values()), None)
        if first is not None and self.claim is not None:
            first.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def scroll_to(self, widget: QWidget) -> None:
        """Scroll the form so ``widget`` (an input, or a row inside one) and its label show."""
        row = widget
        while row.parentWidget() is not None and row.parentWidget() is not self.form_host:
            row = row.parentWidget()
        # By hand: QScrollArea.ensureWidgetVisible shows only the text cursor of a text box,
        # which leaves most of a memo out of view.
        top = row.mapTo(self.form_host, QPoint(0, 0)).y() - 6
        bottom = top + row.height() + 12
        bar, height = self.scroll.verticalScrollBar(), self.scroll.viewport().height()
        if top < bar.value() or bottom - top > height:
            bar.setValue(top)
        elif bottom > bar.value() + height:
            bar.setValue(bottom - height)

    # -- reacting --------------------------------------------------------------------------
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._show_focus_note()
        if new is not None and self.form_host.isAncestorOf(new):
            self.scroll_to(new)
            QTimer.singleShot(0, self._keep_focus_in_view)  # again once the layout has settled

    def _keep_focus_in_view(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self.form_host.isAncestorOf(focused):
            self.scroll_to(focused)

    def _focused_input(self) -> str | None:
        focused = QApplication.focusWidget()
        if focused is None:
            return None
        return next(
            (name for name, w in self.inputs.items() if w is focused or w.isAncestorOf(focused)), None
        )

    def _show_focus_note(self) -> None:
        name = self._focused_input()
        if name is None or self.claim is None:
            self.focus_note.clear_note()
        else:
            self.focus_note.show_for(self.captions[name], self.inputs[name], self.hints[name])

    def _on_committed(self, name: str, value: object) -> None:
        if self.claim is not None:
            self.value_edited.emit(self.claim, name, value)
        self._show_focus_note()

    def _on_enter_in_claimant(self) -> None:
        if self.confirm_button.isVisible():
            self.proposal_confirmed.emit()
