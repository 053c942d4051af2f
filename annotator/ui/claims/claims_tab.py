"""The "Claims" tab (the claims list above the selected claim's editor), and the claims
layer of the article, both kept in step with the claim controller."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from annotator.domain.ids import ClaimId, SpanId
from annotator.domain.model import Claim, Codebook, EntityRef, EntitySpan
from annotator.services.claimant import CLAIMANT_FIELD
from annotator.ui.article.article_view import ArticleView
from annotator.ui.claims.claim_controller import ClaimController
from annotator.ui.claims.claim_editor import ClaimEditor
from annotator.ui.claims.claim_panel import ClaimPanel, ClaimTableModel
from annotator.ui.editing.controller import AnnotationController


def claimant_of(claim: Claim | None) -> SpanId | None:
    value = None if claim is None else claim.values.get(CLAIMANT_FIELD)
    return value.span_id if isinstance(value, EntityRef) else None


class ClaimsTab(QSplitter):
    reveal_wanted = Signal()  # a claim was selected or created: show this tab
    leave_wanted = Signal()  # Esc in the editor: back to the article

    def __init__(
        self, controller: ClaimController, entities: AnnotationController, parent: QWidget | None = None
    ) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("claimsTab")
        self.controller, self.entities = controller, entities
        self.model = ClaimTableModel(controller.codebook)
        self.model.missing = controller.missing
        self.model.is_proposed = controller.is_proposed
        self.panel = ClaimPanel(self.model)
        self.editor = ClaimEditor(controller.codebook)
        self.addWidget(self.panel)
        self.addWidget(self.editor)
        self.setStretchFactor(1, 1)
        self.setSizes([130, 470])  # a few rows of claims; the rest for the editor
        self.setChildrenCollapsible(False)
        self._spans: list[EntitySpan] = []
        self._entities_shown = False

        controller.claims_changed.connect(self._on_claims_changed)
        controller.selection_changed.connect(self._on_selection_changed)
        controller.proposal_changed.connect(self._on_proposal_changed)
        controller.coding_wanted.connect(self.start_coding)
        entities.spans_changed.connect(lambda spans, _touched: self._set_entities(spans))
        entities.document_opened.connect(lambda _document, spans: self._set_entities(spans))
        self.panel.claim_chosen.connect(controller.select)
        self.editor.value_edited.connect(self._on_value_edited)
        self.editor.review_requested.connect(controller.mark_reviewed)
        self.editor.proposal_confirmed.connect(controller.confirm_proposal)
        self.editor.escape_pressed.connect(self.leave_wanted)

    def set_codebook(self, codebook: Codebook) -> None:
        self.model.set_codebook(codebook)
        self.editor.set_codebook(codebook)  # new inputs: their entities are filled again
        self._set_entities(self.entities.spans.values())
        self._on_claims_changed(self.controller.ordered())

    # -- following the controller ----------------------------------------------------------
    def _on_claims_changed(self, claims: list[Claim]) -> None:
        self.model.set_claims(claims)
        self.panel.select_claim(self.controller.selected)
        self._show_selected()

    def _on_selection_changed(self, claim_id: ClaimId | None) -> None:
        self.panel.select_claim(claim_id)
        self._show_selected()
        if claim_id is not None:
            self.reveal_wanted.emit()

    def _on_proposal_changed(self) -> None:
        self.model.set_claims(self.controller.ordered())  # the claimant cell shows "proposed"
        claim = self.controller.selected_claim()
        if claim is not None:
            proposing = claim.id in self.controller.proposing
            self.editor.show_proposal(proposing, self.controller.is_proposed(claim))

    def _show_selected(self) -> None:
        claim = self.controller.selected_claim()
        if claim is None:
            self.editor.show_claim(None)
            return
        if not self._entities_shown:
            self.editor.set_entities(self._spans, None)
            self._entities_shown = True
        self.editor.show_claim(
            claim, self.controller.missing(claim), claim.id in self.controller.proposing,
            self.controller.is_proposed(claim),
        )

    def _set_entities(self, spans: object) -> None:
        """The entity inputs list the document's entities: filled when a claim is shown, since
        an article of 2,000 entities would otherwise cost every document opened."""
        self._spans = list(spans)  # type: ignore[call-overload]
        self._entities_shown = False
        if self.controller.selected_claim() is not None:
            self._show_selected()

    def _on_value_edited(self, claim_id: ClaimId, name: str, value: object) -> None:
        self.editor.mark_invalid(name, self.controller.set_value(claim_id, name, value))

    def start_coding(self) -> None:
        """Show the tab and put the keyboard in the selected claim's first variable."""
        self.reveal_wanted.emit()
        self.editor.focus_first()


class ArticleClaims:
    """Keeps the article's claims layer (underlines, the selected claim's band) in step."""

    def __init__(self, article: ArticleView, controller: ClaimController) -> None:
        self.article, self.controller = article, controller
        controller.claims_changed.connect(lambda _claims: self.redraw())
        controller.selection_changed.connect(
            lambda claim_id: article.select_claim(claim_id, claimant_of(controller.selected_claim()))
        )
        article.claim_clicked.connect(controller.select)

    def redraw(self) -> None:
        """Draw the claims again (a newly shown document starts without them)."""
        controller = self.controller
        self.article.show_claims(
            (c.id, c.start, c.end, not controller.missing(c) and not c.needs_review)  # type: ignore[misc]
            for c in controller.ordered()
        )
        self.article.select_claim(controller.selected, claimant_of(controller.selected_claim()), scroll=False)
