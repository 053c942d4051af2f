"""Code points <-> Qt positions, checked against Qt's own document, and highlighting and
selection in text with emoji, Urdu and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import EntitySpan, SpanOrigin, SpanStatus
from annotator.services.resources import default_codebook
from annotator.ui.article.article_view import ArticleView
from annotator.ui.article.span_styles import SpanStyles
from annotator.ui.common.offsets import TextOffsets
from tests.ui.helpers import drag_select, key

MIXED = (
    "🎉 Prime Minister 👩🏽‍⚕️ Shehbaz Sharif visited 北京 on Monday.\r\n"
    "وزیر اعظم شہباز شریف نے کراچی کا دورہ کیا۔ 😀 Then 𝒜𝓁𝒾𝒸ℯ met 李明 in 上海.\u2029"
    "Last line with Zürich and e\u0301 (a combining accent)."
)


def qt_document(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(text)
    return document


def qt_slice(document: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def as_qt_text(text: str) -> str:
    """What Qt shows for a piece of text: one paragraph separator per line break."""
    return text.replace("\r\n", "\u2029").replace("\r", "\u2029").replace("\n", "\u2029")


def test_astral_characters_take_two_positions_and_both_directions_agree() -> None:
    offsets = TextOffsets("a😀b")
    assert [offsets.to_qt(i) for i in range(4)] == [0, 1, 3, 4]
    assert [offsets.to_code_point(q) for q in range(5)] == [0, 1, 1, 2, 3]  # mid-pair rounds down
    assert offsets.qt_length == 4


def test_a_crlf_pair_is_one_qt_position() -> None:
    offsets = TextOffsets("ab\r\ncd")
    assert offsets.to_qt(4) == 3  # "c"
    assert offsets.to_code_point(3) == 4
    assert offsets.block_starts == [0, 3]
    assert qt_document("ab\r\ncd").findBlockByNumber(1).position() == 3


def test_every_character_of_mixed_text_maps_onto_qts_document() -> None:
    offsets = TextOffsets(MIXED)
    document = qt_document(MIXED)
    assert document.characterCount() - 1 == offsets.qt_length
    for i, char in enumerate(MIXED):
        if MIXED[i - 1 : i + 1] == "\r\n":
            continue  # the "\n" of a pair has no position of its own
        start, end = offsets.range_to_qt(i, i + 1)
        assert qt_slice(document, start, end) == as_qt_text(char), (i, char)
        assert offsets.to_code_point(start) == i
    starts = [document.findBlockByNumber(n).position() for n in range(document.blockCount())]
    assert offsets.block_starts == starts


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\r\u2029😀𝒜北ش\u0301")), max_size=40))
def test_random_text_round_trips(text: str) -> None:
    offsets = TextOffsets(text)
    document = qt_document(text)
    assert document.characterCount() - 1 == offsets.qt_length
    assert offsets.block_starts == [document.findBlockByNumber(n).position() for n in range(document.blockCount())]
    for i in range(len(text) + 1):
        if 0 < i < len(text) and text[i - 1 : i + 1] == "\r\n":
            continue
        assert offsets.to_code_point(offsets.to_qt(i)) == i
    for i in range(len(text)):
        if text[i] == "\n" and i and text[i - 1] == "\r":
            continue
        assert qt_slice(document, *offsets.range_to_qt(i, i + 1)) == as_qt_text(text[i])


def span(span_id: int, text: str, needle: str, label: str, status=SpanStatus.ACCEPTED) -> EntitySpan:
    start = text.index(needle)
    return EntitySpan(DocumentId(1), start, start + len(needle), needle, label, SpanOrigin.MODEL, status,
                      id=SpanId(span_id))


@pytest.fixture
def view(qtbot) -> ArticleView:
    widget = ArticleView(SpanStyles(default_codebook(), qtbot_palette()))
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def qtbot_palette():
    from PySide6.QtWidgets import QApplication

    return QApplication.palette()


@pytest.mark.parametrize("needle", ["Shehbaz Sharif", "北京", "کراچی", "李明", "上海", "𝒜𝓁𝒾𝒸ℯ", "Zürich"])
def test_highlights_cover_exactly_the_entity(view: ArticleView, needle: str) -> None:
    entity = span(1, MIXED, needle, "LOCATION")
    view.show_document(MIXED, [entity])
    block = view.document().findBlockByNumber(view.offsets.block_of(view.offsets.to_qt(entity.start)))
    ranges = [r for r in block.layout().formats() if r.format.background().style() != Qt.BrushStyle.NoBrush]
    assert len(ranges) == 1
    painted = qt_slice(view.document(), block.position() + ranges[0].start,
                       block.position() + ranges[0].start + ranges[0].length)
    assert painted == needle


def test_a_selection_after_emoji_reports_code_points(view: ArticleView, qtbot) -> None:
    view.show_document(MIXED, [])
    start = MIXED.index("李明")
    drag_select(qtbot, view, start, start + 2)
    assert view.selected_range() == (start, start + 2)
    assert view.span_at(view.cursorRect().center()) is None
    key(qtbot, view, Qt.Key.Key_Escape)  # keys on a bare view do nothing harmful


def test_clicking_an_urdu_entity_after_emoji_finds_it(view: ArticleView, qtbot) -> None:
    entity = span(7, MIXED, "کراچی", "LOCATION", SpanStatus.SUGGESTED)
    view.show_document(MIXED, [span(3, MIXED, "Shehbaz Sharif", "PERSON"), entity])
    clicked: list[object] = []
    view.span_clicked.connect(clicked.append)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(entity.start) + 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    assert clicked == [7]
