"""The codebook's patterns in a pipeline: matched after the model, then merged with its entities.

A span ruler after ``ner`` puts the pattern matches in ``doc.spans`` (of overlapping matches
the first longest wins, so ``Operation`` + two title-cased words beats ``Operation`` + one).
:func:`merge_pattern_entities` then makes them entities:

* a model entity that does not touch a match stays exactly as the model predicted it (a
  ruler *before* ``ner`` made the model predict around fixed entities, which moved its
  neighbouring predictions);
* a model entity a match covers goes; one it overlaps keeps what lies outside the match
  when that is still a name of two or more words (``Joint Task Force`` out of the model's
  ``Joint Task Force Operation Inherent Resolve``), and goes otherwise (``The``,
  ``Headquarters``).

spaCy is imported here at module level: import this module only when building a pipeline.
The component is registered on import, so worker processes that unpickle a pipeline find it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

#: Where the span ruler leaves its matches.
SPANS_KEY = "annotator_patterns"
MERGE_NAME = "annotator_pattern_entities"
#: A remainder of a cut model entity is kept if it has at least this many words.
MIN_REMAINDER_WORDS = 2


@Language.component(MERGE_NAME)
def merge_pattern_entities(doc: Doc) -> Doc:
    matches = sorted(doc.spans[SPANS_KEY], key=lambda s: s.start) if SPANS_KEY in doc.spans else []
    if not matches:
        return doc
    entities: list[Span] = []
    for ent in doc.ents:
        pieces = [(ent.start, ent.end)]
        for match in matches:
            pieces = [
                part
                for start, end in pieces
                for part in ((start, min(end, match.start)), (max(start, match.end), end))
                if part[0] < part[1]
            ]
        if pieces == [(ent.start, ent.end)]:
            entities.append(ent)
            continue
        for start, end in pieces:
            kept = _trimmed(doc, start, end)
            if kept is not None:
                entities.append(Span(doc, kept[0], kept[1], label=ent.label_))
    entities += [Span(doc, m.start, m.end, label=m.label_) for m in matches]
    doc.ents = sorted(entities, key=lambda s: s.start)
    return doc


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The piece without stop words and punctuation at its edges, if it is still a name."""
    while start < end and (doc[start].is_stop or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_stop or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    words = sum(1 for token in doc[start:end] if token.is_alpha or token.like_num)
    return (start, end) if words >= MIN_REMAINDER_WORDS else None
