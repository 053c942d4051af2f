"""Entity agreement: F1 (exact and overlap) for every coder pair, and alpha over tokens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np

from annotator.domain.agreement.report import Disagreement, EntityFigure
from annotator.domain.agreement.tokens import token_labels, tokenize
from annotator.domain.agreement.units import CodedEntity, PairCounts, entity_clusters, entity_pair_counts
from annotator.services.agreement.reading import DocumentCodings
from annotator.services.agreement.statistics import Table, alpha_estimate

PairCountsByLabel = dict[str | None, tuple[PairCounts, PairCounts]]


def entity_figures(
    documents: Sequence[DocumentCodings], coders: Sequence[str], labels: Sequence[str],
    draws: int, seed: int,
) -> tuple[EntityFigure, tuple[EntityFigure, ...]]:
    """The overall figure and one per label (``labels`` in codebook order; labels coded but no
    longer in the codebook come after)."""
    used = {e.label for d in documents for layer in d.entities.values() for e in layer}
    labels = [lb for lb in labels if lb in used] + sorted(used - set(labels))
    codes = _token_codes(documents, coders, labels)
    counts = _pair_counts(documents, coders)
    mentions = _mentions(documents, labels)
    overall = _figure(None, documents, coders, Table(codes, np.arange(len(labels) + 1.0)), draws, seed,
                      counts, mentions[None])
    per_label = []
    for k, label in enumerate(labels, start=1):
        binary = np.where(codes < 0, -1, (codes == k).astype(np.int64))
        per_label.append(_figure(label, documents, coders, Table(binary, np.arange(2.0)), draws, seed,
                                 counts, mentions[label]))
    return overall, tuple(per_label)


def _token_codes(
    documents: Sequence[DocumentCodings], coders: Sequence[str], labels: Sequence[str]
) -> np.ndarray:
    """coders x tokens of every counted document: 0 none, k the k-th label, -1 not coded."""
    index = {label: k for k, label in enumerate(labels, start=1)}
    blocks = []
    for doc in documents:
        tokens = tokenize(doc.text)
        block = np.full((len(coders), len(tokens)), -1, dtype=np.int64)
        for i, coder in enumerate(coders):
            if coder in doc.coders:
                found = token_labels(tokens, [(e.start, e.end, e.label) for e in doc.entities[coder]])
                block[i] = [index[lb] if lb is not None else 0 for lb in found]
        blocks.append(block)
    return np.concatenate(blocks, axis=1) if blocks else np.full((len(coders), 0), -1, dtype=np.int64)


def _figure(
    label: str | None, documents: Sequence[DocumentCodings], coders: Sequence[str], tokens: Table,
    draws: int, seed: int, counts: Mapping[tuple[str, str], list[PairCountsByLabel]],
    mentions: tuple[int, list[Disagreement]],
) -> EntityFigure:
    pairs: dict[str, tuple[float | None, float | None]] = {}
    empty = (PairCounts(0, 0, 0), PairCounts(0, 0, 0))
    for (a, b), per_document in counts.items():
        exact = loose = PairCounts(0, 0, 0)
        for by_label in per_document:
            e, o = by_label.get(label, empty)
            exact, loose = exact + e, loose + o
        if exact.first or exact.second:
            pairs[f"{a}/{b}"] = (exact.f1, loose.f1)
    note = "" if pairs else "no coder marked an entity" + (f" labelled {label}" if label else "")
    return EntityFigure(
        label=label,
        f1_exact=_mean([e for e, _ in pairs.values()]),
        f1_overlap=_mean([o for _, o in pairs.values()]),
        pairs=pairs,
        alpha_tokens=alpha_estimate(tokens, "nominal", draws, seed),
        units=mentions[0],
        disagreements=tuple(mentions[1]),
        note=note,
    )


def _pair_counts(
    documents: Sequence[DocumentCodings], coders: Sequence[str]
) -> dict[tuple[str, str], list[PairCountsByLabel]]:
    """For every coder pair, their counts per label in each document both coded."""
    return {
        (a, b): [
            entity_pair_counts(doc.entities[a], doc.entities[b])
            for doc in documents if a in doc.coders and b in doc.coders
        ]
        for a, b in combinations(coders, 2)
    }


def _mentions(
    documents: Sequence[DocumentCodings], labels: Sequence[str]
) -> dict[str | None, tuple[int, list[Disagreement]]]:
    """Per label (None: all): the places any coder marked, and those where the coders differ."""
    result: dict[str | None, tuple[int, list[Disagreement]]] = {}
    for label in (None, *labels):
        count, found = 0, []
        for doc in documents:
            layers = {
                c: [e for e in doc.entities[c] if label is None or e.label == label] for c in doc.coders
            }
            if not any(layers.values()):
                continue
            for group in entity_clusters(layers):
                count += 1
                marks = {c: frozenset(group.get(c, ())) for c in doc.coders}
                if len(set(marks.values())) > 1:
                    found.append(Disagreement(
                        doc.document_id,
                        min(e.start for es in group.values() for e in es),
                        max(e.end for es in group.values() for e in es),
                        {c: _describe(sorted(m, key=lambda e: e.start)) for c, m in marks.items()},
                    ))
        result[label] = (count, found)
    return result


def _describe(entities: list[CodedEntity]) -> str | None:
    return "; ".join(f"{e.label} {e.start}-{e.end}" for e in entities) or None


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
