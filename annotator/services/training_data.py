"""What a project teaches a model (issue 15.1): its finished documents, completely annotated.

Which documents and whose entities:

* a document with a final layer (adjudicated: the ``final`` coder has a status or entities in
  it) counts once the final layer is marked done, with the final layer's accepted entities;
  an adjudication not yet marked done is left out;
* any other document counts when coders marked it done: with one such coder, their accepted
  entities; with several, their accepted entities if they agree exactly (same start, end and
  label), else it is left out (their disagreement is for adjudication to settle, not for the
  model to learn either side of);
* nothing else: documents in progress, pending model suggestions and claims are not used.

The accepted entities of a counted document are its complete truth: every other word is "no
entity". So each suggestion a coder rejected is a negative example without being listed (its
words are "no entity" unless the coder drew an entity over them).

Labels: the model learns a project label under the spaCy label it maps from (the first of its
codebook's spaCy labels that maps back to it), so a base model's knowledge of PERSON or ORG
is fine-tuned rather than learnt again; a label with no spaCy label (e.g. PARTY) is learnt
under its own name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.ids import DocumentId
from annotator.domain.model import Codebook, DocumentStatus
from annotator.nlp.training import TrainingText
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from annotator.storage.repositories.layers_read import LayerReader
from annotator.storage.repositories.training_read import TrainingReader

NOT_ADJUDICATED_DONE = "adjudicated documents whose final layer is not marked done"
DISAGREEING = "documents several coders finished differently and nobody adjudicated"


@dataclass
class TrainingData:
    """The documents to learn from, as plain values, with why others were left out."""

    #: the documents with their entities in project labels
    documents: list[tuple[DocumentId, TrainingText]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    #: project label -> the label the model learns it as
    as_model: dict[str, str] = field(default_factory=dict)

    def label_counts(self) -> dict[str, int]:
        """Entities per project label over all documents."""
        counts: Counter[str] = Counter(label for _d, t in self.documents for *_e, label in t.entities)
        return dict(sorted(counts.items()))

    def for_model(self, text: TrainingText) -> TrainingText:
        """``text`` with its entities in the labels the model learns."""
        return TrainingText(text.text, tuple((s, e, self.as_model.get(lb, lb)) for s, e, lb in text.entities))

    def equivalents(self, codebook: Codebook) -> dict[str, tuple[str, ...]]:
        """model label -> the spaCy labels of its project label that map back to it (a base
        model's label for an entity that is one of these is as good: see ``in_base_labels``)."""
        back = codebook.spacy_label_map()
        return {self.as_model[lb.name]: tuple(s for s in lb.spacy_labels if back.get(s) == lb.name)
                for lb in codebook.labels if lb.name in self.as_model}

    def own_labels(self) -> dict[str, str]:
        """model label -> project label for labels learnt under their own name (no spaCy label)."""
        return {m: p for p, m in self.as_model.items() if m == p}


def model_labels(codebook: Codebook) -> dict[str, str]:
    """project label -> the label the model learns it as (see the module's docstring)."""
    back = codebook.spacy_label_map()
    result: dict[str, str] = {}
    for label in sorted(codebook.labels, key=lambda lb: lb.position):
        primary = next((s for s in label.spacy_labels if back.get(s) == label.name), None)
        result[label.name] = primary or label.name
    return result


def gather(project: Project) -> TrainingData:
    codebook = project.codebook()
    data = TrainingData(as_model=model_labels(codebook))
    with project.read_session() as session:
        reader = TrainingReader(session)
        statuses = reader.statuses()
        adjudicated = reader.documents_with_entities_of(FINAL_LAYER) | {
            d for d, by in statuses.items() if FINAL_LAYER in by
        }
        chosen: dict[DocumentId, list[str]] = {}
        for document_id, by in statuses.items():
            if document_id in adjudicated:
                if by.get(FINAL_LAYER) is DocumentStatus.DONE:
                    chosen[document_id] = [FINAL_LAYER]
                else:
                    data.left_out[NOT_ADJUDICATED_DONE] = data.left_out.get(NOT_ADJUDICATED_DONE, 0) + 1
                continue
            done = sorted(c for c, s in by.items() if s is DocumentStatus.DONE and c != FINAL_LAYER)
            if done:
                chosen[document_id] = done
        ids = sorted(chosen)
        coders = sorted({c for names in chosen.values() for c in names})
        entities = LayerReader(session).accepted_entities(ids, coders) if ids else {}
        texts = DocumentRepository(session).texts(ids) if ids else {}
    for document_id in ids:
        layers = {tuple(entities.get((document_id, c), [])) for c in chosen[document_id]}
        if len(layers) > 1:
            data.left_out[DISAGREEING] = data.left_out.get(DISAGREEING, 0) + 1
            continue
        text = texts.get(document_id)
        if text is None:
            continue
        data.documents.append((document_id, TrainingText(text, tuple(next(iter(layers))))))
    return data
