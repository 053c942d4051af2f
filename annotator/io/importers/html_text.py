"""A page's visible text without building a tree: no nesting limit, nothing dropped.

libxml2 (under lxml and trafilatura) stops building the tree 256 levels deep, so a page of
20,000 unclosed ``<span>``s kept only its first 253 words and 5,000 nested ``<div>``s looked
empty. Python's own HTML tokenizer has no such limit; this reads the text it reports,
leaving out scripts, styles, the head, navigation, header and footer, and starting a new line
at each block element.
"""

from __future__ import annotations

from html.parser import HTMLParser

_INVISIBLE = frozenset(
    ("script", "style", "noscript", "template", "nav", "header", "footer", "title", "svg")
)
# fmt: off
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
))
# fmt: on


def visible_text(html: str) -> str:
    """The text a reader sees in the page body, one line per block, spaces collapsed."""
    reader = _VisibleText()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.pieces).split("\n"))
    return "\n".join(line for line in lines if line)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden: dict[str, int] = {}
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif tag == "body" or tag in _BLOCKS:
            self._in_head = False  # browsers end an unclosed head at the first body content
        if tag in _INVISIBLE:
            self._hidden[tag] = self._hidden.get(tag, 0) + 1
        if tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if self._hidden.get(tag):
            self._hidden[tag] -= 1
        if tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._in_head and not any(self._hidden.values()):
            self.pieces.append(data)
