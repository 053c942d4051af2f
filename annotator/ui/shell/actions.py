"""Every command of the window as a ``QAction``, with its keys, and the menus that show them.

The keyboard map lives here once: menus display it, the shortcut reference is generated from
it, and the main window only connects ``triggered`` signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.domain.model import Codebook
from annotator.ui.shell.undo_actions import UndoActions


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False


FILE = (
    Command("new_project", "&New Project…", ("Ctrl+N",), "Create an empty project file"),
    Command("open_project", "&Open Project…", ("Ctrl+O",), "Open a project file"),
    Command("open_server_project", "Open &Server Project…", (),
            "Open a project on a PostgreSQL server (postgresql://user@host:port/dbname)"),
    Command("import_files", "&Import Files…", ("Ctrl+I",),
            "Import articles (txt, html, docx, pdf, csv, xlsx, jsonl)"),
    Command("import_folder", "Import &Folder…", ("Ctrl+Shift+I",), "Import every article in a folder"),
    Command("import_annotations", "Import &Annotations…", (),
            "Import another tool's annotated files (brat, doccano, Prodigy, spaCy, CoNLL, "
            "Label Studio, REFI-QDA) into a coder's layer"),
    Command("export", "&Export…", ("Ctrl+E",), "Export the coding to Excel or CSV"),
    Command("save_copy", "Save a &Copy…", ("Ctrl+Shift+S",),
            "Save a complete copy of the project file, e.g. as a backup (safe while you work)"),
    Command("merge_work", "&Merge Coder's Work…", (),
            "Bring coders' packages (made with `annotator package`) back into this project"),
    Command("export_codebook", "Export Code&book…", (), "Save the codebook as a JSON file to share"),
    Command("import_codebook", "Import Codeboo&k…", (),
            "Adopt a codebook from a JSON file (coded values in use are kept)"),
    Command("quit", "&Quit", ("Ctrl+Q",), "Quit Annotator (everything is saved already)"),
)
EDIT = (
    Command("find", "&Find…", ("Ctrl+F",),
            "Find words in the open article: every match is marked; Enter goes to the next one"),
    Command("find_next", "Find &Next", ("F3",), "Select the next match of the find bar"),
    Command("find_previous", "Find Pre&vious", ("Shift+F3",), "Select the previous match of the find bar"),
    Command("find_document", "Find &Document…", ("Ctrl+Shift+F",),
            "Filter the document list by words, title or file name"),
    Command("document_details", "Document &Details…", ("F2",),
            "Edit the title, outlet, author, date, section and URL of the open document, "
            "or of every document selected in the list"),
    Command("coder_name", "&Coder Name…", (), "The name recorded with every decision you make"),
    Command("codebook", "Code&book…", (),
            "Edit the claim variables and their values (asks before removing coded values)"),
)
TEAM = (
    Command("view_coder", "&View Coder's Work…", (),
            "Show another coder's work read-only (the PI, or anyone when coding is not blind)"),
    Command("team_progress", "Team &Progress…", (),
            "How many documents each coder has been given, started and finished"),
    Command("reliability", "&Reliability…", (),
            "How far the coders agree: Krippendorff's alpha per variable and label, and where they differ"),
    Command("adjudicate", "&Adjudicate…", (),
            "Resolve the coders' disagreements in the reliability sample into the final layer"),
)
ANNOTATE = (
    Command("accept", "&Accept", ("Return", "Enter"),
            "Accept the selected entity, then go to the next suggestion"),
    Command("reject", "&Reject", ("X",), "Reject the selected suggestion, then go to the next one"),
    Command("delete", "&Delete", ("Delete", "Backspace"),
            "Remove the selected entity (a suggestion is rejected)"),
    Command("next_pending", "&Next Suggestion", ("N",), "Select the next undecided suggestion"),
    Command("previous_pending", "&Previous Suggestion", ("P",), "Select the previous undecided suggestion"),
    Command("clear_selection", "Clear Selection", ("Escape",), "Deselect the entity"),
    Command("grow_start", "Grow at Start", ("Shift+Left",), "Extend the entity by one word to the left"),
    Command("shrink_start", "Shrink at Start", ("Shift+Right",), "Drop the entity's first word"),
    Command("grow_end", "Grow at End", ("Ctrl+Shift+Right",), "Extend the entity by one word to the right"),
    Command("shrink_end", "Shrink at End", ("Ctrl+Shift+Left",), "Drop the entity's last word"),
    Command("accept_all", "Accept A&ll Suggestions", ("Ctrl+Shift+A",),
            "Accept every undecided suggestion of this document"),
    Command("label_everywhere", "Label Every &Occurrence in Project", ("Ctrl+L",),
            "Give the selected entity's label to every occurrence of its text in the project"),
    Command("add_pattern", "Add to Project &Patterns", (), "Let the next pre-annotation run label this text"),
    Command("mark_done", "&Mark Done and Open Next", ("Ctrl+Return", "Ctrl+Enter"),
            "Mark this document done and open the next unfinished one"),
    Command("reopen_document", "Re&open Document", ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
            "Put a document marked done back in progress"),
    Command("preannotate_document", "Pre-annotate &This Document", ("Ctrl+R",),
            "Run spaCy on this document (replaces its undecided suggestions)"),
    Command("preannotate_unprocessed", "Pre-annotate &Unprocessed Documents", ("Ctrl+Shift+R",),
            "Run spaCy on every document not yet processed with the current model and patterns"),
    Command("cancel_task", "&Cancel Background Task", (),
            "Stop the running import, pre-annotation or export"),
    Command("train_model", "&Train from Corrections…", (),
            "Teach the entity model from the finished documents; used only if it suggests better"),
)
CLAIMS = (
    Command("new_claim", "&New Claim", ("C",),
            "Make a claim of the selected words and start coding it (the claimant is proposed)"),
    Command("select_sentence", "Select &Sentence", ("S",),
            "Select the sentence around the selection or the caret; again adds the next sentence"),
    Command("set_claim_span", "Set Claim S&pan", ("Shift+C",),
            "Move the selected claim to the selected words"),
    Command("next_claim", "Ne&xt Claim", ("]",), "Select the next claim of the document (wraps round)"),
    Command("previous_claim", "Pre&vious Claim", ("[",), "Select the previous claim of the document"),
    Command("code_claim", "&Code the Claim", ("E",),
            "Move the keyboard into the claim's editor: Tab between variables, Esc comes back"),
    Command("confirm_claimant", "Con&firm Proposed Claimant", (),
            "Keep the proposed claimant (Enter in the claimant box does the same)"),
    Command("mark_reviewed", "Mark Claim &Reviewed", (),
            "Clear the claim's review flag, raised when an entity it links to changed"),
    Command("delete_claim", "&Delete Claim", ("Delete", "Backspace"),
            "Remove the selected claim (when no entity is selected)"),
    Command("deselect_claim", "Deselect Claim", ("Escape",), "Deselect the claim"),
)
VIEW = (
    Command("show_rejected", "Show &Rejected Suggestions", ("Ctrl+H",),
            "Show rejected suggestions struck through", checkable=True),
    Command("key_hints", "&Key Hints", (),
            "Show the keys of the task at hand at the foot of the window", checkable=True),
    Command("next_document", "Ne&xt Document", ("Ctrl+PgDown",), "Open the next document in the list"),
    Command("previous_document", "Pre&vious Document", ("Ctrl+PgUp",),
            "Open the previous document in the list"),
    Command("zoom_in", "Zoom &In", ("Ctrl++", "Ctrl+="), "Larger article text"),
    Command("zoom_out", "Zoom &Out", ("Ctrl+-",), "Smaller article text"),
)
HELP = (
    Command("shortcuts", "&Keyboard Shortcuts", ("F1",), "Every key and what it does"),
    Command("about", "&About Annotator", ()),
)

#: Commands that need a selected entity; disabled otherwise, so their keys fall through to
#: the text (Shift+arrows then extend a text selection as usual).
NEEDS_ENTITY = (
    "accept", "reject", "delete", "clear_selection", "grow_start", "shrink_start", "grow_end", "shrink_end",
    "label_everywhere", "add_pattern",
)
NEEDS_DOCUMENT = (
    "next_pending", "previous_pending", "accept_all", "mark_done", "preannotate_document", "new_claim",
    "select_sentence", "next_claim", "previous_claim", "document_details", "reopen_document",
)
NEEDS_CLAIM = ("set_claim_span", "code_claim", "confirm_claimant", "mark_reviewed")
#: Share Delete and Esc with the entity commands: enabled only while no entity is selected,
#: so one key never has two meanings at once.
NEEDS_CLAIM_ONLY = ("delete_claim", "deselect_claim")
#: Commands that change the project: off while it is open read-only (open in another window).
EDITS = (
    "import_files", "import_folder", "import_annotations", "import_codebook", "codebook",
    "accept", "reject", "delete", "grow_start", "shrink_start", "grow_end", "shrink_end",
    "accept_all", "label_everywhere", "add_pattern", "mark_done", "preannotate_document",
    "preannotate_unprocessed", "new_claim", "set_claim_span", "code_claim", "confirm_claimant",
    "mark_reviewed", "delete_claim", "merge_work", "train_model",
)


class WindowActions:
    """Creates the actions on a window and lays out its menu bar."""

    def __init__(self, window: QMainWindow, undo_stack: QUndoStack) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.label_actions: dict[str, QAction] = {}
        for group in (FILE, EDIT, TEAM, ANNOTATE, CLAIMS, VIEW, HELP):
            for command in group:
                self.actions[command.name] = self._make(command)
        self.history = UndoActions(window, undo_stack)
        self.undo, self.redo = self.history.undo, self.history.redo
        self.recent_menu = QMenu("Open &Recent", window)
        self.label_menu = QMenu("&Label As", window)
        self.read_only = False
        self._build_menus()

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def _make(self, command: Command) -> QAction:
        action = QAction(command.text, self.window)
        action.setObjectName(command.name)
        action.setShortcuts([QKeySequence(k) for k in command.keys])
        action.setStatusTip(command.tip)
        action.setToolTip(command.tip or command.text.replace("&", "").rstrip("…"))
        action.setCheckable(command.checkable)
        self.window.addAction(action)  # keys work even while the menu bar is hidden
        return action

    def set_labels(self, codebook: Codebook) -> None:
        """One action per label, keyed by its shortcut digit."""
        for action in self.label_actions.values():
            self.window.removeAction(action)
            action.deleteLater()
        self.label_actions = {}
        self.label_menu.clear()
        for label in sorted(codebook.labels, key=lambda lb: lb.position):
            action = QAction(label.name, self.window)
            action.setObjectName(f"label_{label.name}")
            if label.shortcut:
                action.setShortcut(QKeySequence(label.shortcut))
            action.setStatusTip(f"Label the selected text, or relabel the selected entity, as {label.name}")
            action.setEnabled(not self.read_only)
            self.window.addAction(action)
            self.label_menu.addAction(action)
            self.label_actions[label.name] = action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        a = self.actions
        file_menu = bar.addMenu("&File")
        file_menu.addActions([a["new_project"], a["open_project"], a["open_server_project"]])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([a["import_files"], a["import_folder"], a["import_annotations"], a["export"],
                              a["save_copy"]])
        file_menu.addAction(a["merge_work"])
        file_menu.addSeparator()
        file_menu.addActions([a["export_codebook"], a["import_codebook"]])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])

        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([a["find"], a["find_next"], a["find_previous"], a["find_document"]])
        edit.addSeparator()
        edit.addActions([a["document_details"], a["coder_name"], a["codebook"]])

        annotate = bar.addMenu("&Annotate")
        annotate.addMenu(self.label_menu)
        annotate.addActions([a["accept"], a["reject"], a["delete"]])
        annotate.addSeparator()
        annotate.addActions([a["next_pending"], a["previous_pending"], a["clear_selection"]])
        resize = annotate.addMenu("Re&size Entity")
        resize.addActions([a["grow_start"], a["shrink_start"], a["grow_end"], a["shrink_end"]])
        annotate.addSeparator()
        annotate.addActions([a["accept_all"], a["label_everywhere"], a["add_pattern"]])
        annotate.addSeparator()
        annotate.addActions([a["mark_done"], a["reopen_document"]])
        annotate.addSeparator()
        annotate.addActions([a["preannotate_document"], a["preannotate_unprocessed"], a["cancel_task"]])
        annotate.addAction(a["train_model"])

        claims = bar.addMenu("&Claims")
        claims.addActions([a["select_sentence"], a["new_claim"], a["set_claim_span"], a["code_claim"]])
        claims.addActions([a["next_claim"], a["previous_claim"]])
        claims.addSeparator()
        claims.addActions([a["confirm_claimant"], a["mark_reviewed"], a["delete_claim"]])
        claims.addSeparator()
        claims.addAction(a["codebook"])

        team = bar.addMenu("&Team")
        team.addActions([a["view_coder"], a["team_progress"], a["reliability"], a["adjudicate"]])

        view = bar.addMenu("&View")
        view.addActions([a["show_rejected"], a["key_hints"]])
        view.addSeparator()
        view.addActions([a["next_document"], a["previous_document"]])
        view.addSeparator()
        view.addActions([a["zoom_in"], a["zoom_out"]])

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([a["shortcuts"], a["about"]])

    def set_enabled(self, names: tuple[str, ...], enabled: bool) -> None:
        """Enable or disable commands; while read-only, commands that edit stay disabled."""
        for name in names:
            self.actions[name].setEnabled(enabled and not (self.read_only and name in EDITS))

    def set_read_only(self, read_only: bool) -> None:
        """Lock (or unlock) every command that edits. Commands that also need a selection
        are enabled again by the window once something is selected."""
        self.read_only = read_only
        waiting = set(NEEDS_ENTITY + NEEDS_DOCUMENT + NEEDS_CLAIM + NEEDS_CLAIM_ONLY)
        for name in EDITS:
            if read_only or name not in waiting:
                self.actions[name].setEnabled(not read_only)
        for action in self.label_actions.values():
            action.setEnabled(not read_only)
