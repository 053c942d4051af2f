"""The article's right-click menu: the Annotate and Claims commands that fit what is under the mouse."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from annotator.domain.model import Codebook, EntitySpan
from annotator.ui.editing.commands import quoted
from annotator.ui.shell.actions import WindowActions

TextAndLabel = Callable[[str, str], None]


def build_context_menu(
    parent: QWidget,
    actions: WindowActions,
    codebook: Codebook,
    entity: EntitySpan | None,
    selected_text: str | None,
    label_everywhere: TextAndLabel,
    add_pattern: TextAndLabel,
) -> QMenu:
    menu = QMenu(parent)
    labels = sorted(codebook.labels, key=lambda lb: lb.position)
    if entity is not None:
        title = menu.addAction(f"{quoted(entity.text)} — {entity.label}, {entity.status.value}")
        title.setEnabled(False)
        menu.addActions([actions["accept"], actions["reject"], actions["delete"]])
        relabel = menu.addMenu("Re&label As")
        relabel.addActions(list(actions.label_actions.values()))
        resize = menu.addMenu("Re&size")
        resize.addActions(
            [actions["grow_start"], actions["shrink_start"], actions["grow_end"], actions["shrink_end"]]
        )
        menu.addSeparator()
        everywhere = menu.addAction(
            f"Label Every {quoted(entity.text)} in the Project as {entity.label}",
            lambda: label_everywhere(entity.text, entity.label),
        )
        everywhere.setShortcut(actions["label_everywhere"].shortcut())
        menu.addAction(
            f"Add {quoted(entity.text)} to the Project Patterns as {entity.label}",
            lambda: add_pattern(entity.text, entity.label),
        )
    elif selected_text:
        label_as = menu.addMenu(f"&Label {quoted(selected_text)} As")
        label_as.addActions(list(actions.label_actions.values()))
        every = menu.addMenu(f"Label Every {quoted(selected_text)} in the Project As")
        patterns = menu.addMenu(f"Add {quoted(selected_text)} to the Project Patterns As")
        for label in labels:
            every.addAction(label.name, lambda name=label.name: label_everywhere(selected_text, name))
            patterns.addAction(label.name, lambda name=label.name: add_pattern(selected_text, name))
    claim_commands = [actions["new_claim"], actions["set_claim_span"]] if selected_text else []
    claim_commands += [actions["mark_reviewed"], actions["delete_claim"]]
    shown = [a for a in claim_commands if a.isEnabled()]  # only what applies here
    if shown:
        menu.addSeparator()
        menu.addActions(shown)
    menu.addSeparator()
    menu.addActions([actions["next_pending"], actions["previous_pending"], actions["accept_all"]])
    menu.addSeparator()
    menu.addAction(actions["mark_done"])
    return menu
