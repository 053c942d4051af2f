"""spaCy behind the app: load a model, suggest entities, propose claimants.

Imports only ``annotator.domain``, spaCy and the standard library: no Qt, no SQLAlchemy.
Nothing that leaves this package is a spaCy object except the ``Language`` a caller loaded.
"""

from annotator.nlp.annotate import Annotated, EntityGuess, annotate_documents, annotate_texts, map_entities
from annotator.nlp.claimant import REPORTING_LEMMAS, claimant_candidates
from annotator.nlp.models import (
    PREFERRED_MODELS,
    NerPipeline,
    find_default_model,
    load_ner_pipeline,
    load_parser_pipeline,
)
from annotator.nlp.pieces import paragraphs, pieces

__all__ = [
    "PREFERRED_MODELS",
    "REPORTING_LEMMAS",
    "Annotated",
    "EntityGuess",
    "NerPipeline",
    "annotate_documents",
    "annotate_texts",
    "claimant_candidates",
    "find_default_model",
    "load_ner_pipeline",
    "load_parser_pipeline",
    "map_entities",
    "paragraphs",
    "pieces",
]
