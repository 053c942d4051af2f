"""A codebook saved by someone else while the dialog is open is not overwritten by the stale
draft: the second saver is told who changed what, and shown the codebook as it is now."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.domain.model import Label
from annotator.services.codebook import CodebookConflictError, CodebookService
from tests.ui.test_codebook_dialog import SAVE, open_dialog


def add_label(service: CodebookService, name: str, based_on: int | None = None) -> None:
    current = service.current()
    label = Label(name, "#123456", position=len(current.labels))
    service.save(replace(current, labels=(*current.labels, label)), based_on=based_on)


def test_a_save_based_on_an_old_version_is_refused_and_changes_nothing(project) -> None:
    pi, coder = CodebookService(project, coder="pia"), CodebookService(project, coder="ali")
    seen = coder.version()
    add_label(pi, "PARTY")
    with pytest.raises(CodebookConflictError, match=r"changed by pia at .* \(New label PARTY\)"):
        add_label(coder, "MILITIA", based_on=seen)
    names = [lb.name for lb in project.codebook().labels]
    assert "PARTY" in names and "MILITIA" not in names
    add_label(coder, "MILITIA", based_on=coder.version())  # from the new state: saved
    assert "MILITIA" in [lb.name for lb in project.codebook().labels]
    assert coder.version() == seen + 2


def test_the_dialog_tells_the_second_saver_and_reopens_on_the_new_codebook(qtbot, window) -> None:
    dialog = open_dialog(window)
    add_label(CodebookService(window.workspace.project, coder="pia"), "PARTY")  # the PI, elsewhere
    variable = dialog.draft[0]
    dialog.draft[0] = replace(variable, description=variable.description + " (edited)")
    dialog.buttons.button(SAVE).click()
    title, text = window.prompts.informed[-1]
    assert title == "The codebook changed meanwhile"
    assert "changed by pia" in text and "New label PARTY" in text and "not saved" in text
    fresh = window.codebooks.dialog
    assert fresh is not None and fresh is not dialog and fresh.isVisible()
    assert "PARTY" in [lb.name for lb in fresh.original.labels]
    assert "your last draft was not saved" in fresh.error.text()
    stored = window.workspace.project.codebook()
    assert not stored.fields[0].description.endswith("(edited)")
    fresh.reject()
