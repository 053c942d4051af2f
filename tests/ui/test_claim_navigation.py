"""] and [ walk through the article's claims in text order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import ARTICLE


def test_brackets_step_through_the_claims_and_wrap(qtbot, window, article) -> None:
    coding = window.workspace.claims
    second = coding.create(article, ARTICLE.index("Later"), len(ARTICLE)).after
    first = coding.create(article, ARTICLE.index("Prime"), ARTICLE.index(" Sharif said")).after
    window.claim_controller.reload()
    view, claims = window.article, window.claim_controller
    seen = []
    for key in (Qt.Key.Key_BracketRight, Qt.Key.Key_BracketRight, Qt.Key.Key_BracketRight,
                Qt.Key.Key_BracketLeft):
        qtbot.keyClick(view, key)
        seen.append(claims.selected)
    assert seen == [first.id, second.id, first.id, second.id]  # type: ignore[union-attr]
