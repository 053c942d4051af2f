"""The shortcut reference (Help -> Keyboard Shortcuts), generated from the actions' own keys."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.domain.model import Codebook
from annotator.ui.shell.actions import ANNOTATE, CLAIMS, EDIT, FILE, HELP, VIEW, Command

MOUSE = (
    ("Select text, then a label key", "Create an entity (snapped to whole words)"),
    ("Select text, then click a label", "The same, with the mouse"),
    ("Click an entity", "Select it (the entity list follows, and the other way round)"),
    ("Click a claim's underlined words (off any entity)", "Select the claim (its row follows)"),
    ("Alt+click", "Select the claim even on an entity inside it"),
    ("Right-click", "Everything above, plus “label every occurrence” and “add to patterns”"),
    ("Drop files or folders on the window", "Import them"),
)
RESIZE_NOTE = (
    "Resizing moves one edge by one word: <b>Shift+Left</b> grows the entity at its start and "
    "<b>Shift+Right</b> shrinks it there; <b>Ctrl+Shift+Right</b> grows it at its end and "
    "<b>Ctrl+Shift+Left</b> shrinks it there. Accept, Reject and Delete move on to the next "
    "suggestion, so a document can be reviewed with N, Enter and X alone."
)


CLAIM_NOTE = (
    "A claim is coded in its editor (the Claims tab), one input per variable, saved as you go. "
    "<b>Tab</b> / <b>Shift+Tab</b> move between the variables and <b>Esc</b> returns to the "
    "article. Inside the focused input: a value's letter (shown in brackets) picks it, or toggles "
    "it in a list of several; other letters jump to the first value starting with them; "
    "<b>Space</b> opens a list (or toggles the current value); <b>Y</b> / <b>N</b> answer a "
    "yes/no; numbers are typed or stepped with the arrows; dates are YYYY-MM-DD; "
    "<b>Delete</b> clears. <b>Enter</b> in the claimant box keeps a proposed claimant. "
    "Consecutive changes to one variable are one undo step."
)
FIND_NOTE = (
    "<b>Ctrl+F</b> opens the find bar above the article (words selected in the article are "
    "searched at once). Typing marks every match, ignoring case, and selects the first one. "
    "<b>Enter</b> goes to the match (then the next ones; <b>Shift+Enter</b> goes back) and hands "
    "the keyboard to the article, so a label key labels the found words; while the bar is open, "
    "<b>Enter</b> in the article walks on to the next match unless an entity is selected. "
    "<b>Esc</b> closes the bar and keeps the found words selected. In the document filter, "
    "<b>Enter</b> opens the first document shown, <b>Down</b> goes to the list and <b>Esc</b> "
    "returns to the article."
)
SELECTION_NOTE = (
    "Delete and Esc act on the selected entity; with no entity selected, on the selected claim."
)


def _keys(command: Command) -> str:
    native = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in command.keys]
    return " or ".join(f"<b>{escape(k)}</b>" for k in native)


def _table(title: str, rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding:2px 16px 2px 0; white-space:nowrap'>{keys}</td><td>{escape(text)}</td></tr>"
        for keys, text in rows
    )
    return f"<h3 style='margin-bottom:4px'>{escape(title)}</h3><table>{cells}</table>"


def reference_html(codebook: Codebook) -> str:
    swatches = "".join(
        f"<tr><td style='padding:2px 16px 2px 0'><b>{escape(lb.shortcut)}</b></td>"
        f"<td><span style='background-color:{escape(lb.color)}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>"
        f"&nbsp;{escape(lb.name)}</td></tr>"
        for lb in sorted(codebook.labels, key=lambda lb: lb.position)
        if lb.shortcut
    )
    sections = [
        "<h3 style='margin-bottom:4px'>Labels</h3>"
        "<p>A label's key labels the selected text, or relabels the selected entity.</p>"
        f"<table>{swatches}</table>"
    ]
    annotate = [(_keys(c), c.tip) for c in ANNOTATE if c.keys]
    sections.append(_table("Annotate", annotate))
    sections.append(f"<p>{RESIZE_NOTE}</p>")
    sections.append(_table("Claims", [(_keys(c), c.tip) for c in CLAIMS if c.keys]))
    sections.append(f"<p>{CLAIM_NOTE}</p><p>{SELECTION_NOTE}</p>")
    finding = [c for c in EDIT if c.name.startswith("find")]
    sections.append(_table("Find", [(_keys(c), c.tip) for c in finding]))
    sections.append(f"<p>{FIND_NOTE}</p>")
    edit = [("<b>Ctrl+Z</b>", "Undo the last change (the menu names it); undo goes back to when "
                              "the project was opened"),
            ("<b>Ctrl+Shift+Z</b> or <b>Ctrl+Y</b>", "Redo")]
    edit += [(_keys(c), c.tip) for c in (*EDIT, *FILE, *VIEW, *HELP) if c.keys and c not in finding]
    sections.append(_table("Files, editing and view", edit))
    sections.append(_table("Mouse", [(escape(a), b) for a, b in MOUSE]))
    sections.append("<p>Every change is saved the moment you make it; there is no Save command.</p>")
    return "".join(sections)


class ShortcutDialog(QDialog):
    """Non-modal, so it can stay open beside the article while learning the keys."""

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        browser = QTextBrowser()
        browser.setHtml(reference_html(codebook))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.resize(640, 720)
