"""Article view details: the claims layer keeps entity colours, the context menu's entries,
and a broken last project does not block the next start."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from annotator.app import app_services
from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import EntitySpan, SpanOrigin, SpanStatus
from annotator.ui.article.context_menu import build_context_menu
from annotator.ui.article.span_index import Range
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.launch import open_workspace
from annotator.ui.shell.settings import AppSettings
from tests.ui.conftest import ARTICLE

TEXT = "Prime Minister Shehbaz Sharif said the talks would go on."


def test_a_claim_underline_keeps_the_entity_fill_under_it(window) -> None:
    view = window.article
    start = TEXT.index("Shehbaz Sharif")
    entity = EntitySpan(DocumentId(1), start, start + 14, "Shehbaz Sharif", "PERSON", SpanOrigin.MANUAL,
                        SpanStatus.ACCEPTED, id=SpanId(1))
    view.show_document(TEXT, [entity])
    view.set_claim_ranges([Range("claim-1", 0, len(TEXT) - 1, None)])
    formats = view.document().firstBlock().layout().formats()
    underlined = [f for f in formats if f.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline]
    assert sum(f.length for f in underlined) == len(TEXT) - 1
    filled = [f for f in underlined if f.format.background().style() != Qt.BrushStyle.NoBrush]
    assert [(f.start, f.length) for f in filled] == [(start, 14)]


def test_the_context_menu_offers_the_project_wide_commands(window) -> None:
    window.controller.select_next_pending()
    entity = window.controller.selected_span()
    seen: list[tuple[str, str]] = []
    menu = build_context_menu(window, window.actions, window.codebook, entity, None,
                              lambda t, lb: seen.append(("every", t + lb)), lambda t, lb: seen.append(("pattern", t)))
    texts = [a.text() for a in menu.actions()]
    assert "Label Every 'Shehbaz Sharif' in the Project as PERSON" in texts
    assert "Add 'Shehbaz Sharif' to the Project Patterns as PERSON" in texts
    next(a for a in menu.actions() if a.text().startswith("Add 'Shehbaz")).trigger()
    assert seen == [("pattern", "Shehbaz Sharif")]

    start = ARTICLE.index("Finance Ministry")
    text = window.controller.snapped_text((start + 2, start + 12))  # "nance Minis": half or more of each
    assert text == "Finance Ministry"
    menu = build_context_menu(window, window.actions, window.codebook, None, text, lambda *a: None, lambda *a: None)
    submenus = [a.menu().title() for a in menu.actions() if a.menu() is not None]
    assert "Label Every 'Finance Ministry' in the Project As" in submenus


def test_a_last_project_that_no_longer_opens_falls_back_to_the_demo(tmp_path) -> None:
    broken = tmp_path / "broken.annotator"
    broken.write_bytes(b"not a database at all" * 100)
    settings = AppSettings.in_memory()
    settings.add_recent_project(broken)
    services = dataclasses.replace(app_services(), demo_path=tmp_path / "Demo.annotator")
    prompts = CannedPrompts()
    workspace = open_workspace(None, services, settings, prompts, "tester")
    assert workspace is not None and workspace.project.path == services.demo_path
    assert prompts.errors and "broken.annotator" in prompts.errors[0][1]
    assert settings.recent_projects() == []
    workspace.close()
