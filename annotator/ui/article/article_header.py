"""Above the article: its title, where it came from, and how far its coding has got."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.domain.model import Document, EntitySpan, SpanStatus
from annotator.ui.documents.document_model import STATUS_TEXT


class ArticleHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleHeader")
        self.title = QLabel()
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.meta.setObjectName("articleMeta")
        self.meta.setTextFormat(self.meta.textFormat().RichText)
        self.meta.setOpenExternalLinks(True)
        self.meta.setWordWrap(True)  # a long outlet or byline must not widen the window
        self.meta.setToolTip("F2: edit the title, outlet, author, date, section and URL")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 12, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        self._document: Document | None = None
        self._counts = ""
        self._words = 0

    def show_document(self, document: Document | None) -> None:
        if document is not None and (self._document is None or self._document.id != document.id):
            self._words = document.word_count  # once per document: it splits the whole text
        self._document = document
        if document is None:
            self.title.setText("No document open")
        else:
            self.title.setText(document.title or f"Document {document.id}")
        self._render()

    def show_counts(self, spans: Iterable[EntitySpan]) -> None:
        pending = accepted = 0
        for span in spans:
            pending += span.status is SpanStatus.SUGGESTED
            accepted += span.status is SpanStatus.ACCEPTED
        self._counts = f"{pending} pending · {accepted} accepted"
        self._render()

    def _render(self) -> None:
        document = self._document
        if document is None:
            self.meta.setText("Choose a document in the list, or import articles with File → Import.")
            return
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        missing = "<i>no {}</i>"  # outlet and date are core variables: say when they are absent
        parts = [escape(document.source) if document.source else missing.format("outlet")]
        parts += [escape(p) for p in (document.section, document.author) if p]
        parts.append(document.published.isoformat() if document.published else missing.format("date"))
        if document.url:
            parts.append(f"<a href='{escape(document.url, quote=True)}'>link</a>")
        parts.append(f"{self._words:,} words")
        parts.append(f"<b>{STATUS_TEXT[document.status]}</b>")
        if self._counts:
            parts.append(self._counts)
        self.meta.setText(f"<span style='color:{muted}'>{' · '.join(parts)}</span>")
