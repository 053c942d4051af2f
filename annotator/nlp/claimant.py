"""Who makes a claim? Rank a document's entities as candidate claimants.

The claim's sentence is parsed with a pipeline that has a dependency parser (see
:func:`annotator.nlp.models.load_parser_pipeline`). Speakers are found from

* the subject of a reporting verb ("Sharif *emphasized* that ...", "..., *said* Maria Lopez"),
  or its agent in the passive ("... was announced by the ministry");
* the object of "according to" ("*According to* the ministry, ...").

Entities that overlap a speaker come first; then entities with a preferred label
(persons, organisations), nearest to the claim first, those inside the claim last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.domain.errors import SpanError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

#: Lemmas of verbs that introduce what someone says or holds.
REPORTING_LEMMAS: frozenset[str] = frozenset(
    {
        "say", "tell", "state", "announce", "claim", "warn", "demand", "urge", "insist",
        "emphasize", "emphasise", "stress", "add", "argue", "call", "decide", "accuse",
        "deny", "vow", "pledge", "criticize", "criticise", "condemn", "reject", "welcome",
        "declare", "assert", "maintain", "allege", "note", "explain", "suggest", "propose",
        "predict", "promise", "threaten", "acknowledge", "admit", "confirm", "reiterate",
        "believe", "think", "estimate", "report", "write", "describe", "blame", "praise",
        "dismiss", "recommend", "ask", "question", "caution", "contend", "point", "signal",
        "highlight", "underline", "underscore", "observe", "remark", "respond", "reply",
        "hint", "indicate", "order", "direct", "instruct", "assure", "tweet", "post",
    }
)  # fmt: skip

DEFAULT_PREFERRED_LABELS: tuple[str, ...] = (
    "PERSON", "ORGANISATION", "ORGANIZATION", "ORG", "PER",
)  # fmt: skip

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NAME_DEPS = frozenset({"compound", "flat", "flat:name", "amod", "nmod"})


@dataclass(frozen=True)
class Speaker:
    """Who a cue (reporting verb or "according to") points at, in document offsets.

    ``start``/``end`` cover the whole phrase (e.g. "Sharif, who met the IMF,");
    ``head_start``/``head_end`` only its head with the name tokens before it ("Prime
    Minister Sharif").
    """

    start: int
    end: int
    head_start: int
    head_end: int
    cue: str


# --- pure ranking ------------------------------------------------------------------------


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _gap(start: int, end: int, claim_start: int, claim_end: int) -> int:
    """Characters between an entity and the claim; 0 if they overlap."""
    if end <= claim_start:
        return claim_start - end
    if start >= claim_end:
        return start - claim_end
    return 0


def rank_candidates(
    entities: Sequence[tuple[int, int, str]],
    speakers: Sequence[Speaker],
    claim_start: int,
    claim_end: int,
    preferred_labels: Sequence[str],
) -> list[int]:
    """Indices into ``entities`` ``(start, end, project_label)``, best claimant first.

    1. For each speaker in order: entities overlapping its head (any label), then
       entities with a preferred label elsewhere in its phrase.
    2. Remaining entities with a preferred label: outside the claim before inside it,
       nearer the claim first, before the claim rather than after it on a tie.
    Entities of other labels that no speaker points at are not candidates.
    """
    preferred = set(preferred_labels)
    order: list[int] = []
    seen: set[int] = set()

    def take(indices: list[int]) -> None:
        for i in indices:
            if i not in seen:
                seen.add(i)
                order.append(i)

    for sp in speakers:
        at_head = [
            i for i, (s, e, _label) in enumerate(entities) if _overlaps(s, e, sp.head_start, sp.head_end)
        ]
        at_head.sort(key=lambda i: (entities[i][2] not in preferred, entities[i][0]))
        take(at_head)
        take(
            [
                i
                for i, (s, e, label) in enumerate(entities)
                if label in preferred and _overlaps(s, e, sp.start, sp.end)
            ]
        )

    def nearness(i: int) -> tuple[bool, int, bool, int]:
        s, e, _label = entities[i]
        inside = _overlaps(s, e, claim_start, claim_end)
        return (inside, _gap(s, e, claim_start, claim_end), s >= claim_end, s)

    rest = [i for i, (_s, _e, label) in enumerate(entities) if label in preferred]
    take(sorted(rest, key=nearness))
    return order


def context_window(text: str, start: int, end: int, margin: int = 1000) -> tuple[int, int]:
    """The part of ``text`` to parse for a claim at ``start:end``: its paragraph, at most
    ``margin`` characters either side, cut at whitespace."""
    lo = max(0, start - margin)
    hi = min(len(text), end + margin)
    newline = text.rfind("\n", lo, start)
    if newline >= 0:
        lo = newline + 1
    elif lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else start
    newline = text.find("\n", end, hi)
    if newline >= 0:
        hi = newline
    elif hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else end
    return lo, hi


# --- reading the parse -------------------------------------------------------------------


def _phrase(token: Token, offset: int, cue: str) -> Speaker:
    """The phrase headed by ``token`` and its name core, in document offsets."""
    doc = token.doc
    first = token.i
    for child in reversed(list(token.lefts)):  # nearest first: "union leader Maria" Lopez
        if child.dep_ not in _NAME_DEPS or child.right_edge.i != first - 1:
            break
        first = child.left_edge.i
    left, right = token.left_edge, token.right_edge
    return Speaker(
        start=left.idx + offset,
        end=right.idx + len(right) + offset,
        head_start=doc[first].idx + offset,
        head_end=token.idx + len(token) + offset,
        cue=cue,
    )


def _is_reporting_verb(token: Token) -> bool:
    lemma = (token.lemma_ or token.lower_).lower()
    if lemma not in REPORTING_LEMMAS:
        return False
    return token.pos_ == "VERB" or not token.doc.has_annotation("POS")


def _subjects(verb: Token) -> list[Token]:
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    passive = any(c.dep_ == "nsubjpass" for c in subjects)
    agents = [pobj for c in verb.children if c.dep_ == "agent" for pobj in c.children if pobj.dep_ == "pobj"]
    if passive and agents:
        return agents  # "... was announced by the ministry": the ministry speaks
    if not subjects and verb.dep_ == "conj" and verb.head is not verb:
        return _subjects(verb.head)  # "Sharif arrived and said ..."
    return subjects


def _cues(sent: Span, offset: int) -> list[tuple[Token, Speaker]]:
    found: list[tuple[Token, Speaker]] = []
    for token in sent:
        if _is_reporting_verb(token):
            for subject in _subjects(token):
                found.append((token, _phrase(subject, offset, token.lemma_ or token.lower_)))
        elif token.lower_ == "according" and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            if to.lower_ != "to":
                continue
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if objects:
                found.append((token, _phrase(objects[0], offset, "according to")))
            else:  # unparsed: up to the next punctuation
                end = to.i + 1
                while end < sent.end and not token.doc[end].is_punct:
                    end += 1
                if end > to.i + 1:
                    last = token.doc[end - 1]
                    s, e = token.doc[to.i + 1].idx + offset, last.idx + len(last) + offset
                    found.append((token, Speaker(s, e, s, e, "according to")))
    return found


def speaker_spans(doc: Doc, claim_start: int, claim_end: int, offset: int = 0) -> list[Speaker]:
    """Speakers the claim's sentences point at, best first.

    ``claim_start``/``claim_end`` are offsets into ``doc.text``; the speakers are returned
    with ``offset`` added. Sentences that overlap the claim are searched first, then the
    sentence after it and the one before it. Within them a cue outside the claim beats
    one inside it, then the nearer cue wins, then the one higher in the tree.
    """
    sents = list(doc.sents)
    hit = [
        k
        for k, s in enumerate(sents)
        if _overlaps(s.start_char, s.end_char, claim_start, max(claim_end, claim_start + 1))
    ]
    if not hit:
        return []
    groups = [hit, [hit[-1] + 1], [hit[0] - 1]]
    speakers: list[Speaker] = []
    for rank, group in enumerate(groups):
        cues: list[tuple[tuple[int, bool, int, int], Speaker]] = []
        for k in group:
            if not 0 <= k < len(sents):
                continue
            for token, speaker in _cues(sents[k], offset):
                end = token.idx + len(token)
                inside = _overlaps(token.idx, end, claim_start, claim_end)
                distance = _gap(token.idx, end, claim_start, claim_end)
                depth = sum(1 for _ in token.ancestors)
                cues.append(((rank, inside, distance, depth), speaker))
        cues.sort(key=lambda pair: pair[0])
        speakers.extend(speaker for _key, speaker in cues)
    return speakers


def claimant_candidates(
    nlp_full: Language,
    text: str,
    claim_start: int,
    claim_end: int,
    entities: Sequence[tuple[int, int, str]],
    preferred_labels: Sequence[str] = DEFAULT_PREFERRED_LABELS,
    *,
    margin: int = 1000,
) -> list[int]:
    """Indices into ``entities`` (``(start, end, project_label)`` in ``text`` offsets),
    best claimant first, for the claim at ``text[claim_start:claim_end]``.

    ``nlp_full`` must parse (tagger, parser, lemmatizer). Only the claim's paragraph (at
    most ``margin`` characters either side) is parsed.
    """
    if not 0 <= claim_start <= claim_end <= len(text):
        raise SpanError(f"claim {claim_start}-{claim_end} does not fit a text of {len(text)} characters")
    lo, hi = context_window(text, claim_start, claim_end, margin)
    doc = nlp_full(text[lo:hi])
    speakers = speaker_spans(doc, claim_start - lo, claim_end - lo, offset=lo)
    return rank_candidates(entities, speakers, claim_start, claim_end, preferred_labels)
