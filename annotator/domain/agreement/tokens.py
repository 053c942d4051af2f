"""The tokens the entity alpha is computed over: words and single punctuation marks.

A deliberately simple, language-neutral rule (a run of word characters, or one other
non-space character), so the figure does not depend on which spaCy model a project uses and
can be recomputed by anyone from the exported text and offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token, code points, end-exclusive."""
    return [m.span() for m in _TOKEN.finditer(text)]


def token_labels(
    tokens: Sequence[tuple[int, int]], entities: Iterable[tuple[int, int, str]]
) -> list[str | None]:
    """Each token's label: that of the entity covering any of it, else None.

    A coder's own entities never overlap each other, so a token has one label at most; if they
    did, the later entity in text order wins.
    """
    labels: list[str | None] = [None] * len(tokens)
    ends = [end for _start, end in tokens]
    for start, end, label in sorted(entities):
        i = bisect_left(ends, start + 1)  # the first token ending after the entity starts
        while i < len(tokens) and tokens[i][0] < end:
            labels[i] = label
            i += 1
    return labels
