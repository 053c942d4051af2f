"""The code layer (issue 13): QDA codings, which, unlike entities, may overlap freely.

A REFI-QDA project (NVivo, QualCoder, MAXQDA, ATLAS.ti) applies codes to ranges of text, and
the ranges overlap: one sentence coded "economy" and "blame" by one coder, the same range by
two coders. Entities cannot hold that (one coder's entities never overlap), so codings are a
layer of their own: codes are a project list apart from the entity labels (a QDA codebook is
a tree of themes, not the entity types spaCy suggests), and every coding names its coder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """A code of the project's code list; ``parent`` is the name of the code it sits under."""

    name: str
    color: str = ""
    parent: str = ""
    position: int = 0


@dataclass(frozen=True)
class Coding:
    """A code applied to ``text[start:end]`` (code points, end-exclusive) by ``coder``."""

    document_id: int
    start: int
    end: int
    text: str
    code: str
    coder: str | None = None
    memo: str = ""
    id: int | None = None


def excerpt(text: str, limit: int = 80) -> str:
    """A coding's text on one line, shortened for a list."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
