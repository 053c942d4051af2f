"""What each window command does: the slot behind every action of ``WindowActions``.

One table, so the window's constructor wires signals and this says what the commands run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.services.export import export_coders
from annotator.ui.documents.reopen import reopen_document
from annotator.ui.interchange.import_action import import_annotations
from annotator.ui.learning.training_commands import TrainingCommands
from annotator.ui.shell.merge_action import merge_coders_work
from annotator.ui.shell.shortcuts import ShortcutDialog

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def command_slots(window: MainWindow) -> dict[str, Callable[..., object]]:
    """Action name -> what it runs (``show_rejected`` is called with the action's checked state)."""
    c, cc = window.controller, window.claim_controller
    training = window.training_commands = TrainingCommands(window)  # type: ignore[attr-defined]
    return {
        "new_project": window.projects.new_project, "open_project": window.projects.choose_project,
        "open_server_project": window.projects.choose_server_project,
        "import_files": lambda: window.jobs.import_paths(window.prompts.files_to_import()),
        "import_folder": lambda: _import_folder(window), "export": lambda: _export(window),
        "save_copy": lambda: _save_copy(window), "merge_work": lambda: merge_coders_work(window),
        "import_annotations": lambda: import_annotations(window),
        "quit": window.close,
        "find": window.find_bar.open_bar, "find_next": window.find_bar.step,
        "find_previous": lambda: window.find_bar.step(False),
        "find_document": window.document_list.focus_filter, "coder_name": window.team.change_coder,
        "document_details": window.details.edit, "reopen_document": lambda: reopen_document(c),
        "accept": c.accept_selected, "reject": c.reject_selected, "delete": c.delete_selected,
        "next_pending": c.select_next_pending,
        "previous_pending": lambda: c.select_next_pending(forward=False),
        "clear_selection": lambda: c.select(None),
        "grow_start": lambda: c.resize_selected("start", True),
        "shrink_start": lambda: c.resize_selected("start", False),
        "grow_end": lambda: c.resize_selected("end", True),
        "shrink_end": lambda: c.resize_selected("end", False),
        "accept_all": c.accept_all, "mark_done": window.mark_done_and_next,
        "label_everywhere": c.label_everywhere_selected, "add_pattern": c.add_pattern_selected,
        "preannotate_document": window.preannotate_document,
        "preannotate_unprocessed": lambda: window.jobs.preannotate(None),
        "cancel_task": window.runner.cancel_current,
        "show_rejected": window.show_rejected,
        "next_document": lambda: window.step_document(1),
        "previous_document": lambda: window.step_document(-1),
        "zoom_in": lambda: window.article.zoomIn(1), "zoom_out": lambda: window.article.zoomOut(1),
        "shortcuts": lambda: ShortcutDialog(window.codebook, window).show(),
        "about": window.prompts.about,
        "new_claim": lambda: cc.create(window.article.selected_range()),
        "select_sentence": window.select_sentence,
        "set_claim_span": lambda: cc.set_span(window.article.selected_range()),
        "code_claim": window.claims_tab.start_coding, "confirm_claimant": cc.confirm_proposal,
        "mark_reviewed": cc.mark_reviewed, "delete_claim": cc.delete_selected,
        "deselect_claim": lambda: cc.select(None), "next_claim": lambda: cc.step(1),
        "previous_claim": lambda: cc.step(-1),
        "codebook": window.codebooks.edit, "export_codebook": window.codebooks.export_json,
        "import_codebook": window.codebooks.import_json,
        "view_coder": window.team.view_coder, "team_progress": window.team.show_progress,
        "reliability": window.team.show_reliability,
        "adjudicate": window.team.adjudicate,
        "train_model": training.open_dialog,
    }


def _import_folder(window: MainWindow) -> None:
    folder = window.prompts.folder_to_import()
    if folder is not None:
        window.jobs.import_paths([folder])


def _save_copy(window: MainWindow) -> None:
    """File -> Save a Copy: the copy is made on the worker thread (big projects take a while)."""
    if window.workspace.save_copy is not None:
        target = window.prompts.copy_target(window.workspace.project.path)
        if target is not None:
            window.jobs.save_copy(target)


def _export(window: MainWindow) -> None:
    ws = window.workspace
    if ws.export is not None:
        # under blind coding a coder exports their own layer only; the PI chooses
        own_only = ws.team is not None and ws.coder and not ws.team.sees_everyone(ws.coder)
        coders = [ws.coder] if own_only else export_coders(ws.project)
        choice = window.prompts.export_choice(ws.project.path, coders)
        if choice is not None:
            options = replace(choice.options, coder=ws.coder) if own_only else choice.options
            window.jobs.export(choice.target, options)
