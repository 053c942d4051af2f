"""The articles of a Factiva HTML export, without the page around them."""

from __future__ import annotations

import lxml.html
from lxml import etree

from annotator.io.importers.html_text import visible_text

# Factiva marks each article's block with the class "article" (and its language: enArticle)
_ARTICLES = "//*[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"


def factiva_page_text(html: str) -> str:
    """The visible text of the page's article blocks, or of the whole page if it has none."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return visible_text(html)
    blocks = root.xpath(_ARTICLES)
    marked = set(blocks)
    outermost = [b for b in blocks if not any(a in marked for a in b.iterancestors())]
    if not outermost:
        return visible_text(html)
    return "\n".join(visible_text(etree.tostring(b, encoding="unicode")) for b in outermost)
