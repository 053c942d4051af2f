"""The main window: document list | article | labels, entities and claims.

The window composes widgets and connects signals; the rules of editing live in the
controllers (entities, claims), long jobs in ``BackgroundJobs``, keys in ``actions``. It
receives everything it shows through its constructor (the workspace, settings and prompts
come from ``launch``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.domain.ids import DocumentId
from annotator.domain.model import Document, EntitySpan
from annotator.services.codebook import CodebookDiff
from annotator.ui.article.article_header import ArticleHeader
from annotator.ui.article.article_view import ArticleView
from annotator.ui.article.context_menu import build_context_menu
from annotator.ui.article.find_bar import FindBar
from annotator.ui.article.span_styles import SpanStyles
from annotator.ui.claims.claim_controller import ClaimController
from annotator.ui.claims.claims_tab import ArticleClaims, ClaimsTab
from annotator.ui.claims.done_guard import DoneGuard
from annotator.ui.codebook.codebook_actions import CodebookCommands
from annotator.ui.common.worker import TaskRunner
from annotator.ui.documents.details_editing import DetailsEditing
from annotator.ui.documents.document_list import DocumentListPanel
from annotator.ui.documents.document_model import DocumentListModel
from annotator.ui.editing.controller import AnnotationController
from annotator.ui.entities.entity_panel import EntityPanel, EntityTableModel
from annotator.ui.entities.label_palette import LabelPalette
from annotator.ui.shell.actions import (
    NEEDS_CLAIM,
    NEEDS_CLAIM_ONLY,
    NEEDS_DOCUMENT,
    NEEDS_ENTITY,
    WindowActions,
)
from annotator.ui.shell.background import BackgroundJobs
from annotator.ui.shell.command_slots import command_slots
from annotator.ui.shell.dialogs import Prompts
from annotator.ui.shell.file_locations import FileLocations
from annotator.ui.shell.hint_strip import HintStrip
from annotator.ui.shell.project_menu import ProjectMenu
from annotator.ui.shell.read_only import ReadOnlyBadge
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.task_bar import TaskBar
from annotator.ui.shell.workspace import AppServices, Workspace
from annotator.ui.team.coder_choice import coder_caption, settle_coder
from annotator.ui.team.team_commands import TeamCommands

MESSAGE_MS = 5000


class MainWindow(QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        settings: AppSettings,
        prompts: Prompts,
        services: AppServices | None = None,
        document: DocumentId | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.workspace, self.settings, self.prompts, self.services = workspace, settings, prompts, services
        prompts.parent = self
        prompts.locations = FileLocations(settings)
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.actions = WindowActions(self, self.undo_stack)
        self.codebook = workspace.browser.codebook()
        self.styles = SpanStyles(self.codebook, self.palette())

        self.document_model = DocumentListModel(workspace.browser)
        self.document_list = DocumentListPanel(self.document_model)
        self.header = ArticleHeader()
        self.article = ArticleView(self.styles)
        self.find_bar = FindBar(self.article)
        self.entity_model = EntityTableModel(self.styles)
        self.entity_panel = EntityPanel(self.entity_model)
        self.label_palette = LabelPalette(self.codebook, self.styles)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.addTab(self.entity_panel, "Entities")
        self.runner = TaskRunner(self)
        self.jobs = BackgroundJobs(workspace, self.runner)
        self.task_bar = TaskBar(self.runner)
        self.coder_label = QLabel()
        self.read_only_label = ReadOnlyBadge()
        self.controller = AnnotationController(workspace, self.undo_stack)
        self.claim_controller = ClaimController(
            workspace, self.undo_stack, self.runner, self.controller, self.open_document
        )
        self.claims_tab = ClaimsTab(self.claim_controller, self.controller)
        self.side_tabs.addTab(self.claims_tab, "Claims")
        self.article_claims = ArticleClaims(self.article, self.claim_controller)
        self.done_guard = DoneGuard(lambda: self.workspace, prompts, self.claim_controller, self.claims_tab)
        self.codebooks = CodebookCommands(self, prompts, lambda: self.workspace)
        self.details = DetailsEditing(
            lambda: self.workspace.details, self.undo_stack, self.controller, self.document_list,
            prompts.document_details, self.open_document,
        )
        self.team = TeamCommands(self, self.rebind)
        self.projects = ProjectMenu(
            services, settings, prompts, self.actions.recent_menu,
            coder=lambda: self.workspace.coder, switch=self.set_workspace,
            current=lambda: self.workspace.project.path,
        )

        self.actions["key_hints"].setChecked(settings.key_hints())
        self.actions["key_hints"].toggled.connect(settings.set_key_hints)
        self.hints = HintStrip(lambda: self.codebook, self.actions["key_hints"])

        self._lay_out()
        self._connect()
        self.show_rejected(settings.show_rejected())
        self._bind_workspace(document)
        settings.restore_window(self, self.splitter)

    # -- layout ----------------------------------------------------------------------------
    def _lay_out(self) -> None:
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.header)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.article, 1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 6, 6, 6)
        side_layout.setSpacing(6)
        self.palette_caption = caption = QLabel("Labels")
        caption.setObjectName("paletteCaption")
        caption.setStyleSheet("font-weight: bold; padding-left: 6px;")
        side_layout.addWidget(caption)
        side_layout.addWidget(self.label_palette)
        side_layout.addWidget(self.side_tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.document_list)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 600, 520])  # the right: entities, or claims and their editor
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.statusBar().addWidget(self.hints, 1)  # covered by a message while one shows
        self.statusBar().addPermanentWidget(self.task_bar)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.statusBar().addPermanentWidget(self.coder_label)

    # -- wiring ----------------------------------------------------------------------------
    def _connect(self) -> None:
        c, a = self.controller, self.actions
        self.document_list.document_chosen.connect(self.open_document)
        self.document_list.leave_wanted.connect(self.article.setFocus)  # Enter or Esc in the filter
        c.document_opened.connect(self._on_document_opened)
        c.document_updated.connect(self.header.show_document)
        c.spans_changed.connect(self._on_spans_changed)
        c.selection_changed.connect(self._on_selection_changed)
        c.documents_changed.connect(self.document_model.refresh)
        c.message.connect(self.show_message)
        self.article.span_clicked.connect(c.select)
        self.article.text_selected.connect(lambda: c.select(None))
        self.article.context_menu_wanted.connect(self._show_context_menu)
        self.entity_panel.span_chosen.connect(c.select)
        self.label_palette.label_chosen.connect(self.apply_label)
        self.jobs.documents_processed.connect(self._on_documents_processed)
        self.jobs.documents_added.connect(self._on_documents_added)
        self.jobs.message.connect(self.show_message)
        self.jobs.report.connect(self.prompts.inform)
        cc = self.claim_controller
        cc.message.connect(self.show_message)
        self.done_guard.message.connect(self.show_message)
        cc.documents_changed.connect(self.document_model.refresh)
        cc.selection_changed.connect(lambda _claim: self._enable_selection_actions())
        self.claims_tab.reveal_wanted.connect(lambda: self.side_tabs.setCurrentWidget(self.claims_tab))
        self.side_tabs.currentChanged.connect(self._show_palette_for_tab)
        self.claims_tab.leave_wanted.connect(lambda: self.article.setFocus(Qt.FocusReason.OtherFocusReason))
        self.codebooks.message.connect(self.show_message)
        self.details.message.connect(self.show_message)
        self.codebooks.changed.connect(self.reload_codebook)
        self.runner.started.connect(lambda _name: a["cancel_task"].setEnabled(True))
        self.runner.idle.connect(lambda: a["cancel_task"].setEnabled(False))

        triggers = command_slots(self)
        for name, slot in triggers.items():
            a[name].triggered.connect(lambda _checked=False, slot=slot, name=name: self._run(name, slot))
        a["cancel_task"].setEnabled(False)
        self.details.offer_in_list(a["document_details"])
        self.hints.watch(c, cc, self.side_tabs, self.claims_tab)

    def _run(self, name: str, slot) -> None:  # type: ignore[no-untyped-def]
        """Every action goes through here: a reader-facing error becomes a status message."""
        try:
            if name == "show_rejected":
                slot(self.actions["show_rejected"].isChecked())
            else:
                slot()
        except AnnotatorError as exc:
            self.show_message(str(exc))

    def _bind_workspace(self, document: DocumentId | None) -> None:
        """Show a (new) workspace: its labels, its documents, and the document to start on."""
        ws = self.workspace
        settle_coder(ws, self.settings, self.prompts)
        self.setWindowTitle(f"{ws.project.path.stem}{' (read-only)' if ws.read_only else ''} — Annotator")
        self.coder_label.setText(coder_caption(ws))
        self._show_read_only(ws.read_only)
        self._apply_codebook()
        self.actions["export"].setEnabled(ws.export is not None)
        self.actions["save_copy"].setEnabled(ws.save_copy is not None)
        self.settings.add_recent_project(ws.project.path)
        if document is None:
            document = self.settings.last_document(ws.project.path)
        if document is None or ws.browser.summary(document) is None:
            document = ws.browser.first_document()
        self.open_document(document)
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)  # label keys go to the article
        if ws.project.backup is not None:
            self.show_message(f"Upgraded this project to the current format; the original is kept "
                              f"as {ws.project.backup.name}")
        if ws.project.read_only:
            reason = ws.project.read_only_reason.rstrip(".")
            self.show_message(f"This project is read-only: {reason}. You can read and export it.")
        if ws.preannotate_on_open:
            ws.preannotate_on_open = False
            self.jobs.preannotate(None)

    def _show_read_only(self, read_only: bool) -> None:
        self.read_only_label.apply(read_only, self.actions, [self.label_palette, self.claims_tab.editor])
        self.setAcceptDrops(not read_only)
        self._enable_selection_actions()

    def set_workspace(self, workspace: Workspace) -> None:
        """Switch to another project in the same window."""
        old = self.workspace
        self.runner.cancel_all()
        self.undo_stack.clear()
        self.workspace = self.jobs.workspace = self.controller.workspace = workspace
        self.claim_controller.set_workspace(workspace)
        self.document_model.browser = workspace.browser
        self.document_model.set_filter("", None)
        self._bind_workspace(None)
        old.close()

    def _apply_codebook(self) -> None:
        """Show the workspace's codebook: label colours and keys, and the claim variables."""
        self.codebook = self.workspace.browser.codebook()
        self.styles = SpanStyles(self.codebook, self.palette())
        self.article.set_styles(self.styles)
        self.entity_model.set_styles(self.styles)
        self.label_palette.set_codebook(self.codebook, self.styles)
        self.actions.set_labels(self.codebook)
        self.entity_panel.fit_columns([label.name for label in self.codebook.labels])
        for name, action in self.actions.label_actions.items():
            action.triggered.connect(lambda _checked=False, label=name: self.apply_label(label))
        self.claim_controller.set_codebook(self.codebook)
        self.claims_tab.set_codebook(self.codebook)

    def reload_codebook(self, diff: CodebookDiff) -> None:
        """The codebook changed (dialog or import): redraw what depends on it."""
        self._apply_codebook()
        self.document_model.reload()  # which claims are complete may have changed
        if diff.removed or diff.changed:
            # Older claim edits may name variables or values that are gone now.
            self.undo_stack.clear()

    # -- reacting --------------------------------------------------------------------------
    def _on_document_opened(self, document: Document | None, spans: list[EntitySpan]) -> None:
        self.header.show_document(document)
        self.header.show_counts(spans)
        if document is None:
            self.article.clear_document()
        else:
            self.article.show_document(document.text, spans)
            self.article_claims.redraw()
        self.entity_model.set_spans(spans)
        self.actions.set_enabled(NEEDS_DOCUMENT, document is not None)

    def _on_spans_changed(self, spans: list[EntitySpan], touched: list[EntitySpan | None] | None) -> None:
        self.article.update_spans(spans, touched)
        self.entity_model.set_spans(spans)
        self.entity_panel.select_span(self.controller.selected)
        self.header.show_counts(spans)

    def _on_selection_changed(self, span_id: object) -> None:
        self.article.select_span(span_id)  # type: ignore[arg-type]
        self.entity_panel.select_span(span_id)  # type: ignore[arg-type]
        self._enable_selection_actions()

    def _enable_selection_actions(self) -> None:
        entity, claim = self.controller.selected is not None, self.claim_controller.selected is not None
        self.actions.set_enabled(NEEDS_ENTITY, entity)
        self.actions.set_enabled(NEEDS_CLAIM, claim)
        self.actions.set_enabled(NEEDS_CLAIM_ONLY, claim and not entity)

    def _on_documents_processed(self, document_ids: set[DocumentId]) -> None:
        self.document_model.refresh(document_ids)
        if self.controller.document is not None and self.controller.document.id in document_ids:
            self.controller.reload_spans()

    def _on_documents_added(self, document_ids: list[int]) -> None:
        self.document_model.reload()
        if self.controller.document is None and document_ids:
            self.open_document(DocumentId(document_ids[0]))

    def show_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, MESSAGE_MS)

    def _show_context_menu(self, where: QPoint, span_id: object) -> None:
        if span_id is not None:
            self.controller.select(span_id)  # type: ignore[arg-type]
        entity = self.controller.selected_span()
        text = None if entity is not None else self.controller.snapped_text(self.article.selected_range())
        menu = build_context_menu(
            self, self.actions, self.codebook, entity, text,
            self.controller.label_everywhere, self.controller.add_pattern,
        )
        menu.exec(where)

    # -- commands --------------------------------------------------------------------------
    def open_document(self, document_id: DocumentId | None) -> None:
        self.controller.open_document(document_id)
        self.document_list.select_document(document_id)
        if document_id is not None:
            self.settings.set_last_document(self.workspace.project.path, document_id)

    def apply_label(self, label: str) -> None:
        self.controller.apply_label(label, self.article.selected_range())

    def mark_done_and_next(self) -> None:
        if not self.done_guard.allows_done():  # unfinished claims: asks first
            return
        next_id = self.controller.mark_done_and_next()
        if next_id is not None:
            self.open_document(next_id)

    def step_document(self, step: int) -> None:
        current = self.controller.document
        row = -1 if current is None else self.document_model.row_of(current.id)
        target = self.document_model.document_id_at((row if row is not None else -1) + step)
        if target is not None:
            self.open_document(target)

    def preannotate_document(self) -> None:
        if self.controller.document is not None:
            self.jobs.preannotate([self.controller.document.id])

    def _show_palette_for_tab(self, _index: int) -> None:
        """The label list gives the claim editor its room while claims are coded (the label
        keys and the Annotate menu still work)."""
        coding_claims = self.side_tabs.currentWidget() is self.claims_tab
        self.palette_caption.setVisible(not coding_claims)
        self.label_palette.setVisible(not coding_claims)

    def show_rejected(self, show: bool) -> None:
        self.actions["show_rejected"].setChecked(show)
        self.settings.set_show_rejected(show)
        self.controller.set_show_rejected(show)
        self.article.set_show_rejected(show)
        self.entity_model.show_rejected = show
        self.entity_model.set_spans(self.controller.spans.values())

    def select_sentence(self) -> None:
        caret = self.article.offsets.to_code_point(self.article.textCursor().position())
        found = self.claim_controller.sentence_range(self.article.selected_range(), caret)
        if found is not None:
            self.article.select_text(*found)

    def rebind(self) -> None:
        """Show the workspace again (another coder's layer): same document, fresh history."""
        self.undo_stack.clear()
        self.document_model.reload()
        self._bind_workspace(self.controller.document.id if self.controller.document else None)

    # -- window events ---------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.jobs.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState(), self.splitter.saveState())
        self.runner.shutdown()  # cancels a run, then quit() and wait() on the worker thread
        self.workspace.close()
        super().closeEvent(event)
